// UUIDv7 (RFC 9562): time-ordered 128-bit ids for orders.
//
// The first 48 bits are the Unix time in milliseconds, so ids sort by
// creation time as bytes and as their canonical text. Within one millisecond
// a generator keeps a monotonic counter in the 12-bit rand_a field (method 1
// of RFC 9562 section 6.2), so ids from one generator are strictly increasing.
// A Uuid7Generator is not thread-safe: give each thread its own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace om {

class Uuid7Generator {
 public:
  Uuid7Generator();
  // Canonical text "0192f3b4-6c1e-7a3b-8f00-1c2d3e4f5a6b" for time unix_ms.
  std::string Next(int64_t unix_ms);

 private:
  std::mt19937_64 rng_;
  int64_t last_ms_ = -1;
  uint16_t counter_ = 0;
};

// True when s is a canonical lower-case UUID text (any version).
bool IsCanonicalUuid(std::string_view s);

// Milliseconds since the epoch encoded in a UUIDv7 text; nullopt if s is not one.
std::optional<int64_t> Uuid7Millis(std::string_view s);

}  // namespace om
