// EventFeed: the bench's subscriber to the broker's PUB feed.
//
// A dedicated thread owns the SUB socket (subscribed to every topic: order
// and non-order events share the broker's seq space, so only the whole feed
// shows the gaps; topics not starting with "order." only advance seq). It stamps
// each message when read, keeps only terminal events (PROCESSED, FAILED,
// DEAD_LETTERED) and hands them to the runner's thread in batches: one mutex
// hand-off per drained batch, and a write to wake_fd() only when the batch
// lands in an empty queue, so there is no cross-thread wake-up per event.
// It also tracks the sequence numbers and records every gap (events the PUB
// socket dropped); the runner fills those from the event log (once a
// second, and once more at the end), and also the tail the feed cannot see
// as a gap: events dropped after the last one that arrived.
//
// Threads: Start()/Stop()/Take()/Gaps()/counters are for the runner's thread;
// the SUB socket belongs to the feed thread alone.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <zmq.hpp>

#include "bench/order_key.h"
#include "common/status.h"
#include "protocol/types.h"

namespace om::bench {

struct TerminalEvent {
  OrderKey order;
  proto::OrderStatus status = proto::OrderStatus::kProcessed;
  int64_t recv_ns = 0;  // MonoNanos() when read; -1 when recovered from the log (time unknown)
  uint64_t seq = 0;     // the broker's event sequence number
};

class EventFeed {
 public:
  EventFeed(zmq::context_t& ctx, std::string endpoint);
  ~EventFeed();  // stops the thread
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // Connects, subscribes and starts the thread, then sleeps subscribe_wait_ms
  // so the subscription reaches the publisher before the first order is sent
  // (ZeroMQ's slow-joiner problem: PUB drops what it sends before then).
  [[nodiscard]] Status Start(int subscribe_wait_ms);
  void Stop();

  // Readable when Take() has something; -1 before Start().
  int wake_fd() const { return wake_fd_; }
  // Moves every terminal event received so far into out (appends).
  void Take(std::vector<TerminalEvent>* out);

  // Missing sequence ranges [first, last] seen so far.
  std::vector<std::pair<uint64_t, uint64_t>> Gaps() const;
  uint64_t events_received() const { return events_.load(std::memory_order_relaxed); }
  uint64_t bad_frames() const { return bad_frames_.load(std::memory_order_relaxed); }
  uint64_t last_seq() const { return last_seq_.load(std::memory_order_relaxed); }

 private:
  void Run();
  // Handles one [topic][body] message read at recv_ns.
  void OnMessage(std::string_view topic, std::string_view body, int64_t recv_ns, std::vector<TerminalEvent>* batch);
  void Publish(std::vector<TerminalEvent>* batch);

  zmq::context_t& ctx_;
  const std::string endpoint_;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  zmq::socket_t socket_;  // used only on the feed thread once started

  mutable std::mutex mu_;
  std::vector<TerminalEvent> queue_;                   // GUARDED_BY(mu_)
  std::atomic<bool> has_events_{false};                // queue_ is not empty (written under mu_)
  std::vector<std::pair<uint64_t, uint64_t>> gaps_;    // GUARDED_BY(mu_)

  std::atomic<uint64_t> events_{0};
  std::atomic<uint64_t> bad_frames_{0};
  std::atomic<uint64_t> last_seq_{0};  // written by the feed thread only
};

}  // namespace om::bench
