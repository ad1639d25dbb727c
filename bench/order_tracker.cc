#include "bench/order_tracker.h"

#include <algorithm>

namespace om::bench {

std::optional<Completion> OrderTracker::OnAccepted(const OrderKey& order, int64_t intended_ns, int64_t accepted_ns,
                                                   bool measured, bool holds_window) {
  if (auto it = early_.find(order); it != early_.end()) {
    Completion c{intended_ns, it->second.event_ns, measured, holds_window, it->second.status};
    duplicates_ += it->second.extra;
    early_.erase(it);
    completed_.push_back(order);
    return c;
  }
  auto [it, inserted] = pending_.try_emplace(order, Pending{intended_ns, measured, holds_window});
  if (!inserted) {
    ++duplicate_accepts_;
    return std::nullopt;
  }
  if (holds_window) window_fifo_.emplace_back(accepted_ns, order);
  return std::nullopt;
}

std::optional<Completion> OrderTracker::OnTerminal(const OrderKey& order, proto::OrderStatus status, int64_t event_ns) {
  if (auto it = pending_.find(order); it != pending_.end()) {
    Completion c{it->second.intended_ns, event_ns, it->second.measured, it->second.holds_window, status};
    pending_.erase(it);
    completed_.push_back(order);
    return c;
  }
  // Not accepted yet, already completed, or not ours: Finish() tells which.
  auto [it, inserted] = early_.try_emplace(order, Early{event_ns, status, 0});
  if (!inserted) ++it->second.extra;
  return std::nullopt;
}

uint64_t OrderTracker::ReleaseStaleWindowSlots(int64_t accepted_before_ns) {
  uint64_t released = 0;
  while (!window_fifo_.empty()) {
    auto& [accepted_ns, order] = window_fifo_.front();
    auto it = pending_.find(order);
    if (it != pending_.end() && it->second.holds_window) {
      if (accepted_ns >= accepted_before_ns) break;
      it->second.holds_window = false;
      ++released;
    }
    window_fifo_.pop_front();
  }
  return released;
}

TrackerTotals OrderTracker::Finish() {
  TrackerTotals t;
  t.missing = pending_.size();
  t.duplicate_accepts = duplicate_accepts_;
  t.duplicates = duplicates_;
  std::sort(completed_.begin(), completed_.end());
  // The same order completed twice (possible only after a duplicate accept).
  auto unique_end = std::unique(completed_.begin(), completed_.end());
  t.duplicates += static_cast<uint64_t>(completed_.end() - unique_end);
  completed_.erase(unique_end, completed_.end());
  for (const auto& [order, early] : early_) {
    if (std::binary_search(completed_.begin(), completed_.end(), order)) {
      t.duplicates += 1 + early.extra;
    } else {
      t.foreign_events += 1 + early.extra;
    }
  }
  return t;
}

}  // namespace om::bench
