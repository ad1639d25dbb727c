#include "bench/echo_server.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "bench/quiet_thread.h"
#include "protocol/codec.h"

namespace om::bench {
namespace {

constexpr int kHighWaterMark = 1'000'000;

// A UUIDv7-shaped id made from a counter: unique within the process run.
std::string FakeOrderId(uint64_t n) {
  char buf[40];
  snprintf(buf, sizeof buf, "%08x-0000-7000-8000-%012llx", static_cast<unsigned>(getpid()),
           static_cast<unsigned long long>(n & 0xffffffffffffull));
  return buf;
}

}  // namespace

EchoServer::EchoServer(zmq::context_t& ctx, std::string transport)
    : ctx_(ctx),
      transport_(std::move(transport)),
      front_(ctx, zmq::socket_type::router),
      pub_(ctx, zmq::socket_type::pub) {}

EchoServer::~EchoServer() { Stop(); }

Status EchoServer::Start() {
  try {
    for (zmq::socket_t* s : {&front_, &pub_}) {
      s->set(zmq::sockopt::linger, 0);
      s->set(zmq::sockopt::sndhwm, kHighWaterMark);
      s->set(zmq::sockopt::rcvhwm, kHighWaterMark);
    }
    front_.set(zmq::sockopt::router_mandatory, 1);
    front_.set(zmq::sockopt::rcvtimeo, 100);  // wake to check stop_
    if (transport_ == "inproc") {
      const std::string tag = std::to_string(reinterpret_cast<uintptr_t>(this));
      front_endpoint_ = "inproc://bench-echo-front-" + tag;
      events_endpoint_ = "inproc://bench-echo-events-" + tag;
      front_.bind(front_endpoint_);
      pub_.bind(events_endpoint_);
    } else {
      front_.bind("tcp://127.0.0.1:*");
      pub_.bind("tcp://127.0.0.1:*");
      front_endpoint_ = front_.get(zmq::sockopt::last_endpoint);
      events_endpoint_ = pub_.get(zmq::sockopt::last_endpoint);
    }
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("echo server cannot bind: ") + e.what());
  }
  thread_ = StartQuietThread([this] { Run(); });
  return Status::Ok();
}

void EchoServer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

double EchoServer::CpuSeconds() {
  if (!thread_.joinable()) return 0;
  clockid_t clock;
  timespec ts{};
  if (pthread_getcpuclockid(thread_.native_handle(), &clock) != 0 || clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void EchoServer::Run() {
  static constexpr proto::OrderStatus kLifecycle[] = {proto::OrderStatus::kPending, proto::OrderStatus::kProcessing,
                                                      proto::OrderStatus::kProcessed};
  uint64_t orders = 0;
  uint64_t seq = 0;
  zmq::message_t from, body;
  proto::EventMsg ev;
  while (!stop_.load(std::memory_order_relaxed)) {
    if (!front_.recv(from, zmq::recv_flags::none)) continue;  // timeout: check stop_
    if (!from.more() || !front_.recv(body, zmq::recv_flags::none)) continue;
    while (body.more()) (void)front_.recv(body, zmq::recv_flags::none);
    // The header is enough: the echo server measures the bench, not decoding.
    auto header = proto::DecodeHeader(body.to_string_view());
    std::string reply;
    std::string order_id;
    if (header.ok() && header->type == proto::MsgType::kSubmit) {
      order_id = FakeOrderId(++orders);
      reply = proto::Encode(header->id, proto::Accepted{order_id, false});
    } else {
      uint64_t id = header.ok() ? header->id : 0;
      reply = proto::Encode(id, proto::Error{proto::ErrorCode::kBadRequest, "the echo server only takes SUBMIT", 0});
    }
    try {
      (void)front_.send(from, zmq::send_flags::sndmore);
      (void)front_.send(zmq::buffer(reply), zmq::send_flags::none);
    } catch (const zmq::error_t&) {
      continue;  // the client is gone
    }
    if (order_id.empty()) continue;
    ev.event.order_id = order_id;
    for (proto::OrderStatus status : kLifecycle) {
      ev.event.seq = ++seq;
      ev.event.status = status;
      std::string bytes = proto::Encode(seq, ev);
      std::string_view topic = proto::StatusTopic(status);
      (void)pub_.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      (void)pub_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    }
  }
}

}  // namespace om::bench
