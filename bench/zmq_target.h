// ZmqTarget: submits orders to a broker's front ROUTER (or anything that
// speaks the front protocol, such as the bench's echo server) over one or
// more DEALER sockets, requests pipelined and correlated by request id.
//
// Submits go round-robin over the connections; a connection whose send queue
// is full is skipped. Poll() waits on the sockets' ZMQ_FD with ppoll(2), so
// the runner can sleep with microsecond precision between scheduled sends
// (zmq_poll only takes milliseconds). Stats and EventsSince go over a
// separate ControlClient so a query never waits behind the load.
//
// Owns its sockets; the zmq::context_t must outlive it. Not thread-safe: the
// runner's thread owns it (and so every socket here).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "bench/target.h"
#include "bench/control_client.h"

namespace om::bench {

class ZmqTarget final : public Target {
 public:
  // endpoint: a ZeroMQ endpoint (tcp://host:port, inproc://name).
  // with_queries: open the control connection for Stats/EventsSince.
  ZmqTarget(zmq::context_t& ctx, std::string endpoint, int connections, bool with_queries);

  std::string Describe() const override;
  Status Connect() override;
  bool Submit(uint64_t request_id, const proto::Submit& submit) override;
  void Poll(int64_t timeout_ns, int wake_fd, std::vector<SubmitReply>* out) override;
  Result<proto::Stats> Stats(bool with_nodes) override;
  Result<proto::Events> EventsSince(uint64_t after_seq, uint32_t limit) override;

 private:
  // Reads every waiting reply without blocking; true if there was any.
  bool Drain(std::vector<SubmitReply>* out);

  zmq::context_t& ctx_;
  const std::string endpoint_;
  const int connections_;
  const bool with_queries_;
  std::vector<zmq::socket_t> sockets_;
  std::vector<int> fds_;  // each socket's ZMQ_FD
  size_t next_ = 0;       // round-robin cursor
  std::unique_ptr<ControlClient> control_;
};

// Maps a target URL to a ZeroMQ endpoint: "zmq://host:port" -> "tcp://host:port";
// tcp://, ipc:// and inproc:// endpoints pass unchanged.
Result<std::string> ZmqEndpointFromUrl(const std::string& url);

}  // namespace om::bench
