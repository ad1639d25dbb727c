// BrokerLink: the gateway's one connection to the broker's front socket.
//
// Threads and ownership (the whole gateway):
//  - civetweb's worker threads (one per keep-alive connection) parse and
//    validate a request, encode its broker message, and call Call(). They
//    never touch a ZeroMQ socket: Call() pushes a PendingCall (on the
//    caller's stack) onto a lock-free intrusive stack and sleeps on a futex
//    in that PendingCall.
//  - One I/O thread, started by Start(), owns the DEALER socket (created,
//    used and closed only there). Each turn it takes every queued call at
//    once, sends them all (many requests in flight, pipelined), reads every
//    reply that has arrived and matches it to its call by request id, fails
//    the calls whose deadline passed, then sleeps in zmq_poll on the DEALER
//    and an eventfd. A worker writes the eventfd only when the I/O thread
//    is asleep, so under load the I/O thread is woken once per batch, not
//    once per request; each worker is woken once, by a futex, when its own
//    reply is in.
//  - The ZeroMQ context's own I/O thread does the TCP work.
// The I/O thread alone enforces deadlines, so a caller is woken by its
// deadline at the latest, whatever the broker does; Stop() wakes every
// caller still waiting (Unavailable).
//
// The DEALER uses ZMQ_IMMEDIATE: while no broker is connected a send fails
// at once (Unavailable, 503) instead of queueing a request that would be
// delivered late, after its client was told it failed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <future>
#include <thread>

#include <zmq.hpp>

#include "gateway/broker_caller.h"

namespace om::gateway {

class BrokerLink final : public BrokerCaller {
 public:
  // endpoint: the broker's front socket. hwm: the DEALER's high-water marks.
  BrokerLink(std::string endpoint, int hwm);
  ~BrokerLink() override;  // Stop()s
  BrokerLink(const BrokerLink&) = delete;
  BrokerLink& operator=(const BrokerLink&) = delete;

  // Creates the socket on a new I/O thread and connects (the broker need not
  // be up yet: ZeroMQ reconnects by itself). Errors: a malformed endpoint.
  [[nodiscard]] Status Start();
  // Fails every waiting call with Unavailable and joins the I/O thread.
  // Later calls fail at once. Idempotent; any thread but the I/O thread.
  void Stop();

  // See BrokerCaller. Thread-safe; never call it from the I/O thread.
  // Before Start() succeeded (or after Stop()) it fails at once: Unavailable.
  Result<proto::FrontReply> Call(const proto::FrontRequest& req, std::chrono::milliseconds timeout) override;

  // Calls sent and not yet answered or expired (a snapshot, for tests).
  size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  struct PendingCall;  // defined in broker_link.cc

 private:
  void Enqueue(PendingCall* call);
  PendingCall* TakeQueued();  // FIFO order
  void Run(std::promise<Status>* started);

  const std::string endpoint_;
  const int hwm_;
  zmq::context_t ctx_{1};
  std::thread io_;
  int wake_fd_ = -1;                            // eventfd: workers -> I/O thread
  std::atomic<PendingCall*> queued_{nullptr};   // lock-free stack; kClosed after Stop()
  std::atomic<bool> io_sleeping_{false};        // the I/O thread is (about to be) in zmq_poll
  std::atomic<bool> started_{false};  // the I/O thread runs: calls may wait
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> next_id_{0};
  std::atomic<size_t> in_flight_{0};
};

}  // namespace om::gateway
