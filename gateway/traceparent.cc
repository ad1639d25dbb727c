#include "gateway/traceparent.h"

#include <random>

namespace om::gateway {
namespace {

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

std::string RandomHex(size_t digits) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digits, '0');
  do {
    for (size_t i = 0; i < digits; i += 16) {
      uint64_t r = rng();
      for (size_t j = i; j < digits && j < i + 16; ++j, r >>= 4) out[j] = kHex[r & 0xf];
    }
  } while (AllZero(out));
  return out;
}

}  // namespace

std::string TraceContext::ToHeader() const {
  std::string out;
  out.reserve(3 + trace_id.size() + 1 + parent_id.size() + 1 + flags.size());
  out += "00-";
  out += trace_id;
  out += '-';
  out += parent_id;
  out += '-';
  out += flags;
  return out;
}

std::optional<TraceContext> ParseTraceparent(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() < 55) return std::nullopt;
  std::string_view version = v.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" ? v.size() != 55 : (v.size() > 55 && v[55] != '-')) return std::nullopt;
  if (v[2] != '-' || v[35] != '-' || v[52] != '-') return std::nullopt;
  std::string_view trace = v.substr(3, 32), parent = v.substr(36, 16), flags = v.substr(53, 2);
  if (!IsLowerHex(trace) || !IsLowerHex(parent) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace) || AllZero(parent)) return std::nullopt;
  return TraceContext{std::string(trace), std::string(parent), std::string(flags)};
}

TraceContext StartSpan(const std::optional<TraceContext>& parent) {
  if (parent) return TraceContext{parent->trace_id, RandomHex(16), parent->flags};
  return TraceContext{RandomHex(32), RandomHex(16), "00"};
}

}  // namespace om::gateway
