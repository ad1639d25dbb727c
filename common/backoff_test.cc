#include "common/backoff.h"

#include <gtest/gtest.h>

namespace om {

TEST(Backoff, CeilingDoublesUpToTheCap) {
  Backoff b(100, 1000, 1);
  EXPECT_EQ(b.Ceiling(1), 100);
  EXPECT_EQ(b.Ceiling(2), 200);
  EXPECT_EQ(b.Ceiling(4), 800);
  EXPECT_EQ(b.Ceiling(5), 1000);
  EXPECT_EQ(b.Ceiling(60), 1000);  // no overflow for large attempts
}

TEST(Backoff, DelayIsFullJitterWithinTheCeiling) {
  Backoff b(1000, 1'000'000, 42);
  int64_t lo = INT64_MAX, hi = 0;
  for (int i = 0; i < 2000; ++i) {
    int64_t d = b.Delay(3);
    ASSERT_GE(d, 0);
    ASSERT_LE(d, 4000);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // Full jitter spreads over the whole range, not a band near the ceiling.
  EXPECT_LT(lo, 400);
  EXPECT_GT(hi, 3600);
}

}  // namespace om
