// LoadRunner's self-check when the PUB feed loses events: a target that
// accepts every submit and keeps an event log, and a real PUB socket that
// publishes only some of the terminal events. The runner must fill the
// gaps and the tail (events dropped after the last one that arrived, which
// no later event reveals) from the log, and count no order twice.
#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <thread>

#include "bench/event_feed.h"
#include "bench/load_runner.h"
#include "protocol/codec.h"

namespace om::bench {
namespace {

// Accepts every submit; order i (from 1) gets event seq i, PROCESSED.
// Publishes the event at once unless drop(i), and answers EventsSince from
// the whole log, a page at a time.
class LossyBroker final : public Target {
 public:
  LossyBroker(zmq::context_t& ctx, std::function<bool(uint64_t)> drop, uint32_t max_page)
      : pub_(ctx, zmq::socket_type::pub), drop_(std::move(drop)), max_page_(max_page) {
    pub_.set(zmq::sockopt::linger, 0);
    pub_.bind("tcp://127.0.0.1:*");
  }
  std::string endpoint() const { return pub_.get(zmq::sockopt::last_endpoint); }

  std::string Describe() const override { return "lossy broker"; }
  Status Connect() override { return Status::Ok(); }
  bool Submit(uint64_t request_id, const proto::Submit&) override {
    proto::Event ev;
    ev.seq = log_.size() + 1;
    ev.order_id = "order-" + std::to_string(ev.seq);
    ev.status = proto::OrderStatus::kProcessed;
    log_.push_back(ev);
    SubmitReply r;
    r.request_id = request_id;
    r.kind = SubmitReply::Kind::kAccepted;
    r.order_id = ev.order_id;
    r.recv_ns = MonoNanos();
    replies_.push_back(r);
    if (!drop_(ev.seq)) {
      (void)pub_.send(zmq::buffer(proto::EventTopic(ev)), zmq::send_flags::sndmore);
      (void)pub_.send(zmq::buffer(proto::Encode(ev.seq, proto::EventMsg{ev})), zmq::send_flags::none);
    }
    return true;
  }
  void Poll(int64_t timeout_ns, int, std::vector<SubmitReply>* out) override {
    if (replies_.empty()) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<int64_t>(timeout_ns, 1'000'000)));
    }
    out->insert(out->end(), replies_.begin(), replies_.end());
    replies_.clear();
  }
  Result<proto::Events> EventsSince(uint64_t after_seq, uint32_t limit) override {
    ++log_reads_;
    proto::Events page;
    for (uint64_t seq = after_seq + 1; seq <= log_.size() && page.events.size() < std::min(limit, max_page_); ++seq) {
      page.events.push_back(log_[seq - 1]);
    }
    page.last_seq = log_.size();
    return page;
  }
  int log_reads() const { return log_reads_; }

 private:
  zmq::socket_t pub_;
  std::function<bool(uint64_t)> drop_;
  uint32_t max_page_;
  std::vector<proto::Event> log_;
  std::deque<SubmitReply> replies_;
  int log_reads_ = 0;
};

RunResult RunAgainst(LossyBroker& broker, zmq::context_t& ctx, uint64_t count) {
  BenchOptions o;
  o.count = count;
  o.rate = 0;  // closed loop
  o.window = 64;
  o.drain_timeout_s = 10;
  o.report_interval_s = 0;
  EventFeed feed(ctx, broker.endpoint());
  EXPECT_TRUE(feed.Start(200).ok());
  LoadRunner runner(o, &broker, &feed);
  RunResult r = runner.Run();
  feed.Stop();
  return r;
}

TEST(LoadRunnerSelfCheck, FillsGapsAndTheDroppedTailFromTheLog) {
  zmq::context_t ctx(1);
  constexpr uint64_t kOrders = 500;
  // A gap in the middle (100..119), and the last 30 events never published.
  LossyBroker broker(ctx, [](uint64_t seq) { return (seq >= 100 && seq < 120) || seq > kOrders - 30; }, 7);
  RunResult r = RunAgainst(broker, ctx, kOrders);
  EXPECT_TRUE(r.check.ok()) << "missing " << r.check.missing << ", duplicates " << r.check.duplicates;
  EXPECT_EQ(r.check.missing, 0u);
  EXPECT_EQ(r.check.duplicates, 0u);
  EXPECT_EQ(r.counters.completed, kOrders);
  EXPECT_EQ(r.check.recovered, 50u);  // 20 from the gap, 30 from the tail
  EXPECT_EQ(r.check.event_gaps, 20u);
  EXPECT_TRUE(r.check.drained);
}

TEST(LoadRunnerSelfCheck, NothingLostMeansNothingReadFromTheLog) {
  zmq::context_t ctx(1);
  LossyBroker broker(ctx, [](uint64_t) { return false; }, 1000);
  RunResult r = RunAgainst(broker, ctx, 300);
  EXPECT_TRUE(r.check.ok());
  EXPECT_EQ(r.counters.completed, 300u);
  EXPECT_EQ(r.check.recovered, 0u);
  EXPECT_EQ(r.check.event_gaps, 0u);
}

}  // namespace
}  // namespace om::bench
