#include "broker/broker_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <thread>

#include "common/clock.h"
#include "common/signals.h"
#include "config/catalog_file.h"

namespace om::broker {
namespace {

enum class SendOutcome { kSent, kFull, kGone };

// Receives one ROUTER message: [routing id][body]. Extra frames are folded
// into a bad body so the core counts and logs them. False when none waits.
bool RecvRouted(zmq::socket_t& s, std::string* from, zmq::message_t* body, bool* extra_frames) {
  zmq::message_t id;
  if (!s.recv(id, zmq::recv_flags::dontwait)) return false;
  *from = id.to_string();
  *extra_frames = false;
  if (!id.more() || !s.recv(*body, zmq::recv_flags::dontwait)) {
    body->rebuild(size_t{0});
    return true;
  }
  while (body->more()) {  // a peer sent a multi-part message: not our protocol
    zmq::message_t rest;
    if (!s.recv(rest, zmq::recv_flags::dontwait)) break;
    *extra_frames = true;
    if (!rest.more()) break;
  }
  return true;
}

SendOutcome SendRouted(zmq::socket_t& s, const std::string& to, const std::string& bytes) {
  try {
    // With ROUTER_MANDATORY a full pipe fails the first frame with EAGAIN
    // (cppzmq: no value), and then nothing of the message was queued.
    if (!s.send(zmq::buffer(to), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return SendOutcome::kFull;
    return s.send(zmq::buffer(bytes), zmq::send_flags::dontwait) ? SendOutcome::kSent : SendOutcome::kFull;
  } catch (const zmq::error_t&) {
    return SendOutcome::kGone;  // EHOSTUNREACH with ROUTER_MANDATORY: the peer is gone
  }
}

}  // namespace

BrokerServer::BrokerServer(const BrokerOptions& options) : options_(options) {}

BrokerServer::~BrokerServer() = default;

Status BrokerServer::Start() {
  auto store = Store::Open(options_.data_dir, options_.durability == "async" ? Durability::kAsync : Durability::kSync);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  core_ = std::make_unique<BrokerCore>(options_, store_.get(), &SystemClock::Instance());
  if (Status st = core_->Recover(); !st.ok()) return st;
  if (Status st = SeedCatalog(); !st.ok()) return st;
  if (Status st = core_->Commit(); !st.ok()) return st;  // recovery's own transitions, the seeded catalog

  try {
    for (zmq::socket_t* s : {&front_, &back_, &pub_}) {
      s->set(zmq::sockopt::sndhwm, options_.hwm);
      s->set(zmq::sockopt::rcvhwm, options_.hwm);
      s->set(zmq::sockopt::linger, 0);
    }
    // A reply or delivery that cannot be routed must be noticed, not dropped.
    front_.set(zmq::sockopt::router_mandatory, 1);
    back_.set(zmq::sockopt::router_mandatory, 1);
    front_.bind(options_.front_endpoint);
    back_.bind(options_.back_endpoint);
    pub_.bind(options_.events_endpoint);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("cannot bind: ") + e.what() + " (front " + options_.front_endpoint +
                               ", back " + options_.back_endpoint + ", events " + options_.events_endpoint + ")");
  }
  core_->outbox().Clear();  // nobody is connected yet
  spdlog::info("broker listening: front {} back {} events {}; data {} ({} durability)", options_.front_endpoint,
               options_.back_endpoint, options_.events_endpoint, options_.data_dir, options_.durability);
  return Status::Ok();
}

Status BrokerServer::SeedCatalog() {
  if (options_.catalog_file.empty()) return Status::Ok();
  auto entries = config::LoadCatalogFile(options_.catalog_file);
  if (!entries.ok() && entries.status().code() == Code::kNotFound) {
    if (core_->catalog().size() == 0) {
      spdlog::warn("{}; the catalog is empty (orders through the validate step fail unknown_product)",
                   entries.status().message());
    }
    return Status::Ok();
  }
  if (!entries.ok()) return entries.status();
  auto seeded = core_->SeedCatalog(*entries);
  if (!seeded.ok()) return Status::InvalidArgument(options_.catalog_file + ": " + seeded.status().message());
  if (*seeded) spdlog::info("catalog: {} products loaded from {}", entries->size(), options_.catalog_file);
  return Status::Ok();
}

void BrokerServer::DrainFront(int budget) {
  std::string from;
  zmq::message_t body;
  bool extra = false;
  while (budget-- > 0 && RecvRouted(front_, &from, &body, &extra)) {
    core_->OnFrontFrame(from, extra ? std::string_view() : body.to_string_view());
  }
}

void BrokerServer::DrainBack(int budget) {
  std::string from;
  zmq::message_t body;
  bool extra = false;
  while (budget-- > 0 && RecvRouted(back_, &from, &body, &extra)) {
    core_->OnBackFrame(from, extra ? std::string_view() : body.to_string_view());
  }
}

size_t BrokerServer::SendAll(zmq::socket_t& socket, std::vector<Outbox::Routed>* fresh, Held* held,
                             std::vector<std::string>* gone) {
  // Each peer's held messages go first, oldest first, until its pipe is full
  // again; a fresh message to a peer that still has some held waits behind
  // them, so every peer gets its messages in order. The cost of a turn is
  // one try per waiting peer, not one per held message.
  for (auto it = held->peers.begin(); it != held->peers.end();) {
    std::deque<std::string>& queue = it->second;
    while (!queue.empty()) {
      const SendOutcome sent = SendRouted(socket, it->first, queue.front());
      if (sent == SendOutcome::kFull) break;
      if (sent == SendOutcome::kGone) {
        gone->push_back(it->first);
        held->count -= queue.size();
        queue.clear();
        break;
      }
      queue.pop_front();
      --held->count;
    }
    it = queue.empty() ? held->peers.erase(it) : std::next(it);
  }
  size_t dropped = 0;
  for (Outbox::Routed& m : *fresh) {
    auto waiting = held->peers.empty() ? held->peers.end() : held->peers.find(m.to);
    if (waiting == held->peers.end()) {
      const SendOutcome sent = SendRouted(socket, m.to, m.bytes);
      if (sent == SendOutcome::kSent) continue;
      if (sent == SendOutcome::kGone) {
        gone->push_back(m.to);
        continue;
      }
    }
    if (held->count >= kMaxHeldMessages) {
      ++dropped;
      continue;
    }
    held->peers[m.to].push_back(std::move(m.bytes));
    ++held->count;
  }
  return dropped;
}

void BrokerServer::Flush() {
  Outbox& out = core_->outbox();
  std::vector<std::string> gone_clients, unreachable;
  // A client or node that reads slower than it asks fills its pipe (the
  // high-water mark): its messages are held here and sent on later turns,
  // never dropped while the cap holds.
  const size_t dropped_replies = SendAll(front_, &out.front, &held_front_, &gone_clients);
  const size_t dropped_deliveries = SendAll(back_, &out.back, &held_back_, &unreachable);
  if (!gone_clients.empty()) spdlog::debug("{} replies to departed clients dropped", gone_clients.size());
  if (dropped_replies + dropped_deliveries > 0) {
    // A delivery that never reaches its node comes back at its visibility
    // timeout; a lost reply leaves the client to time out (and retry with
    // its Idempotency-Key).
    spdlog::error("{} replies and {} deliveries dropped: {} messages are already held for peers whose queues are full "
                  "(broker.hwm {}); the peers do not read",
                  dropped_replies, dropped_deliveries, kMaxHeldMessages, options_.hwm);
  }
  if (Holding() && held_logged_at_ + 1'000'000 <= SystemClock::Instance().MonoMicros()) {
    held_logged_at_ = SystemClock::Instance().MonoMicros();
    spdlog::warn("{} replies and {} deliveries held: their peers' queues are full (broker.hwm {}); raise broker.hwm "
                 "above the clients' windows and the nodes' credit",
                 held_front_.count, held_back_.count, options_.hwm);
  }
  for (const auto& p : out.pub) {
    // PUB drops at its high-water mark instead of blocking: never wait here.
    (void)pub_.send(zmq::buffer(p.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    (void)pub_.send(zmq::buffer(p.bytes), zmq::send_flags::dontwait);
  }
  out.Clear();
  if (!unreachable.empty()) {
    std::sort(unreachable.begin(), unreachable.end());
    unreachable.erase(std::unique(unreachable.begin(), unreachable.end()), unreachable.end());
    for (const auto& node : unreachable) core_->OnNodeUnreachable(node);
  }
}

Status BrokerServer::Run() {
  zmq::pollitem_t items[] = {{front_.handle(), 0, ZMQ_POLLIN, 0}, {back_.handle(), 0, ZMQ_POLLIN, 0}};
  const int half = std::max(1, options_.max_batch / 2);
  while (!stop_.load() && !ShutdownRequested()) {
    int64_t wait_us = core_->NextTimerMono() - SystemClock::Instance().MonoMicros();
    // Held messages are retried every millisecond (ROUTER cannot poll a
    // single peer for room).
    const int64_t max_wait_ms = Holding() ? 1 : 100;
    auto timeout = std::chrono::milliseconds(std::clamp<int64_t>(wait_us / 1000 + 1, 0, max_wait_ms));
    try {
      zmq::poll(items, 2, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) return Status::Internal(std::string("poll: ") + e.what());
    }
    // Nodes first: results free credit, and finishing work beats taking more.
    DrainBack(options_.max_batch);
    DrainFront(half);
    core_->OnTick();
    core_->Dispatch();
    if (Status st = core_->Commit(); !st.ok()) {
      Flush();  // the storage errors for this turn's submits
      return st;
    }
    Flush();
  }

  spdlog::info("stopping: refusing new submits, flushing");
  core_->BeginDrain();
  // One last turn answers what is already queued on the front (submits get
  // kDraining), and commits everything before the store closes.
  DrainFront(options_.max_batch);
  DrainBack(options_.max_batch);
  Status st = core_->Commit();
  Flush();
  // Replies still held for a slow reader get one more second.
  for (int i = 0; i < 1000 && Holding(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Flush();
  }
  store_.reset();
  spdlog::info("broker stopped{}", st.ok() ? "" : " with error: " + st.ToString());
  return st;
}

}  // namespace om::broker
