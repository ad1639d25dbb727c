// Backoff: exponential backoff with full jitter and a cap.
//
// The delay before try n (n >= 1) is uniform in [0, min(cap, base * 2^(n-1))]
// ("full jitter", as in the AWS Architecture Blog's analysis): spreading retries
// evenly avoids the thundering herd that fixed delays cause. Used by the
// broker's retry policy and by a node reconnecting to the broker.
// Not thread-safe (owns its random generator).
#pragma once

#include <cstdint>
#include <random>

namespace om {

class Backoff {
 public:
  Backoff(int64_t base_micros, int64_t cap_micros, uint64_t seed = std::random_device{}())
      : base_(base_micros), cap_(cap_micros), rng_(seed) {}

  // The upper bound of the delay before try `attempt` (1-based), without jitter.
  int64_t Ceiling(int attempt) const {
    if (attempt < 1) attempt = 1;
    int64_t ceiling = base_;
    for (int i = 1; i < attempt && ceiling < cap_; ++i) ceiling *= 2;
    return ceiling < cap_ ? ceiling : cap_;
  }

  // A delay drawn uniformly from [0, Ceiling(attempt)].
  int64_t Delay(int attempt) {
    std::uniform_int_distribution<int64_t> dist(0, Ceiling(attempt));
    return dist(rng_);
  }

 private:
  int64_t base_;
  int64_t cap_;
  std::mt19937_64 rng_;
};

}  // namespace om
