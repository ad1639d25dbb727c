#include "gateway/query.h"

#include "gateway/http_types.h"

namespace om::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Visible ASCII, quoted for a message, at most 64 bytes of it.
std::string Quote(std::string_view s) {
  std::string out = "'";
  for (unsigned char c : s.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out + (s.size() > 64 ? "...'" : "'");
}

bool Printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool HasQueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.substr(0, pair.find('=')) == name) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

std::optional<ListQuery> ParseListQuery(std::string_view query, std::vector<proto::FieldError>* errors) {
  errors->clear();
  ListQuery q;
  bool seen_status = false, seen_limit = false, seen_cursor = false;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq));
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) {
      errors->push_back({name ? *name : Quote(pair.substr(0, eq)), "bad percent-encoding"});
      continue;
    }
    auto once = [&](bool* seen) {
      if (*seen) errors->push_back({*name, "given more than once"});
      bool first = !*seen;
      *seen = true;
      return first;
    };
    if (*name == "status") {
      if (!once(&seen_status)) continue;
      auto status = proto::ParseStatus(*value);
      if (!status) {
        errors->push_back({"status", "expected one of PENDING, PROCESSING, RETRYING, PROCESSED, FAILED, "
                                     "DEAD_LETTERED, got " + Quote(*value)});
      } else {
        q.status = *status;
      }
    } else if (*name == "limit") {
      if (!once(&seen_limit)) continue;
      uint64_t n = 0;
      bool digits = !value->empty() && value->size() <= 7;
      for (char c : *value) {
        if (c < '0' || c > '9') digits = false;
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      if (!digits || n < 1 || n > kMaxPageLimit) {
        errors->push_back({"limit", "expected an integer 1.." + std::to_string(kMaxPageLimit) + ", got " +
                                        Quote(*value)});
      } else {
        q.limit = static_cast<uint32_t>(n);
      }
    } else if (*name == "cursor") {
      if (!once(&seen_cursor)) continue;
      if (value->size() > kMaxCursorBytes || !Printable(*value)) {
        errors->push_back({"cursor", "expected the next_cursor of a previous page"});
      } else {
        q.cursor = *value;
      }
    } else {
      errors->push_back({*name, "unknown parameter (expected status, limit, cursor)"});
    }
  }
  if (!seen_status) errors->push_back({"status", "required: one of PENDING, PROCESSING, RETRYING, PROCESSED, "
                                                 "FAILED, DEAD_LETTERED"});
  if (!errors->empty()) return std::nullopt;
  return q;
}

bool IsJsonContentType(std::string_view ct) {
  size_t semi = ct.find(';');
  if (!EqualsIgnoreCase(Trim(ct.substr(0, semi)), "application/json")) return false;
  while (semi != std::string_view::npos) {
    ct.remove_prefix(semi + 1);
    semi = ct.find(';');
    std::string_view param = Trim(ct.substr(0, semi));
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(Trim(param.substr(0, eq)), "charset")) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (!EqualsIgnoreCase(value, "utf-8") && !EqualsIgnoreCase(value, "utf8")) return false;
  }
  return true;
}

std::string CheckIdempotencyKey(std::string_view key) {
  if (key.empty()) return "must not be empty";
  if (key.size() > kMaxIdempotencyKeyBytes) {
    return "at most " + std::to_string(kMaxIdempotencyKeyBytes) + " bytes, got " + std::to_string(key.size());
  }
  if (!Printable(key)) return "visible ASCII characters only (no spaces or control characters)";
  return {};
}

}  // namespace om::gateway
