#include "bench/zmq_target.h"

#include <poll.h>

#include <cerrno>
#include <chrono>

#include "protocol/codec.h"

namespace om::bench {
namespace {

constexpr int kHighWaterMark = 1'000'000;

SubmitReply DecodeReply(const zmq::message_t& msg, int64_t recv_ns) {
  SubmitReply r;
  r.recv_ns = recv_ns;
  auto env = proto::DecodeFrontReply(msg.to_string_view());
  if (!env.ok()) {
    auto header = proto::DecodeHeader(msg.to_string_view());
    if (header.ok()) r.request_id = header->id;
    return r;  // kBadReply
  }
  r.request_id = env->id;
  if (auto* a = std::get_if<proto::Accepted>(&env->msg)) {
    r.kind = SubmitReply::Kind::kAccepted;
    r.order_id = std::move(a->order_id);
  } else if (auto* e = std::get_if<proto::Error>(&env->msg)) {
    r.kind = SubmitReply::Kind::kError;
    r.error = e->code;
  }
  return r;
}

}  // namespace

ZmqTarget::ZmqTarget(zmq::context_t& ctx, std::string endpoint, int connections, bool with_queries)
    : ctx_(ctx), endpoint_(std::move(endpoint)), connections_(connections), with_queries_(with_queries) {}

std::string ZmqTarget::Describe() const {
  return "zmq " + endpoint_ + ", " + std::to_string(connections_) + " DEALER connection" +
         (connections_ == 1 ? "" : "s");
}

Status ZmqTarget::Connect() {
  try {
    for (int i = 0; i < connections_; ++i) {
      zmq::socket_t s(ctx_, zmq::socket_type::dealer);
      s.set(zmq::sockopt::linger, 0);
      s.set(zmq::sockopt::sndhwm, kHighWaterMark);
      s.set(zmq::sockopt::rcvhwm, kHighWaterMark);
      s.connect(endpoint_);
      fds_.push_back(s.get(zmq::sockopt::fd));
      sockets_.push_back(std::move(s));
    }
    if (with_queries_) control_ = std::make_unique<ControlClient>(ctx_, endpoint_);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable("cannot connect to " + endpoint_ + ": " + e.what());
  }
  return Status::Ok();
}

bool ZmqTarget::Submit(uint64_t request_id, const proto::Submit& submit) {
  std::string bytes = proto::Encode(request_id, submit);
  try {
    for (size_t tried = 0; tried < sockets_.size(); ++tried) {
      zmq::socket_t& s = sockets_[next_];
      next_ = (next_ + 1) % sockets_.size();
      if (s.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) return true;
    }
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;  // a signal (Ctrl-C) interrupted it: the caller retries
  }
  return false;
}

bool ZmqTarget::Drain(std::vector<SubmitReply>* out) {
  bool any = false;
  try {
    for (zmq::socket_t& s : sockets_) {
      zmq::message_t msg;
      while (s.recv(msg, zmq::recv_flags::dontwait)) {
        any = true;
        SubmitReply r = DecodeReply(msg, MonoNanos());
        bool extra = msg.more();
        while (msg.more() && s.recv(msg, zmq::recv_flags::dontwait)) {
        }
        if (extra) r.kind = SubmitReply::Kind::kBadReply;  // one frame per reply, by the spec
        out->push_back(std::move(r));
      }
    }
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;  // a signal interrupted it: the rest waits for the next call
  }
  return any;
}

void ZmqTarget::Poll(int64_t timeout_ns, int wake_fd, std::vector<SubmitReply>* out) {
  if (Drain(out) || timeout_ns <= 0) return;
  // ZMQ_FD is edge-triggered: it only signals changes after the last
  // ZMQ_EVENTS/recv. Asking ZMQ_EVENTS right before sleeping re-arms it and
  // catches a message that slipped in since Drain().
  try {
    for (zmq::socket_t& s : sockets_) {
      if (s.get(zmq::sockopt::events) & ZMQ_POLLIN) {
        Drain(out);
        return;
      }
    }
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    return;
  }
  std::vector<pollfd> pfds;
  pfds.reserve(fds_.size() + 1);
  for (int fd : fds_) pfds.push_back({fd, POLLIN, 0});
  if (wake_fd >= 0) pfds.push_back({wake_fd, POLLIN, 0});
  timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000), static_cast<long>(timeout_ns % 1'000'000'000)};
  (void)ppoll(pfds.data(), pfds.size(), &ts, nullptr);  // EINTR: the caller loops and checks for Ctrl-C
  Drain(out);
}

Result<proto::Stats> ZmqTarget::Stats(bool with_nodes) {
  return control_ ? control_->Stats(with_nodes) : Target::Stats(with_nodes);
}

Result<proto::Events> ZmqTarget::EventsSince(uint64_t after_seq, uint32_t limit) {
  return control_ ? control_->EventsSince(after_seq, limit) : Target::EventsSince(after_seq, limit);
}

Result<std::string> ZmqEndpointFromUrl(const std::string& url) {
  const std::string zmq_scheme = "zmq://";
  if (url.rfind(zmq_scheme, 0) == 0) {
    std::string rest = url.substr(zmq_scheme.size());
    if (rest.empty() || rest.find(':') == std::string::npos) {
      return Status::InvalidArgument("target " + url + " needs host:port, e.g. zmq://127.0.0.1:5555");
    }
    return "tcp://" + rest;
  }
  for (const char* scheme : {"tcp://", "ipc://", "inproc://"}) {
    if (url.rfind(scheme, 0) == 0) return url;
  }
  return Status::InvalidArgument("unsupported target " + url + " (expected zmq://host:port)");
}

}  // namespace om::bench
