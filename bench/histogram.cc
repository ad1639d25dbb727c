#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace om::bench {

Histogram::Histogram() : counts_(kBuckets, 0) {}

size_t Histogram::IndexOf(int64_t us) {
  if (us < kLinearLimit) return static_cast<size_t>(std::max<int64_t>(us, 0));
  uint64_t v = static_cast<uint64_t>(std::min(us, kMaxTrackableUs));
  int e = std::bit_width(v) - 1;              // 2^e <= v < 2^(e+1), e >= 8
  int shift = e - kSubBucketBits;             // bucket width 2^shift
  uint64_t sub = (v >> shift) - (uint64_t{1} << kSubBucketBits);  // 0..127
  return kLinearLimit + static_cast<size_t>(e - (kSubBucketBits + 1)) * (size_t{1} << kSubBucketBits) + sub;
}

int64_t Histogram::BucketLow(size_t i) {
  if (i < static_cast<size_t>(kLinearLimit)) return static_cast<int64_t>(i);
  size_t k = i - kLinearLimit;
  int e = static_cast<int>(k >> kSubBucketBits) + kSubBucketBits + 1;
  uint64_t sub = (k & ((size_t{1} << kSubBucketBits) - 1)) + (uint64_t{1} << kSubBucketBits);
  return static_cast<int64_t>(sub << (e - kSubBucketBits));
}

int64_t Histogram::BucketWidth(size_t i) {
  if (i < static_cast<size_t>(kLinearLimit)) return 1;
  int e = static_cast<int>((i - kLinearLimit) >> kSubBucketBits) + kSubBucketBits + 1;
  return int64_t{1} << (e - kSubBucketBits);
}

void Histogram::Record(int64_t us) {
  us = std::max<int64_t>(us, 0);
  ++counts_[IndexOf(us)];
  if (count_ == 0 || us < min_) min_ = us;
  if (count_ == 0 || us > max_) max_ = us;
  ++count_;
  sum_ += us;
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = sum_ = 0;
}

int64_t Histogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  if (p <= 0) return min_;
  if (p >= 100) return max_;
  // Nearest rank: the smallest value with at least ceil(p% of count) values at or below it.
  uint64_t rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      int64_t mid = BucketLow(i) + BucketWidth(i) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace om::bench
