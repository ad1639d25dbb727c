// The broker killed with SIGKILL in the middle of a stream of submits and
// restarted on the same directory: every order it had answered "accepted"
// for reaches a terminal state.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/harness.h"

namespace om::test {
namespace {

TEST(BrokerKill, EveryAcceptedOrderSurvivesSigkillAndRestart) {
  Mesh mesh;  // sync durability, the default
  mesh.AddNode({"--pipeline", "delay", "--delay-ms", "5", "--credit", "8"});
  mesh.AddNode({"--pipeline", "delay", "--delay-ms", "5", "--credit", "8"});
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 2; }, 10s));

  std::mutex mu;
  std::vector<std::string> accepted;  // GUARDED_BY(mu)
  std::atomic<bool> stop{false};
  std::atomic<int> unanswered{0};
  std::thread submitter([&] {
    zmq::context_t ctx(1);
    proto::FrontClient client(ctx, mesh.front());
    proto::Submit submit;
    submit.order.customer_id = "c";
    submit.order.items = {{"sku", 1, std::nullopt}};
    while (!stop) {
      auto r = client.Expect<proto::Accepted>(submit, 300ms);
      if (r.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        accepted.push_back(r->order_id);
      } else {
        ++unanswered;  // broker down: not accepted (or its answer was lost)
      }
    }
  });

  auto accepted_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return accepted.size();
  };
  ASSERT_TRUE(WaitFor([&] { return accepted_count() >= 300; }, 20s));
  mesh.broker().Signal(SIGKILL);
  ASSERT_EQ(mesh.broker().Wait(5s), 128 + SIGKILL);
  size_t before_kill = accepted_count();
  std::this_thread::sleep_for(300ms);
  mesh.StartBroker();
  // The stream goes on against the new process.
  ASSERT_TRUE(WaitFor([&] { return accepted_count() >= before_kill + 300; }, 20s));
  stop = true;
  submitter.join();
  EXPECT_GT(unanswered.load(), 0) << "the kill should have interrupted the stream";

  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 2; }, 15s)) << "nodes did not come back";
  ASSERT_TRUE(mesh.WaitAllTerminal(accepted.size(), 60s));
  for (const auto& id : accepted) {
    auto rec = mesh.Order(id);
    ASSERT_TRUE(rec.has_value()) << "accepted order " << id << " was lost";
    EXPECT_EQ(rec->status, proto::OrderStatus::kProcessed) << id;
  }
}

}  // namespace
}  // namespace om::test
