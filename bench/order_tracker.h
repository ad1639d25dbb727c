// OrderTracker: joins each accepted order with its terminal event, and keeps
// the count the self-check needs: every accepted order must end with exactly
// one terminal event.
//
// The ACCEPTED reply and the terminal event travel on different sockets, so
// either may be seen first: an event for an order not (yet) known waits in
// `early_` until its ACCEPTED arrives. Completed orders leave the pending
// map; their keys go to a 16-byte-per-order log that Finish() sorts to tell
// a duplicate terminal event (same order twice) from an event for somebody
// else's order ("foreign", e.g. another client of the same broker).
//
// Pure bookkeeping, no I/O and no clock: times come in as arguments.
// Not thread-safe: the runner's thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "bench/order_key.h"
#include "protocol/types.h"

namespace om::bench {

// One order that reached a terminal state.
struct Completion {
  int64_t intended_ns = 0;  // when its submit was meant to leave
  int64_t event_ns = 0;     // when its terminal event was read; -1: recovered from the log
  bool measured = false;    // outside the warm-up: counts in the latency results
  bool held_window = false; // it still held a closed-loop window slot
  proto::OrderStatus status = proto::OrderStatus::kProcessed;
};

struct TrackerTotals {
  uint64_t missing = 0;           // accepted, no terminal event
  uint64_t duplicates = 0;        // terminal events beyond the first for one order
  uint64_t foreign_events = 0;    // terminal events for orders this run never accepted
  uint64_t duplicate_accepts = 0; // the same order id accepted twice
};

class OrderTracker {
 public:
  // An ACCEPTED reply for order. Returns the completion if its terminal
  // event was already seen.
  std::optional<Completion> OnAccepted(const OrderKey& order, int64_t intended_ns, int64_t accepted_ns, bool measured,
                                       bool holds_window);
  // A terminal event (event_ns -1: recovered from the event log, time unknown).
  std::optional<Completion> OnTerminal(const OrderKey& order, proto::OrderStatus status, int64_t event_ns);

  // Pending orders that still hold a window slot and were accepted before
  // `accepted_before_ns` give their slot up (the caller frees it); they stay
  // pending for the self-check. Returns how many. Amortised O(1) per order.
  uint64_t ReleaseStaleWindowSlots(int64_t accepted_before_ns);

  size_t pending() const { return pending_.size(); }
  // Call once, at the end.
  TrackerTotals Finish();

 private:
  struct Pending {
    int64_t intended_ns;
    bool measured;
    bool holds_window;
  };
  struct Early {
    int64_t event_ns;
    proto::OrderStatus status;
    uint32_t extra;  // more terminal events for the same order before its ACCEPTED
  };

  std::unordered_map<OrderKey, Pending, OrderKeyHash> pending_;
  std::unordered_map<OrderKey, Early, OrderKeyHash> early_;
  std::vector<OrderKey> completed_;                       // every completed order, in completion order
  std::deque<std::pair<int64_t, OrderKey>> window_fifo_;  // (accepted_ns, order) of window holders
  uint64_t duplicates_ = 0;  // counted as soon as an early event meets its ACCEPTED
  uint64_t duplicate_accepts_ = 0;
};

}  // namespace om::bench
