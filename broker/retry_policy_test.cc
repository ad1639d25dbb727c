#include "broker/retry_policy.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace om::broker {
namespace {

using proto::AttemptEnd;

constexpr int64_t kBaseUs = 1'000;
constexpr int64_t kCapUs = 10'000;  // not base * 2^n: the cap must clip the ceiling

TEST(RetryPolicy, RetriesBelowMaxAttempts) {
  RetryPolicy p(3, kBaseUs, kCapUs, 1);
  for (uint32_t attempts : {1u, 2u}) {
    for (AttemptEnd end : {AttemptEnd::kRetryableError, AttemptEnd::kVisibilityTimeout, AttemptEnd::kNodeLost}) {
      EXPECT_FALSE(p.Next(attempts, end).dead_letter) << "attempts " << attempts;
    }
  }
  EXPECT_EQ(p.max_attempts(), 3);
}

TEST(RetryPolicy, GivesUpAtMaxAttempts) {
  RetryPolicy p(3, kBaseUs, kCapUs, 1);
  for (AttemptEnd end : {AttemptEnd::kRetryableError, AttemptEnd::kVisibilityTimeout, AttemptEnd::kNodeLost}) {
    EXPECT_TRUE(p.Next(3, end).dead_letter);
    EXPECT_TRUE(p.Next(4, end).dead_letter);  // beyond max (e.g. max lowered by config)
  }
}

TEST(RetryPolicy, SingleAttemptMeansNoRetry) {
  RetryPolicy p(1, kBaseUs, kCapUs, 1);
  EXPECT_TRUE(p.Next(1, AttemptEnd::kRetryableError).dead_letter);
}

TEST(RetryPolicy, NodeLostRetriesAtOnce) {
  RetryPolicy p(5, kBaseUs, kCapUs, 1);
  for (uint32_t attempts = 1; attempts < 5; ++attempts) {
    RetryDecision d = p.Next(attempts, AttemptEnd::kNodeLost);
    EXPECT_FALSE(d.dead_letter);
    EXPECT_EQ(d.delay_us, 0);
  }
}

TEST(RetryPolicy, BackoffIsWithinTheCeilingOfEachAttempt) {
  RetryPolicy p(100, kBaseUs, kCapUs, 7);
  for (uint32_t attempts = 1; attempts <= 6; ++attempts) {
    int64_t ceiling = std::min<int64_t>(kCapUs, kBaseUs << (attempts - 1));
    int64_t hi = 0;
    for (int i = 0; i < 500; ++i) {
      for (AttemptEnd end : {AttemptEnd::kRetryableError, AttemptEnd::kVisibilityTimeout}) {
        RetryDecision d = p.Next(attempts, end);
        ASSERT_FALSE(d.dead_letter);
        ASSERT_GE(d.delay_us, 0);
        ASSERT_LE(d.delay_us, ceiling) << "attempts " << attempts;
        hi = std::max(hi, d.delay_us);
      }
    }
    // Full jitter reaches close to the ceiling: the ceiling grows per attempt.
    EXPECT_GT(hi, ceiling * 9 / 10) << "attempts " << attempts;
  }
}

TEST(RetryPolicy, BackoffIsCappedForLargeAttemptCounts) {
  RetryPolicy p(1'000, kBaseUs, kCapUs, 3);
  for (uint32_t attempts : {5u, 10u, 63u, 64u, 500u, 999u}) {
    for (int i = 0; i < 200; ++i) {
      RetryDecision d = p.Next(attempts, AttemptEnd::kRetryableError);
      ASSERT_FALSE(d.dead_letter);
      ASSERT_GE(d.delay_us, 0);
      ASSERT_LE(d.delay_us, kCapUs) << "attempts " << attempts;
    }
  }
}

}  // namespace
}  // namespace om::broker
