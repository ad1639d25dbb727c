#include "tools/cli/parse.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

namespace om::cli {
namespace {

// Unsigned decimal digits only (no sign, no spaces), within max.
bool ParseUnsigned(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return false;
  *out = value;
  return true;
}

// Reads fixed-width fields left to right.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool Digits(size_t n, int* out) {
    if (text_.size() - pos_ < n) return false;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += n;
    *out = value;
    return true;
  }
  // Consumes one of chars, returning it, or returns '\0'.
  char OneOf(std::string_view chars) {
    if (pos_ < text_.size() && chars.find(text_[pos_]) != std::string_view::npos) return text_[pos_++];
    return '\0';
  }
  // ".123456789" -> microseconds (digits past the sixth are dropped).
  bool Fraction(int64_t* micros) {
    *micros = 0;
    if (!OneOf(".")) return true;
    size_t n = 0;
    for (; pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; ++pos_, ++n) {
      if (n < 6) *micros = *micros * 10 + (text_[pos_] - '0');
    }
    for (size_t i = n; i < 6; ++i) *micros *= 10;
    return n > 0;
  }
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Where a path of an order body sits in the document (field, then item
// index), to merge two lists of problems in document order.
std::pair<int, long> DocumentOrder(const std::string& path) {
  if (path == "customer_id") return {0, 0};
  if (path.rfind("items", 0) == 0) {
    return {1, path.size() > 6 && path[5] == '[' ? std::strtol(path.c_str() + 6, nullptr, 10) : -1};
  }
  if (path == "currency") return {2, 0};
  return {3, 0};
}

constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

Result<int64_t> ParseUnixSeconds(std::string_view text) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument("expected RFC 3339 time such as 2026-11-22T04:35:18Z, a date, or Unix seconds, got \"" +
                                   std::string(text) + "\"");
  }
  uint64_t seconds = 0;
  if (!ParseUnsigned(whole, kMaxUnixSeconds, &seconds)) {
    return Status::InvalidArgument("Unix seconds out of range (after year 9999): " + std::string(text));
  }
  int64_t micros = 0;
  if (dot != std::string_view::npos) {
    Scanner fraction(text.substr(dot));
    if (!fraction.Fraction(&micros) || !fraction.AtEnd()) {
      return Status::InvalidArgument("malformed Unix seconds: " + std::string(text));
    }
  }
  return static_cast<int64_t>(seconds) * 1'000'000 + micros;
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  const auto bad = [&] {
    return Status::InvalidArgument("expected RFC 3339 time such as 2026-11-22T04:35:18Z, a date, or Unix seconds, got \"" +
                                   std::string(text) + "\"");
  };
  Scanner in(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!in.Digits(4, &y) || !in.OneOf("-") || !in.Digits(2, &mo) || !in.OneOf("-") || !in.Digits(2, &d)) return bad();
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return Status::InvalidArgument("no such date: " + std::string(text.substr(0, 10)));
  int64_t micros = 0, offset_minutes = 0;
  if (!in.AtEnd()) {
    if (!in.OneOf("Tt ") || !in.Digits(2, &h) || !in.OneOf(":") || !in.Digits(2, &mi) || !in.OneOf(":") ||
        !in.Digits(2, &s) || !in.Fraction(&micros)) {
      return bad();
    }
    if (h > 23 || mi > 59 || s > 60) return Status::InvalidArgument("no such time of day in \"" + std::string(text) + "\"");
    if (char sign = in.OneOf("Zz+-"); sign == '+' || sign == '-') {
      int oh = 0, om = 0;
      if (!in.Digits(2, &oh) || !in.OneOf(":") || !in.Digits(2, &om) || oh > 23 || om > 59) return bad();
      offset_minutes = (sign == '+' ? 1 : -1) * (oh * 60 + om);
    } else if (sign == '\0') {
      return Status::InvalidArgument("time \"" + std::string(text) + "\" needs a zone: Z or an offset such as +02:00");
    }
    if (!in.AtEnd()) return bad();
  }
  const int64_t days_since_epoch = sys_days{date}.time_since_epoch().count();
  const int64_t seconds = days_since_epoch * 86'400 + h * 3'600 + mi * 60 + s - offset_minutes * 60;
  if (seconds < 0) return Status::InvalidArgument("time before 1970 in \"" + std::string(text) + "\"");
  return seconds * 1'000'000 + micros;
}

}  // namespace

Result<proto::OrderItem> ParseItem(std::string_view spec) {
  const auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("expected PRODUCT:QTY[:PRICE_CENTS], got \"" + std::string(spec) + "\" (" + why + ")");
  };
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 2) return bad("no quantity");
  if (parts.size() > 3) return bad("too many ':'");
  if (parts[0].empty()) return bad("no product");
  proto::OrderItem item;
  item.product_id = std::string(parts[0]);
  uint64_t quantity = 0;
  if (!ParseUnsigned(parts[1], std::numeric_limits<uint32_t>::max(), &quantity)) {
    return bad("quantity must be a whole number");
  }
  item.quantity = static_cast<uint32_t>(quantity);
  if (parts.size() == 3) {
    uint64_t price = 0;
    if (!ParseUnsigned(parts[2], std::numeric_limits<int64_t>::max(), &price)) {
      return bad("price must be a whole number of cents");
    }
    item.unit_price_cents = static_cast<int64_t>(price);
  }
  return item;
}

