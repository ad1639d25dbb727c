// RetryPolicy: decides what happens to an order whose attempt did not succeed.
//
//   attempts < max_attempts  → retry after a full-jitter exponential backoff
//                              (node lost: at once — the order was not at fault)
//   attempts >= max_attempts → dead-letter
//
// `attempts` counts the deliveries already made since the last redrive.
// Pure logic over an owned random generator; not thread-safe.
#pragma once

#include <cstdint>

#include "common/backoff.h"
#include "protocol/types.h"

namespace om::broker {

struct RetryDecision {
  bool dead_letter = false;
  int64_t delay_us = 0;  // when !dead_letter
};

class RetryPolicy {
 public:
  RetryPolicy(int max_attempts, int64_t base_us, int64_t cap_us, uint64_t seed = std::random_device{}())
      : max_attempts_(max_attempts), backoff_(base_us, cap_us, seed) {}

  // REQUIRES: end is one of kRetryableError, kVisibilityTimeout, kNodeLost.
  RetryDecision Next(uint32_t attempts, proto::AttemptEnd end) {
    if (attempts >= static_cast<uint32_t>(max_attempts_)) return {true, 0};
    if (end == proto::AttemptEnd::kNodeLost) return {false, 0};
    return {false, backoff_.Delay(static_cast<int>(attempts))};
  }

  int max_attempts() const { return max_attempts_; }

 private:
  int max_attempts_;
  Backoff backoff_;
};

}  // namespace om::broker
