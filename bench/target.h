// Target: what the load generator talks to. One implementation per kind of
// endpoint: ZmqTarget (the broker's front, or the in-process echo server)
// and HttpTarget (a gateway's POST /orders, or the bare reference server).
//
// A target takes pipelined submits, each tagged with a request id the
// runner chooses, and hands back replies in any order with the same id. It
// does no timing of its own beyond stamping when each reply was read. Queries
// (stats, the event log) are optional: a target that cannot answer them
// returns Unavailable and the runner does without.
//
// Thread-safety: none; the runner's thread owns the target.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "protocol/messages.h"

namespace om::bench {

struct SubmitReply {
  enum class Kind : uint8_t {
    kAccepted,
    kError,     // the target refused it; `error` says why
    kBadReply,  // undecodable, or a reply type that does not answer a submit
    kHttpError, // an HTTP status other than 202 (`http_status`), or 0: the connection was lost
  };
  uint64_t request_id = 0;
  Kind kind = Kind::kBadReply;
  std::string order_id;  // kAccepted
  proto::ErrorCode error = proto::ErrorCode::kInternal;  // kError
  int http_status = 0;   // kHttpError
  int64_t recv_ns = 0;   // MonoNanos() when the reply was read
};

class Target {
 public:
  virtual ~Target() = default;

  // "zmq tcp://127.0.0.1:5555, 2 connections"
  virtual std::string Describe() const = 0;
  // Opens the connections. Errors name the endpoint.
  [[nodiscard]] virtual Status Connect() = 0;
  // Queues one submit. False when no connection can take it now (all send
  // queues full): the caller retries later, keeping the request's intended
  // send time.
  [[nodiscard]] virtual bool Submit(uint64_t request_id, const proto::Submit& submit) = 0;
  // Appends every reply that has arrived to out; when none has, waits up to
  // timeout_ns for one, or for wake_fd (-1: none) to become readable.
  virtual void Poll(int64_t timeout_ns, int wake_fd, std::vector<SubmitReply>* out) = 0;

  // Optional queries over a separate control connection.
  [[nodiscard]] virtual Result<proto::Stats> Stats(bool with_nodes) {
    return Status::Unavailable("this target answers no stats");
  }
  // Events with seq > after_seq, at most limit, from the target's event log.
  [[nodiscard]] virtual Result<proto::Events> EventsSince(uint64_t after_seq, uint32_t limit) {
    return Status::Unavailable("this target keeps no event log");
  }
};

// Monotonic nanoseconds (CLOCK_MONOTONIC): the one clock of every bench
// timestamp, on every thread.
inline int64_t MonoNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace om::bench
