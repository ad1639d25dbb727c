// Histogram: a log-linear latency histogram in the style of HdrHistogram.
//
// Values are microseconds from 1 µs to 1 hour. Below 256 µs every value has
// its own bucket (exact); above, each power of two [2^e, 2^(e+1)) is split
// into 128 equal buckets, so a bucket is at most 1/128 of its lower bound
// wide and a reported value (the bucket's midpoint) is within 0.4 % of every
// value recorded in it. Memory is fixed (kBuckets counters, ~26 KiB) no
// matter how many values are recorded. Min, max, count and mean are exact;
// values above 1 hour count in the top bucket but still set max.
//
// Not thread-safe: one owner records; Merge() combines per-thread copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace om::bench {

class Histogram {
 public:
  static constexpr int64_t kMaxTrackableUs = 3'600'000'000;  // 1 hour
  static constexpr int kSubBucketBits = 7;                    // 128 buckets per power of two
  static constexpr int kLinearLimit = 2 << kSubBucketBits;    // 256: exact below this
  static constexpr int kTopExponent = 31;                     // 2^31 <= 1 hour < 2^32
  static constexpr size_t kBuckets =
      kLinearLimit + (kTopExponent - (kSubBucketBits + 1) + 1) * (size_t{1} << kSubBucketBits);

  Histogram();

  // Records one value; negative values count as 0.
  void Record(int64_t us);
  // Adds every value recorded in other.
  void Merge(const Histogram& other);
  void Reset();

  uint64_t Count() const { return count_; }
  // 0 when empty.
  int64_t Min() const { return count_ ? min_ : 0; }
  int64_t Max() const { return count_ ? max_ : 0; }
  double Mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The value at or below which p percent of the recorded values lie
  // (nearest rank), p in [0, 100]. Percentile(0) is Min(), Percentile(100) is
  // Max(); 0 when empty.
  int64_t Percentile(double p) const;

  // Bucket arithmetic, exposed for tests.
  static size_t IndexOf(int64_t us);
  // The lowest value and the width of bucket i.
  static int64_t BucketLow(size_t i);
  static int64_t BucketWidth(size_t i);

 private:
  std::vector<uint64_t> counts_;  // kBuckets entries
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  // Microseconds; an int64 holds 2.5 million hour-long values.
  int64_t sum_ = 0;
};

}  // namespace om::bench
