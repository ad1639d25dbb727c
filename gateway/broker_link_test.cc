// BrokerLink against an in-process fake broker (a ROUTER socket on a test
// thread): pipelining and matching by id, deadlines, no broker, shutdown.
#include "gateway/broker_link.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "protocol/codec.h"

namespace om::gateway {
namespace {

using namespace std::chrono_literals;

// Answers each Submit with Accepted{order_id = the order's customer_id},
// in reverse order within each batch it reads, unless `silent`.
class FakeBroker {
 public:
  FakeBroker() {
    router_.set(zmq::sockopt::linger, 0);
    router_.bind("tcp://127.0.0.1:*");
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] { Run(); });
  }
  ~FakeBroker() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return endpoint_; }
  std::atomic<bool> silent{false};
  std::atomic<int> received{0};

 private:
  void Run() {
    while (!stop_) {
      zmq::pollitem_t item{router_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, 20ms);
      std::vector<std::pair<std::string, std::string>> batch;  // routing id, reply
      zmq::message_t from, body;
      while (router_.recv(from, zmq::recv_flags::dontwait)) {
        (void)router_.recv(body, zmq::recv_flags::none);
        ++received;
        auto env = proto::DecodeFrontRequest(body.to_string_view());
        if (!env.ok() || silent) continue;
        auto* submit = std::get_if<proto::Submit>(&env->msg);
        std::string reply = submit ? proto::Encode(env->id, proto::Accepted{submit->order.customer_id, false})
                                   : proto::Encode(env->id, proto::StatsReply{});
        batch.emplace_back(from.to_string(), std::move(reply));
      }
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
        router_.send(zmq::buffer(it->first), zmq::send_flags::sndmore);
        router_.send(zmq::buffer(it->second), zmq::send_flags::none);
      }
    }
  }

  zmq::context_t ctx_{1};
  zmq::socket_t router_{ctx_, zmq::socket_type::router};
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

proto::FrontRequest SubmitFor(const std::string& customer) {
  proto::Submit s;
  s.order.customer_id = customer;
  s.order.items = {{"sku", 1, std::nullopt}};
  return s;
}

bool WaitConnected(BrokerLink& link) {
  // ZMQ_IMMEDIATE: sends fail until the TCP connection is up.
  for (int i = 0; i < 200; ++i) {
    if (link.Call(proto::GetStats{false}, 1s).ok()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(BrokerLink, PipelinesManyCallersAndMatchesRepliesById) {
  FakeBroker broker;
  BrokerLink link(broker.endpoint(), 10000);
  ASSERT_TRUE(link.Start().ok());
  ASSERT_TRUE(WaitConnected(link));
  constexpr int kThreads = 32, kCalls = 100;
  std::atomic<int> good{0}, bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        std::string me = "c-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = link.Call(SubmitFor(me), 5s);
        auto* a = r.ok() ? std::get_if<proto::Accepted>(&r.value()) : nullptr;
        (a && a->order_id == me ? good : bad)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kCalls);
  EXPECT_EQ(bad.load(), 0);
  // in_flight() is the I/O thread's count at the end of its turn, which may
  // come just after the last caller woke.
  for (int i = 0; i < 100 && link.in_flight() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(link.in_flight(), 0u);
}

TEST(BrokerLink, ASilentBrokerTimesOutAtTheDeadline) {
  FakeBroker broker;
  BrokerLink link(broker.endpoint(), 10000);
  ASSERT_TRUE(link.Start().ok());
  ASSERT_TRUE(WaitConnected(link));
  broker.silent = true;
  auto t0 = std::chrono::steady_clock::now();
  auto r = link.Call(SubmitFor("x"), 200ms);
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout);
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 1000ms);
  // The broker wakes up: a late reply to the expired call is dropped, and
  // the next call gets its own answer.
  broker.silent = false;
  auto next = link.Call(SubmitFor("y"), 2s);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(std::get<proto::Accepted>(next.value()).order_id, "y");
}

TEST(BrokerLink, NoBrokerFailsAtOnce) {
  BrokerLink link("tcp://127.0.0.1:1", 1000);  // nothing listens on port 1
  ASSERT_TRUE(link.Start().ok());
  auto t0 = std::chrono::steady_clock::now();
  auto r = link.Call(SubmitFor("x"), 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
}

TEST(BrokerLink, StopWakesWaitingCallersAndRefusesNewOnes) {
  FakeBroker broker;
  BrokerLink link(broker.endpoint(), 10000);
  ASSERT_TRUE(link.Start().ok());
  ASSERT_TRUE(WaitConnected(link));
  broker.silent = true;
  std::atomic<int> unavailable{0};
  std::vector<std::thread> waiting;
  for (int i = 0; i < 4; ++i) {
    waiting.emplace_back([&] {
      auto r = link.Call(SubmitFor("x"), 30s);
      if (!r.ok() && r.status().code() == Code::kUnavailable) ++unavailable;
    });
  }
  while (broker.received < 5) std::this_thread::sleep_for(5ms);
  auto t0 = std::chrono::steady_clock::now();
  link.Stop();
  for (auto& t : waiting) t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_EQ(unavailable.load(), 4);
  auto after = link.Call(SubmitFor("x"), 1s);
  EXPECT_EQ(after.status().code(), Code::kUnavailable);
}

TEST(BrokerLink, FailsAtOnceBeforeStart) {
  BrokerLink link("tcp://127.0.0.1:1", 1000);
  EXPECT_EQ(link.Call(SubmitFor("x"), 5s).status().code(), Code::kUnavailable);
}

TEST(BrokerLink, RejectsAMalformedEndpointAtStart) {
  BrokerLink link("not-an-endpoint", 1000);
  Status st = link.Start();
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(link.Call(SubmitFor("x"), 1s).status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace om::gateway
