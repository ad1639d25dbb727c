#include "bench/http_target.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>

#include "bench/http_wire.h"

namespace om::bench {
namespace {

constexpr uint64_t kWakeTag = ~uint64_t{0};
constexpr int kMaxEvents = 256;

}  // namespace

HttpTarget::HttpTarget(std::string host_port, int connections, std::unique_ptr<ControlClient> control)
    : host_port_(std::move(host_port)), connections_(connections), control_(std::move(control)) {}

HttpTarget::~HttpTarget() {
  for (size_t i = 0; i < conns_.size(); ++i) Close(i);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

std::string HttpTarget::Describe() const {
  return "http " + host_port_ + " POST /orders, " + std::to_string(connections_) + " keep-alive connection" +
         (connections_ == 1 ? "" : "s") + " (one request in flight each)";
}

Status HttpTarget::Connect() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Status::Internal("epoll_create1 failed");
  conns_.resize(static_cast<size_t>(connections_));
  for (size_t i = 0; i < conns_.size(); ++i) {
    if (Status st = Open(i); !st.ok()) return st;
    idle_.push_back(i);
  }
  reconnects_ = 0;
  return Status::Ok();
}

Status HttpTarget::Open(size_t i) {
  Close(i);
  const size_t colon = host_port_.rfind(':');
  const std::string host = host_port_.substr(0, colon), port = host_port_.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
    return Status::Unavailable("cannot resolve " + host_port_);
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : connect(fd, res->ai_addr, res->ai_addrlen);
  const int err = errno;
  freeaddrinfo(res);
  if (rc != 0) {
    if (fd >= 0) close(fd);
    return Status::Unavailable("cannot connect to http://" + host_port_ + ": " + strerror(err));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.u64 = i;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  conns_[i].fd = fd;
  return Status::Ok();
}

void HttpTarget::Close(size_t i) {
  Conn& c = conns_[i];
  if (c.fd >= 0) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
  }
  c.fd = -1;
  c.in.clear();
  c.out.clear();
}

void HttpTarget::WatchWrite(size_t i, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data.u64 = i;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, conns_[i].fd, &ev);
}

bool HttpTarget::Flush(size_t i) {
  Conn& c = conns_[i];
  const bool was_pending = !c.out.empty();
  while (!c.out.empty()) {
    ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.out.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WatchWrite(i, true);
      return true;
    }
    return false;
  }
  if (was_pending) WatchWrite(i, false);
  return true;
}

bool HttpTarget::Submit(uint64_t request_id, const proto::Submit& submit) {
  while (!idle_.empty()) {
    const size_t i = idle_.front();
    idle_.pop_front();
    Conn& c = conns_[i];
    if (c.fd < 0 && !Open(i).ok()) {
      idle_.push_back(i);
      return false;  // the server is gone; the runner's timeouts will tell
    }
    c.out = PostOrdersRequest(host_port_, submit.order);
    c.busy = true;
    c.request_id = request_id;
    if (Flush(i)) return true;
    // The server closed it while idle (keep-alive timeout): reopen, try the next.
    c.busy = false;
    ++reconnects_;
    if (Open(i).ok()) idle_.push_back(i);
  }
  return false;
}

void HttpTarget::Broken(size_t i, int64_t now, std::vector<SubmitReply>* out) {
  Conn& c = conns_[i];
  if (c.busy) {
    SubmitReply r;
    r.request_id = c.request_id;
    r.kind = SubmitReply::Kind::kHttpError;
    r.http_status = 0;
    r.recv_ns = now;
    out->push_back(std::move(r));
    c.busy = false;
  }
  ++reconnects_;
  if (!Open(i).ok()) Close(i);  // Submit retries the open
  idle_.push_back(i);
}

