// A node killed with SIGKILL while it holds orders: the broker notices the
// missing heartbeats, and every order it held completes on the other nodes.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace om::test {
namespace {

TEST(NodeKill, OrdersHeldByAKilledNodeCompleteElsewhere) {
  Mesh mesh;
  // Slow nodes (50 ms per order, 16 at once) so the victim surely holds orders.
  Process& victim = mesh.AddNode({"--id", "victim", "--pipeline", "delay", "--delay-ms", "50", "--credit", "16"});
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 1; }, 10s));
  std::vector<std::string> ids = mesh.Submit(600);
  ASSERT_EQ(ids.size(), 600u);
  mesh.AddNode({"--id", "survivor-1", "--pipeline", "delay", "--delay-ms", "50", "--credit", "16"});
  mesh.AddNode({"--id", "survivor-2", "--pipeline", "delay", "--delay-ms", "50", "--credit", "16"});

  bool holding = WaitFor(
      [&] {
        for (const auto& n : mesh.Stats().nodes) {
          if (n.node_id == "victim" && n.in_flight > 0 && n.completed > 0) return true;
        }
        return false;
      },
      10s);
  ASSERT_TRUE(holding);
  victim.Signal(SIGKILL);
  ASSERT_EQ(victim.Wait(5s), 128 + SIGKILL);

  ASSERT_TRUE(mesh.WaitAllTerminal(600, 60s));
  proto::Stats stats = mesh.Stats();
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(proto::OrderStatus::kProcessed)], 600u);
  for (const auto& n : stats.nodes) EXPECT_NE(n.node_id, "victim");

  // Some order was held by the victim, lost with it, and finished elsewhere.
  int moved = 0;
  for (const auto& id : ids) {
    auto rec = mesh.Order(id);
    ASSERT_TRUE(rec.has_value());
    ASSERT_EQ(rec->status, proto::OrderStatus::kProcessed);
    if (rec->attempt_log.size() >= 2 && rec->attempt_log.front().node_id == "victim") {
      EXPECT_EQ(rec->attempt_log.front().end, proto::AttemptEnd::kNodeLost);
      EXPECT_NE(rec->attempt_log.back().node_id, "victim");
      ++moved;
    }
  }
  EXPECT_GT(moved, 0);
}

}  // namespace
}  // namespace om::test
