// EchoServer: a trivial stand-in for the broker, run in-process by
// `ordermesh-bench echo` to measure the bench's own ceiling.
//
// One thread owns a ROUTER (front) and a PUB (events). It reads only each
// request's header; every SUBMIT is answered at once with ACCEPTED and a fresh UUID-shaped order id, and the
// three events a real broker publishes for a processed order (PENDING,
// PROCESSING, PROCESSED) go out on the PUB socket, with gap-free sequence
// numbers. Nothing is stored, nothing waits: what the bench measures against
// it is the cost of the bench itself (encode, send, receive, decode, join,
// record) plus ZeroMQ's, on the same machine. Anything else gets ERROR
// bad_request.
//
// Threads: Start()/Stop() from the owner's thread; the sockets belong to the
// echo thread. The zmq::context_t must outlive the server.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "common/status.h"

namespace om::bench {

class EchoServer {
 public:
  // transport: "tcp" (127.0.0.1, ephemeral ports) or "inproc".
  EchoServer(zmq::context_t& ctx, std::string transport);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  // Binds both sockets and starts the thread.
  [[nodiscard]] Status Start();
  void Stop();

  // CPU seconds the echo thread has used so far (0 unless running), so the
  // bench can report its own CPU use without the server's.
  double CpuSeconds();

  // Valid after Start().
  const std::string& front_endpoint() const { return front_endpoint_; }
  const std::string& events_endpoint() const { return events_endpoint_; }

 private:
  void Run();

  zmq::context_t& ctx_;
  const std::string transport_;
  zmq::socket_t front_;
  zmq::socket_t pub_;
  std::string front_endpoint_;
  std::string events_endpoint_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace om::bench