void HttpTarget::OnReadable(size_t i, int64_t now, std::vector<SubmitReply>* out) {
  Conn& c = conns_[i];
  bool eof = false;
  char buf[16384];
  while (true) {
    ssize_t n = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      c.in.append(buf, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof buf) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    eof = true;  // closed or reset
    break;
  }
  while (!c.in.empty()) {
    HttpResponse resp;
    size_t used = 0;
    auto state = HttpResponseParser::Parse(c.in, &resp, &used);
    if (state == HttpResponseParser::State::kNeedMore) break;
    if (state == HttpResponseParser::State::kBad || !c.busy) {
      // Not HTTP we can read, or a response nobody asked for.
      if (c.busy) {
        out->push_back({c.request_id, SubmitReply::Kind::kBadReply, "", proto::ErrorCode::kInternal, 0, now});
        c.busy = false;
      }
      Broken(i, now, out);
      return;
    }
    c.in.erase(0, used);
    SubmitReply r;
    r.request_id = c.request_id;
    r.recv_ns = now;
    if (resp.status == 202 && !resp.order_id.empty()) {
      r.kind = SubmitReply::Kind::kAccepted;
      r.order_id = std::move(resp.order_id);
    } else if (resp.status == 202) {
      r.kind = SubmitReply::Kind::kBadReply;
    } else {
      r.kind = SubmitReply::Kind::kHttpError;
      r.http_status = resp.status;
    }
    out->push_back(std::move(r));
    c.busy = false;
    if (resp.close) {
      Broken(i, now, out);  // nothing in flight: just reopens
      return;
    }
    idle_.push_back(i);
  }
  if (eof) Broken(i, now, out);
}

void HttpTarget::Poll(int64_t timeout_ns, int wake_fd, std::vector<SubmitReply>* out) {
  if (wake_fd != watched_wake_fd_) {
    if (watched_wake_fd_ >= 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, watched_wake_fd_, nullptr);
    if (wake_fd >= 0) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = kWakeTag;
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd, &ev);
    }
    watched_wake_fd_ = wake_fd;
  }
  epoll_event events[kMaxEvents];
  timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000), static_cast<long>(timeout_ns % 1'000'000'000)};
  int n = epoll_pwait2(epoll_fd_, events, kMaxEvents, &ts, nullptr);  // EINTR: the caller checks for Ctrl-C
  const int64_t now = MonoNanos();
  for (int k = 0; k < n; ++k) {
    const uint64_t tag = events[k].data.u64;
    if (tag == kWakeTag) continue;
    const size_t i = static_cast<size_t>(tag);
    if (conns_[i].fd < 0) continue;
    if (events[k].events & EPOLLOUT) {
      if (!Flush(i)) {
        Broken(i, now, out);
        continue;
      }
    }
    if (events[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) OnReadable(i, now, out);
  }
}

Result<proto::Stats> HttpTarget::Stats(bool with_nodes) {
  return control_ ? control_->Stats(with_nodes) : Target::Stats(with_nodes);
}

Result<proto::Events> HttpTarget::EventsSince(uint64_t after_seq, uint32_t limit) {
  return control_ ? control_->EventsSince(after_seq, limit) : Target::EventsSince(after_seq, limit);
}

bool HttpGetOk(const std::string& host_port, const std::string& path) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return false;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host_port.substr(0, colon).c_str(), host_port.substr(colon + 1).c_str(), &hints, &res) != 0) {
    return false;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{0, 500'000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  bool ok = connect(fd, res->ai_addr, res->ai_addrlen) == 0;
  freeaddrinfo(res);
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + host_port + "\r\nConnection: close\r\n\r\n";
  ok = ok && send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size());
  std::string in;
  char buf[4096];
  while (ok && in.find("\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return ok && in.rfind("HTTP/1.1 200", 0) == 0;
}

Result<std::string> HttpHostPortFromUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return Status::InvalidArgument("not an http:// URL: " + url);
  std::string rest = url.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (rest.empty() || colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find('/') != std::string::npos) {
    return Status::InvalidArgument("target " + url + " needs host:port, e.g. http://127.0.0.1:8080");
  }
  return rest;
}

}  // namespace om::bench
