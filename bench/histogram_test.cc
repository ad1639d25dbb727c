#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace om::bench {
namespace {

// The nearest-rank percentile of a sorted sample: what Histogram approximates.
int64_t ExactPercentile(const std::vector<int64_t>& sorted, double p) {
  if (p <= 0) return sorted.front();
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void ExpectPercentilesWithin1Percent(std::vector<int64_t> values) {
  Histogram h;
  for (int64_t v : values) h.Record(v);
  std::sort(values.begin(), values.end());
  for (double p : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
    int64_t exact = ExactPercentile(values, p);
    int64_t got = h.Percentile(p);
    EXPECT_LE(std::abs(static_cast<double>(got - exact)), 0.01 * static_cast<double>(exact) + 0.5)
        << "p" << p << ": exact " << exact << ", histogram " << got;
  }
  EXPECT_EQ(h.Min(), values.front());
  EXPECT_EQ(h.Max(), values.back());
  EXPECT_EQ(h.Count(), values.size());
}

TEST(Histogram, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Min(), 0);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int v = 1; v <= 200; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 100);
  EXPECT_EQ(h.Percentile(99), 198);
  EXPECT_EQ(h.Percentile(0), 1);
  EXPECT_EQ(h.Percentile(100), 200);
}

TEST(Histogram, EveryBucketIsWithinOnePercentOfItsValues) {
  // Walk the whole range 1 µs .. 1 hour: each value's bucket midpoint is
  // within 1 % of it, and buckets tile the range without gaps.
  for (int64_t v = 1; v <= Histogram::kMaxTrackableUs; v = v + 1 + v / 97) {
    size_t i = Histogram::IndexOf(v);
    ASSERT_LT(i, Histogram::kBuckets);
    int64_t low = Histogram::BucketLow(i);
    int64_t width = Histogram::BucketWidth(i);
    ASSERT_LE(low, v);
    ASSERT_LT(v, low + width);
    double mid = static_cast<double>(low) + static_cast<double>(width / 2);
    ASSERT_LE(std::abs(mid - static_cast<double>(v)), 0.01 * static_cast<double>(v)) << v;
  }
  EXPECT_EQ(Histogram::IndexOf(Histogram::kMaxTrackableUs), Histogram::IndexOf(Histogram::kMaxTrackableUs * 10));
  EXPECT_LT(Histogram::IndexOf(Histogram::kMaxTrackableUs), Histogram::kBuckets);
  for (size_t i = 1; i < Histogram::kBuckets; ++i) {
    ASSERT_EQ(Histogram::BucketLow(i), Histogram::BucketLow(i - 1) + Histogram::BucketWidth(i - 1)) << i;
  }
}

TEST(Histogram, UniformPercentilesWithinOnePercent) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> d(1, 1'000'000);
  std::vector<int64_t> values(200'000);
  for (auto& v : values) v = d(rng);
  ExpectPercentilesWithin1Percent(values);
}

TEST(Histogram, ExponentialPercentilesWithinOnePercent) {
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> d(1.0 / 500.0);  // mean 500 µs
  std::vector<int64_t> values(200'000);
  for (auto& v : values) v = 1 + static_cast<int64_t>(d(rng));
  ExpectPercentilesWithin1Percent(values);
}

TEST(Histogram, LogNormalTailPercentilesWithinOnePercent) {
  // Latency-like: a body around 1 ms with a long tail to seconds.
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> d(7.0, 1.5);
  std::vector<int64_t> values(300'000);
  for (auto& v : values) v = 1 + static_cast<int64_t>(d(rng));
  ExpectPercentilesWithin1Percent(values);
}

TEST(Histogram, MinMaxAndMeanAreExact) {
  Histogram h;
  h.Record(1234567);
  h.Record(3);
  h.Record(999);
  EXPECT_EQ(h.Min(), 3);
  EXPECT_EQ(h.Max(), 1234567);
  EXPECT_DOUBLE_EQ(h.Mean(), (1234567.0 + 3 + 999) / 3);
  EXPECT_EQ(h.Percentile(100), 1234567);
  EXPECT_EQ(h.Percentile(0), 3);
}

TEST(Histogram, ValuesBeyondOneHourSaturateButKeepTheExactMax) {
  Histogram h;
  h.Record(Histogram::kMaxTrackableUs * 3);
  h.Record(10);
  EXPECT_EQ(h.Max(), Histogram::kMaxTrackableUs * 3);
  EXPECT_EQ(h.Percentile(100), Histogram::kMaxTrackableUs * 3);
  EXPECT_EQ(h.Percentile(50), 10);
}

TEST(Histogram, NegativeValuesCountAsZero) {
  Histogram h;
  h.Record(-5);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Count(), 1u);
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(4);
  std::lognormal_distribution<double> d(6.0, 1.0);
  Histogram a, b, all;
  for (int i = 0; i < 50'000; ++i) {
    int64_t v = static_cast<int64_t>(d(rng));
    (i % 3 == 0 ? a : b).Record(v);
    all.Record(v);
  }
  Histogram merged;
  merged.Merge(a);
  merged.Merge(b);
  EXPECT_EQ(merged.Count(), all.Count());
  EXPECT_EQ(merged.Min(), all.Min());
  EXPECT_EQ(merged.Max(), all.Max());
  EXPECT_DOUBLE_EQ(merged.Mean(), all.Mean());
  for (double p = 0; p <= 100; p += 0.5) EXPECT_EQ(merged.Percentile(p), all.Percentile(p)) << p;
}

TEST(Histogram, MergeIntoEmptyAndFromEmpty) {
  Histogram a, empty;
  a.Record(42);
  a.Merge(empty);
  EXPECT_EQ(a.Count(), 1u);
  EXPECT_EQ(a.Min(), 42);
  empty.Merge(a);
  EXPECT_EQ(empty.Min(), 42);
  EXPECT_EQ(empty.Max(), 42);
}

TEST(Histogram, ResetForgetsEverything) {
  Histogram h;
  h.Record(5);
  h.Reset();
  EXPECT_EQ(h.Count(), 0u);
  h.Record(7);
  EXPECT_EQ(h.Min(), 7);
}

}  // namespace
}  // namespace om::bench
