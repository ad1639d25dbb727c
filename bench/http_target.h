// HttpTarget: submits orders as POST /orders to an HTTP server (the gateway,
// or the bench's bare civetweb reference) over `connections` keep-alive TCP
// connections, one request in flight on each (no HTTP pipelining: a
// browser or an API client does not pipeline either, and civetweb serves a
// connection with one thread, one request at a time).
//
// A 202 with an "order_id" is an accept; any other status is an error of
// kind http_<status>; a connection that breaks with a request in flight
// answers it as http_0 ("connection lost") and is reopened. A connection the
// server closed while idle (keep-alive timeout) is reopened silently.
// Submit() returns false when every connection is busy: the runner keeps
// the order's intended send time and tries again, so in an open loop the
// wait for a free connection counts in the latency.
//
// Poll() waits with epoll_pwait2 (nanosecond timeout) on the connections and
// wake_fd. Stats and EventsSince go to the broker behind the server over an
// optional ControlClient (none for the bare reference).
//
// Owns its sockets. Not thread-safe: the runner's thread owns it.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "bench/control_client.h"
#include "bench/target.h"

namespace om::bench {

class HttpTarget final : public Target {
 public:
  // host_port: "127.0.0.1:8080" (IPv4 address or name). control may be null.
  HttpTarget(std::string host_port, int connections, std::unique_ptr<ControlClient> control);
  ~HttpTarget() override;
  HttpTarget(const HttpTarget&) = delete;
  HttpTarget& operator=(const HttpTarget&) = delete;

  std::string Describe() const override;
  Status Connect() override;
  bool Submit(uint64_t request_id, const proto::Submit& submit) override;
  void Poll(int64_t timeout_ns, int wake_fd, std::vector<SubmitReply>* out) override;
  Result<proto::Stats> Stats(bool with_nodes) override;
  Result<proto::Events> EventsSince(uint64_t after_seq, uint32_t limit) override;

  // Connections reopened so far (server closes, breaks).
  uint64_t reconnects() const { return reconnects_; }

 private:
  struct Conn {
    int fd = -1;
    bool busy = false;        // a request is in flight
    uint64_t request_id = 0;  // ... this one
    std::string out;          // request bytes not yet written
    std::string in;           // response bytes not yet parsed
  };

  Status Open(size_t i);
  void Close(size_t i);
  // Writes what conn i still has to send; false if the connection broke.
  bool Flush(size_t i);
  void OnReadable(size_t i, int64_t now, std::vector<SubmitReply>* out);
  // The connection broke: answer its request (if any) as lost, reopen it.
  void Broken(size_t i, int64_t now, std::vector<SubmitReply>* out);
  void WatchWrite(size_t i, bool on);

  const std::string host_port_;
  const int connections_;
  std::unique_ptr<ControlClient> control_;
  std::vector<Conn> conns_;
  std::deque<size_t> idle_;  // FIFO, so every connection stays warm
  int epoll_fd_ = -1;
  int watched_wake_fd_ = -1;
  uint64_t reconnects_ = 0;
};

// GET path on host_port answers 200 (one short blocking request; for start-up probes).
bool HttpGetOk(const std::string& host_port, const std::string& path);

// Splits "http://HOST:PORT[/]" into "HOST:PORT". Errors name the URL.
Result<std::string> HttpHostPortFromUrl(const std::string& url);

}  // namespace om::bench
