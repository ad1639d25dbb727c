#include "bench/event_feed.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>

#include "bench/target.h"
#include "bench/quiet_thread.h"
#include "protocol/codec.h"

namespace om::bench {
namespace {

// Everything: the broker's log numbers order and non-order events
// (payment.voided, catalog.updated) in one seq space, so only the whole
// feed shows whether a seq was skipped. Non-order topics only advance seq.
constexpr std::string_view kSubscription = "";
constexpr int kReceiveHighWaterMark = 2'000'000;
constexpr int kMaxBatch = 4096;  // messages read before handing a batch over

bool IsTerminalTopic(std::string_view topic) {
  return topic == "order.processed" || topic == "order.failed" || topic == "order.dead_lettered";
}

}  // namespace

EventFeed::EventFeed(zmq::context_t& ctx, std::string endpoint)
    : ctx_(ctx), endpoint_(std::move(endpoint)), socket_(ctx, zmq::socket_type::sub) {}

EventFeed::~EventFeed() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

Status EventFeed::Start(int subscribe_wait_ms) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Status::Internal("eventfd failed");
  try {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvhwm, kReceiveHighWaterMark);
    socket_.set(zmq::sockopt::rcvtimeo, 100);  // wake to check stop_
    socket_.set(zmq::sockopt::subscribe, kSubscription);
    socket_.connect(endpoint_);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable("cannot subscribe to " + endpoint_ + ": " + e.what());
  }
  thread_ = StartQuietThread([this] { Run(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(subscribe_wait_ms));
  return Status::Ok();
}

void EventFeed::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void EventFeed::Run() {
  std::vector<TerminalEvent> batch;
  zmq::message_t topic, body;
  while (!stop_.load(std::memory_order_relaxed)) {
    // Block for the first message (up to rcvtimeo), then drain what waits.
    bool block = true;
    for (int n = 0; n < kMaxBatch; ++n) {
      auto got = socket_.recv(topic, block ? zmq::recv_flags::none : zmq::recv_flags::dontwait);
      if (!got) break;
      block = false;
      const int64_t now = MonoNanos();
      if (!topic.more()) {  // a one-frame message is not an event
        bad_frames_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (!socket_.recv(body, zmq::recv_flags::none)) break;  // the rest of a message is already here
      while (body.more()) {
        zmq::message_t rest;
        if (!socket_.recv(rest, zmq::recv_flags::none)) break;
        bad_frames_.fetch_add(1, std::memory_order_relaxed);
        if (!rest.more()) break;
      }
      OnMessage(topic.to_string_view(), body.to_string_view(), now, &batch);
    }
    if (!batch.empty()) Publish(&batch);
  }
}

void EventFeed::OnMessage(std::string_view topic, std::string_view body, int64_t recv_ns,
                          std::vector<TerminalEvent>* batch) {
  events_.fetch_add(1, std::memory_order_relaxed);
  const bool terminal = IsTerminalTopic(topic);
  uint64_t seq = 0;
  if (terminal) {
    auto ev = proto::DecodeEvent(body);
    if (!ev.ok()) {
      bad_frames_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    seq = ev->seq;
    batch->push_back({MakeOrderKey(ev->order_id), ev->status, recv_ns, ev->seq});
  } else {
    auto header = proto::DecodeHeader(body);  // the envelope id is the sequence number
    if (!header.ok()) {
      bad_frames_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    seq = header->id;
  }
  const uint64_t last = last_seq_.load(std::memory_order_relaxed);
  if (last != 0 && seq > last + 1) {
    std::lock_guard<std::mutex> lock(mu_);
    gaps_.emplace_back(last + 1, seq - 1);
  }
  if (seq > last) last_seq_.store(seq, std::memory_order_relaxed);
}

void EventFeed::Publish(std::vector<TerminalEvent>* batch) {
  // Under mu_, three things change together: the queue, has_events_ and the
  // readability of wake_fd_. So the fd is readable exactly when there is
  // something to take, and the runner never spins on a stale wake-up.
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.empty()) {
    queue_.swap(*batch);
    has_events_.store(true, std::memory_order_release);
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
  } else {
    queue_.insert(queue_.end(), batch->begin(), batch->end());
  }
  batch->clear();
}

void EventFeed::Take(std::vector<TerminalEvent>* out) {
  // The runner calls this every loop turn: skip the lock when there is
  // nothing (a batch published right after this check leaves the fd
  // readable, so the runner's next Poll wakes at once).
  if (!has_events_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.empty()) return;
  uint64_t ignored;
  (void)!read(wake_fd_, &ignored, sizeof ignored);
  has_events_.store(false, std::memory_order_relaxed);
  if (out->empty()) {
    out->swap(queue_);
  } else {
    out->insert(out->end(), queue_.begin(), queue_.end());
    queue_.clear();
  }
}

std::vector<std::pair<uint64_t, uint64_t>> EventFeed::Gaps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return gaps_;
}

}  // namespace om::bench