Result<int64_t> ParseTime(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty time");
  // Unix seconds have no '-' and no ':'; an RFC 3339 time always has '-'.
  if (text.find('-') == std::string_view::npos) return ParseUnixSeconds(text);
  return ParseRfc3339(text);
}

Result<proto::OrderRequest> OrderFromFlags(const SubmitFlags& flags, const proto::OrderLimits& limits,
                                           std::vector<proto::FieldError>* errors) {
  std::vector<proto::FieldError> local;
  std::vector<proto::FieldError>& out = errors ? *errors : local;

  // The body the gateway would have received. A flag that does not parse is
  // reported here and replaced by a valid stand-in (an item) or left out
  // (metadata), so the validator still checks everything else and its item
  // indexes still match the --item flags.
  std::vector<proto::FieldError> unparsed;
  nlohmann::ordered_json body;
  body["customer_id"] = flags.customer;
  body["items"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < flags.items.size(); ++i) {
    auto item = ParseItem(flags.items[i]);
    if (!item.ok()) {
      unparsed.push_back({"items[" + std::to_string(i) + "]", item.status().message()});
      body["items"].push_back({{"product_id", "-"}, {"quantity", 1}});
      continue;
    }
    nlohmann::ordered_json j{{"product_id", item->product_id}, {"quantity", item->quantity}};
    if (item->unit_price_cents) j["unit_price_cents"] = *item->unit_price_cents;
    body["items"].push_back(std::move(j));
  }
  body["currency"] = flags.currency;
  if (!flags.metadata_json.empty()) {
    auto metadata = nlohmann::ordered_json::parse(flags.metadata_json, nullptr, /*allow_exceptions=*/false);
    if (metadata.is_discarded()) {
      unparsed.push_back({"metadata", "--metadata is not valid JSON: " + flags.metadata_json});
    } else {
      body["metadata"] = std::move(metadata);
    }
  }

  // dump() with replace: a non-UTF-8 flag becomes U+FFFD instead of throwing.
  auto order = proto::ParseOrderJson(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limits, &out);
  if (unparsed.empty()) return order;
  out.insert(out.end(), unparsed.begin(), unparsed.end());
  std::stable_sort(out.begin(), out.end(), [](const proto::FieldError& a, const proto::FieldError& b) {
    return DocumentOrder(a.path) < DocumentOrder(b.path);
  });
  const std::string count = out.size() == 1 ? "1 problem" : std::to_string(out.size()) + " problems";
  return Status::InvalidArgument(count + " in the order, first " + out.front().path + ": " + out.front().message);
}

Result<proto::DlqFilter> DlqFilterFrom(const DlqSelection& selection, bool require_selector) {
  const bool by_id = !selection.order_id.empty();
  const bool by_filter = !selection.reason.empty() || !selection.since.empty() || !selection.until.empty();
  const bool by_all = require_selector && selection.all;
  if (require_selector) {
    if (!by_id && !by_filter && !by_all) {
      return Status::InvalidArgument("say which dead letters: an ID, --reason, --since/--until, or --all");
    }
    if (by_id + by_filter + by_all > 1) {
      return Status::InvalidArgument("give only one of: an ID, a filter (--reason, --since, --until), or --all");
    }
  } else if (by_id) {
    return Status::InvalidArgument("an order id cannot be combined with a listing");
  }
  proto::DlqFilter filter;
  filter.order_id = selection.order_id;
  filter.reason = selection.reason;
  if (!selection.since.empty()) {
    auto since = ParseTime(selection.since);
    if (!since.ok()) return Status::InvalidArgument("--since: " + since.status().message());
    filter.from_us = *since;
  }
  if (!selection.until.empty()) {
    auto until = ParseTime(selection.until);
    if (!until.ok()) return Status::InvalidArgument("--until: " + until.status().message());
    // to_us == 0 means "no bound" on the wire; the epoch itself bounds nothing useful.
    filter.to_us = std::max<int64_t>(*until, 1);
  }
  if (filter.from_us && filter.to_us && filter.from_us >= filter.to_us) {
    return Status::InvalidArgument("--since must be before --until");
  }
  return filter;
}

proto::DlqFilter AsOf(proto::DlqFilter filter, int64_t now_us) {
  if (!filter.order_id.empty() || now_us <= 0) return filter;
  filter.to_us = filter.to_us == 0 ? now_us : std::min(filter.to_us, now_us);
  return filter;
}

}  // namespace om::cli
