#include "common/uuid.h"

namespace om {
namespace {

constexpr char kHex[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Uuid7Generator::Uuid7Generator() : rng_(std::random_device{}()) {}

std::string Uuid7Generator::Next(int64_t unix_ms) {
  if (unix_ms <= last_ms_) {
    // Same (or earlier: the wall clock stepped back) millisecond: keep order
    // by counting on from the last id; borrow the next millisecond on overflow.
    if (++counter_ > 0x0fff) {
      counter_ = 0;
      ++last_ms_;
    }
    unix_ms = last_ms_;
  } else {
    last_ms_ = unix_ms;
    counter_ = static_cast<uint16_t>(rng_() & 0x07ff);  // leave room to count
  }
  std::array<uint8_t, 16> b{};
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(unix_ms >> (40 - 8 * i));
  b[6] = static_cast<uint8_t>(0x70 | (counter_ >> 8));
  b[7] = static_cast<uint8_t>(counter_ & 0xff);
  uint64_t r = rng_();
  b[8] = static_cast<uint8_t>(0x80 | (r & 0x3f));
  for (int i = 9; i < 16; ++i) b[i] = static_cast<uint8_t>(r >> (8 * (i - 8)));

  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[b[i] >> 4]);
    s.push_back(kHex[b[i] & 0xf]);
  }
  return s;
}

bool IsCanonicalUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (HexValue(s[i]) < 0) {
      return false;
    }
  }
  return true;
}

std::optional<int64_t> Uuid7Millis(std::string_view s) {
  if (!IsCanonicalUuid(s) || s[14] != '7') return std::nullopt;
  int64_t ms = 0;
  for (size_t i = 0; i < 13; ++i) {
    if (s[i] == '-') continue;
    ms = (ms << 4) | HexValue(s[i]);
  }
  return ms;
}

}  // namespace om
