#include "gateway/broker_link.h"

#include <linux/futex.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <queue>
#include <unordered_map>
#include <vector>

#include "protocol/codec.h"

namespace om::gateway {
namespace {

// While calls are in flight the I/O thread sleeps at most this long, so
// workers never need to wake it (see Run, step 4).
constexpr int64_t kBusyPollMicros = 100;

int64_t MonoMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A one-shot event for one waiting thread, on a futex: Signal() costs a
// syscall only when the waiter is actually asleep.
class Completion {
 public:
  void Wait() {
    uint32_t s = state_.load(std::memory_order_acquire);
    while (s != kDone) {
      if (s == kPending && !state_.compare_exchange_weak(s, kSleeping, std::memory_order_acq_rel)) continue;
      syscall(SYS_futex, reinterpret_cast<uint32_t*>(&state_), FUTEX_WAIT_PRIVATE, kSleeping, nullptr, nullptr, 0);
      s = state_.load(std::memory_order_acquire);
    }
  }
  // After this the waiter may return and free the memory: touch nothing else.
  // (A futex wake on memory just reused is at worst a spurious wake-up, which
  // Wait() tolerates.)
  void Signal() {
    if (state_.exchange(kDone, std::memory_order_acq_rel) == kSleeping) {
      syscall(SYS_futex, reinterpret_cast<uint32_t*>(&state_), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
    }
  }

 private:
  static constexpr uint32_t kPending = 0, kSleeping = 1, kDone = 2;
  std::atomic<uint32_t> state_{kPending};
};

}  // namespace

// One request in flight. Lives on the calling worker's stack; the I/O thread
// owns it from Enqueue() until Finish() and touches nothing after that.
struct BrokerLink::PendingCall {
  uint64_t id = 0;
  std::string bytes;
  int64_t deadline_us = 0;  // monotonic
  PendingCall* next = nullptr;
  // Written by the I/O thread before done.Signal(), read by the caller after done.Wait().
  Code outcome = Code::kOk;
  zmq::message_t reply;
  Completion done;
};

namespace {

using PendingCall = BrokerLink::PendingCall;

// Marks the queue closed: Enqueue() then fails the call itself.
PendingCall* const kClosed = reinterpret_cast<PendingCall*>(uintptr_t{1});

void Finish(PendingCall* c, Code outcome) {
  c->outcome = outcome;
  c->done.Signal();
}

}  // namespace

BrokerLink::BrokerLink(std::string endpoint, int hwm) : endpoint_(std::move(endpoint)), hwm_(hwm) {}

BrokerLink::~BrokerLink() { Stop(); }

Status BrokerLink::Start() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Status::Internal("eventfd failed");
  std::promise<Status> started;
  auto result = started.get_future();
  io_ = std::thread([this, &started] { Run(&started); });
  Status st = result.get();
  if (!st.ok()) {
    io_.join();
    queued_.store(kClosed);
  }
  started_.store(st.ok(), std::memory_order_release);
  return st;
}

void BrokerLink::Stop() {
  if (stop_.exchange(true)) return;
  if (io_.joinable()) {
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    io_.join();
  }
  // Whatever was queued after the I/O thread's last look fails here.
  for (PendingCall* c = queued_.exchange(kClosed); c != nullptr && c != kClosed;) {
    PendingCall* next = c->next;
    Finish(c, Code::kUnavailable);
    c = next;
  }
  if (wake_fd_ >= 0) close(wake_fd_);
  wake_fd_ = -1;
}

void BrokerLink::Enqueue(PendingCall* c) {
  PendingCall* head = queued_.load(std::memory_order_relaxed);
  do {
    if (head == kClosed) return Finish(c, Code::kUnavailable);
    c->next = head;
  } while (!queued_.compare_exchange_weak(head, c, std::memory_order_seq_cst, std::memory_order_relaxed));
  // Pairs with the I/O thread's store(true) + load(queued_) before it sleeps:
  // either it sees this call, or this sees it asleep and wakes it.
  if (io_sleeping_.exchange(false, std::memory_order_seq_cst)) {
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
  }
}

BrokerLink::PendingCall* BrokerLink::TakeQueued() {
  PendingCall* lifo = queued_.exchange(nullptr, std::memory_order_acquire);
  PendingCall* fifo = nullptr;
  while (lifo) {
    PendingCall* next = lifo->next;
    lifo->next = fifo;
    fifo = lifo;
    lifo = next;
  }
  return fifo;
}

Result<proto::FrontReply> BrokerLink::Call(const proto::FrontRequest& req, std::chrono::milliseconds timeout) {
  PendingCall c;
  c.id = next_id_.fetch_add(1, std::memory_order_relaxed) + 1;
  c.bytes = std::visit([&](const auto& m) { return proto::Encode(c.id, m); }, req);
  c.deadline_us = MonoMicros() + std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
  if (!started_.load(std::memory_order_acquire) || stop_.load(std::memory_order_relaxed)) {
    return Status::Unavailable("the broker link is not running");
  }
  Enqueue(&c);
  c.done.Wait();
  switch (c.outcome) {
    case Code::kOk: break;
    case Code::kTimeout:
      return Status::Timeout("the broker did not answer within " + std::to_string(timeout.count()) + " ms");
    default: return Status::Unavailable("the broker at " + endpoint_ + " is not reachable");
  }
  auto env = proto::DecodeFrontReply(c.reply.to_string_view());
  if (!env.ok()) return Status::Corruption("undecodable reply from the broker: " + env.status().message());
  return std::move(env->msg);
}

void BrokerLink::Run(std::promise<Status>* started) {
  zmq::socket_t dealer(ctx_, zmq::socket_type::dealer);
  try {
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::sndhwm, hwm_);
    dealer.set(zmq::sockopt::rcvhwm, hwm_);
    dealer.set(zmq::sockopt::immediate, 1);
    dealer.set(zmq::sockopt::reconnect_ivl, 100);
    dealer.set(zmq::sockopt::reconnect_ivl_max, 2000);
    // ZMTP heartbeats: a broker host that vanishes without closing TCP is
    // noticed within seconds, and sends fail fast again.
    dealer.set(zmq::sockopt::heartbeat_ivl, 1000);
    dealer.set(zmq::sockopt::heartbeat_timeout, 3000);
    dealer.connect(endpoint_);
  } catch (const zmq::error_t& e) {
    started->set_value(Status::InvalidArgument("gateway.broker_endpoint '" + endpoint_ + "': " + e.what()));
    return;
  }
  started->set_value(Status::Ok());

