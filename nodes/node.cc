#include "nodes/node.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <random>

#include "common/clock.h"
#include "common/signals.h"
#include "protocol/codec.h"

namespace om::node {
namespace {

int64_t NowMono() { return SystemClock::Instance().MonoMicros(); }

std::string Hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

Node::Node(const NodeOptions& options, Pipeline pipeline)
    : options_(options),
      pipeline_(std::move(pipeline)),
      host_(Hostname()),
      reconnect_backoff_(options.reconnect_base_ms * 1000, options.reconnect_cap_ms * 1000) {
  id_ = options.id;
  if (id_.empty()) {
    std::mt19937 rng(std::random_device{}());
    char suffix[8];
    snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rng() & 0xffff));
    id_ = host_ + "-" + std::to_string(getpid()) + "-" + suffix;
  }
}

void Node::Connect() {
  socket_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  socket_->set(zmq::sockopt::sndhwm, 100'000);
  socket_->set(zmq::sockopt::rcvhwm, 100'000);
  socket_->connect(options_.broker_endpoint);
  last_heard_mono_ = NowMono();
  next_heartbeat_mono_ = 0;
  SendReady(draining_ ? 0 : static_cast<uint32_t>(options_.credit));
}

void Node::Send(uint64_t id, const std::string& bytes) {
  // DEALER queues while disconnected (up to its high-water mark); never block.
  (void)id;
  if (!socket_->send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
    spdlog::warn("send queue to the broker is full; message dropped (the broker will time it out)");
  }
}

void Node::SendReady(uint32_t credit) {
  Send(0, proto::Encode(0, proto::Ready{id_, credit, host_, static_cast<uint32_t>(getpid())}));
}

void Node::OnFrame(std::string_view bytes) {
  auto env = proto::DecodeBrokerToNode(bytes);
  if (!env.ok()) {
    ++bad_frames_;
    spdlog::warn("bad frame #{} from the broker ({} bytes): {}", bad_frames_, bytes.size(), env.status().ToString());
    return;
  }
  if (auto* d = std::get_if<proto::Deliver>(&env->msg)) return StartRun(env->id, *d);
  if (std::holds_alternative<proto::Reconnect>(env->msg)) {
    spdlog::info("broker does not know this node (it restarted?): announcing again");
    SendReady(draining_ ? 0 : static_cast<uint32_t>(options_.credit));
  }
  // Heartbeat: hearing anything is enough.
}

void Node::StartRun(uint64_t delivery_id, proto::Deliver& d) {
  if (draining_) {
    proto::NodeResult r;
    r.order_id = d.order_id;
    r.end = proto::AttemptEnd::kReleased;
    return Send(delivery_id, proto::Encode(delivery_id, r));
  }
  if (runs_.count(delivery_id)) return;  // duplicate delivery frame
  OrderContext ctx;
  ctx.order_id = std::move(d.order_id);
  ctx.attempt = d.attempt;
  ctx.order = std::move(d.order);
  for (auto& entry : d.catalog) {
    std::string product_id = entry.product_id;
    ctx.catalog.emplace(std::move(product_id), std::move(entry));
  }
  runs_[delivery_id] = std::make_unique<PipelineRun>(&pipeline_, delivery_id, std::move(ctx), NowMono());
  ready_.push_back(delivery_id);
}

void Node::RunDue(int64_t now) {
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    ready_.push_back(waiting_.begin()->second);
    waiting_.erase(waiting_.begin());
  }
  while (!ready_.empty()) {
    uint64_t delivery_id = ready_.front();
    ready_.pop_front();
    auto it = runs_.find(delivery_id);
    if (it == runs_.end()) continue;
    if (it->second->Advance(now)) {
      auto run = std::move(it->second);
      runs_.erase(it);
      Finish(std::move(run), now);
    } else {
      waiting_.emplace(it->second->wait_until(), delivery_id);
    }
  }
}

void Node::Finish(std::unique_ptr<PipelineRun> run, int64_t now) {
  proto::NodeResult r = run->result(now);
  if (r.end != proto::AttemptEnd::kOk) {
    spdlog::info("order {} attempt {}: step {} failed ({}): {} {}", r.order_id, run->context().attempt, r.step,
                 proto::AttemptEndName(r.end), r.error_code, r.error_message);
  }
  ++completed_;
  Send(run->delivery_id(), proto::Encode(run->delivery_id(), r));
}

Status Node::Run() {
  spdlog::info("node {} connecting to {} with credit {}; pipeline: {}", id_, options_.broker_endpoint,
               options_.credit, pipeline_.Describe());
  Connect();
  int64_t liveness_us = options_.heartbeat_interval_ms * 1000 * options_.heartbeat_liveness;
  while (!ShutdownRequested()) {
    int64_t now = NowMono();
    int64_t wake = next_heartbeat_mono_;
    if (!waiting_.empty()) wake = std::min(wake, waiting_.begin()->first);
    if (!ready_.empty()) wake = now;
    auto timeout = std::chrono::milliseconds(std::clamp<int64_t>((wake - now) / 1000, 0, 100));
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) return Status::Internal(std::string("poll: ") + e.what());
    }
    zmq::message_t msg;
    for (int n = 0; n < 10'000 && socket_->recv(msg, zmq::recv_flags::dontwait); ++n) {
      last_heard_mono_ = NowMono();
      reconnect_attempt_ = 0;
      reconnect_at_mono_ = 0;
      OnFrame(msg.to_string_view());
    }
    now = NowMono();
    RunDue(now);
    if (now >= next_heartbeat_mono_) {
      next_heartbeat_mono_ = now + options_.heartbeat_interval_ms * 1000;
      Send(0, proto::Encode(0, proto::Heartbeat{id_}));
    }
    if (reconnect_at_mono_ == 0 && now - last_heard_mono_ > liveness_us) {
      int64_t delay = reconnect_backoff_.Delay(++reconnect_attempt_);
      spdlog::warn("broker silent for {} ms: reconnecting in {} ms (attempt {})", (now - last_heard_mono_) / 1000,
                   delay / 1000, reconnect_attempt_);
      reconnect_at_mono_ = now + delay;
    }
    if (reconnect_at_mono_ != 0 && now >= reconnect_at_mono_) {
      // Orders in hand keep running meanwhile; their results go to whichever
      // broker answers (a restarted one ignores them as late).
      reconnect_at_mono_ = 0;
      Connect();
    }
  }
  Drain();
  return Status::Ok();
}

void Node::Drain() {
  draining_ = true;
  SendReady(0);  // no more deliveries
  spdlog::info("draining: {} orders in hand, up to {} ms", runs_.size(), options_.drain_timeout_ms);
  int64_t deadline = NowMono() + options_.drain_timeout_ms * 1000;
  while (!runs_.empty() && NowMono() < deadline) {
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(5));
    zmq::message_t msg;
    while (socket_->recv(msg, zmq::recv_flags::dontwait)) OnFrame(msg.to_string_view());
    RunDue(NowMono());
  }
  for (auto& [delivery_id, run] : runs_) {
    proto::NodeResult r;
    r.order_id = run->context().order_id;
    r.end = proto::AttemptEnd::kReleased;
    Send(delivery_id, proto::Encode(delivery_id, r));
  }
  if (!runs_.empty()) spdlog::info("handed {} unfinished orders back to the broker", runs_.size());
  runs_.clear();
  Send(0, proto::Encode(0, proto::Disconnect{id_}));
  // Give the I/O thread a moment to push the last frames out before linger 0 drops them.
  socket_->set(zmq::sockopt::linger, 1000);
  socket_->close();
  spdlog::info("node {} stopped after {} orders", id_, completed_);
}

}  // namespace om::node
