// FrontClient: a blocking request/reply client of the broker's front socket,
// for tools (the admin CLI, the notifier's catch-up, tests, the bench's
// control path). One DEALER socket; one request at a time; replies with a
// stale request id (from an earlier call that timed out) are skipped.
//
// Not thread-safe: a FrontClient belongs to the thread that made it. The
// zmq::context_t passed in must outlive it.
#pragma once

#include <chrono>
#include <string>

#include <zmq.hpp>

#include "common/status.h"
#include "protocol/codec.h"

namespace om::proto {

class FrontClient {
 public:
  FrontClient(zmq::context_t& ctx, const std::string& endpoint);

  // Sends req and waits up to timeout for its reply. Timeout gives
  // Status::Timeout ("broker at tcp://... did not answer within 2000 ms").
  template <typename M>
  Result<FrontReply> Call(const M& req, std::chrono::milliseconds timeout) {
    const uint64_t id = ++next_id_;
    return CallRaw(Encode(id, req), id, timeout);
  }

  // Like Call, but expects reply type R; an S:ERROR reply becomes a Status
  // (kNotFound, kInvalidArgument, kUnavailable, ...) carrying its detail.
  template <typename R, typename M>
  Result<R> Expect(const M& req, std::chrono::milliseconds timeout) {
    auto reply = Call(req, timeout);
    if (!reply.ok()) return reply.status();
    if (auto* r = std::get_if<R>(&reply.value())) return std::move(*r);
    if (auto* e = std::get_if<Error>(&reply.value())) return ErrorToStatus(*e);
    return Status::Corruption("broker answered with an unexpected message type");
  }

  const std::string& endpoint() const { return endpoint_; }

 private:
  Result<FrontReply> CallRaw(std::string bytes, uint64_t id, std::chrono::milliseconds timeout);

  std::string endpoint_;
  zmq::socket_t socket_;
  uint64_t next_id_ = 0;
};

// Maps a broker error reply to the Status vocabulary.
Status ErrorToStatus(const Error& e);

}  // namespace om::proto