  std::unordered_map<uint64_t, PendingCall*> pending;
  pending.reserve(1024);
  using Deadline = std::pair<int64_t, uint64_t>;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;
  const int zmq_fd = dealer.get(zmq::sockopt::fd);
  uint64_t unmatched = 0;

  while (true) {
    const bool stopping = stop_.load(std::memory_order_acquire);
    // 1. Send everything the workers queued since the last turn.
    for (PendingCall* c = TakeQueued(); c != nullptr;) {
      PendingCall* next = c->next;  // c may be gone once finished
      if (stopping) {
        Finish(c, Code::kUnavailable);
      } else if (dealer.send(zmq::buffer(c->bytes), zmq::send_flags::dontwait)) {
        pending.emplace(c->id, c);
        deadlines.emplace(c->deadline_us, c->id);
      } else {
        Finish(c, Code::kUnavailable);  // no broker connected, or its queue is full
      }
      c = next;
    }
    // 2. Hand every reply that arrived to its caller.
    zmq::message_t msg;
    while (dealer.recv(msg, zmq::recv_flags::dontwait)) {
      bool extra = msg.more();
      while (extra) {  // not our protocol: drop the rest of the message
        zmq::message_t rest;
        extra = dealer.recv(rest, zmq::recv_flags::dontwait) && rest.more();
      }
      auto header = proto::DecodeHeader(msg.to_string_view());
      auto it = header.ok() ? pending.find(header->id) : pending.end();
      if (it == pending.end()) {
        // A reply after its deadline, or garbage.
        if (++unmatched <= 10 || unmatched % 1000 == 0) spdlog::debug("{} broker replies matched no call", unmatched);
        continue;
      }
      it->second->reply = std::move(msg);
      Finish(it->second, Code::kOk);
      pending.erase(it);
    }
    // 3. Expire what is past its deadline.
    const int64_t now = MonoMicros();
    while (!deadlines.empty() && deadlines.top().first <= now) {
      auto it = pending.find(deadlines.top().second);
      deadlines.pop();
      if (it == pending.end()) continue;  // answered already
      Finish(it->second, Code::kTimeout);
      pending.erase(it);
    }
    in_flight_.store(pending.size(), std::memory_order_relaxed);
    if (stopping) break;

    // 4. Sleep until a reply or the next deadline, and
    //    - when nothing is in flight, until a worker queues a call (it writes
    //      the eventfd because io_sleeping_ is set);
    //    - when calls are in flight, at most kBusyPollMicros: their replies
    //      wake this thread anyway and new calls ride along, so under load no
    //      worker pays for waking this thread.
    while (!deadlines.empty() && !pending.count(deadlines.top().second)) deadlines.pop();
    int64_t wait_us = deadlines.empty() ? 100'000 : std::clamp<int64_t>(deadlines.top().first - now, 0, 100'000);
    const bool idle = pending.empty();
    if (idle) {
      io_sleeping_.store(true, std::memory_order_seq_cst);
    } else {
      wait_us = std::min(wait_us, kBusyPollMicros);
    }
    // ZMQ_FD only signals a change: read ZMQ_EVENTS (which also runs the
    // socket's pending commands) and sleep only when nothing is readable.
    if (queued_.load(std::memory_order_seq_cst) != nullptr || (dealer.get(zmq::sockopt::events) & ZMQ_POLLIN)) {
      io_sleeping_.store(false, std::memory_order_relaxed);
      continue;
    }
    pollfd fds[2] = {{zmq_fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    timespec ts{static_cast<time_t>(wait_us / 1'000'000), static_cast<long>(wait_us % 1'000'000) * 1000};
    if (ppoll(fds, 2, &ts, nullptr) < 0 && errno != EINTR) spdlog::error("broker link poll: {}", strerror(errno));
    io_sleeping_.store(false, std::memory_order_relaxed);
    if (fds[1].revents & POLLIN) {
      uint64_t drained;
      (void)!read(wake_fd_, &drained, sizeof drained);
    }
  }
  for (auto& [id, c] : pending) Finish(c, Code::kUnavailable);
  pending.clear();
  in_flight_.store(0, std::memory_order_relaxed);
}

}  // namespace om::gateway
