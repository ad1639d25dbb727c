// SIGTERM: a node drains (finishes or hands back what it holds) and exits 0;
// the broker refuses new submits, flushes, closes RocksDB and exits 0; the
// orders it held are all there after a restart.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace om::test {
namespace {

TEST(Shutdown, NodeDrainsAndBrokerExitsCleanlyKeepingEveryOrder) {
  Mesh mesh;
  Process& node = mesh.AddNode({"--pipeline", "delay", "--delay-ms", "100", "--credit", "8", "--drain-timeout-ms", "150"});
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 1; }, 10s));
  auto ids = mesh.Submit(100);
  ASSERT_EQ(ids.size(), 100u);
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().in_flight == 8; }, 5s));

  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(5s), 0);
  // What it held was finished or handed back: nothing stays PROCESSING.
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().in_flight == 0 && mesh.Stats().nodes.empty(); }, 5s));
  std::string node_log = ReadFile(node.err_path());
  EXPECT_NE(node_log.find("draining"), std::string::npos) << node_log;

  mesh.broker().Signal(SIGTERM);
  EXPECT_EQ(mesh.broker().Wait(10s), 0);
  EXPECT_NE(ReadFile(mesh.broker().err_path()).find("broker stopped"), std::string::npos);

  mesh.StartBroker();
  mesh.AddNode();
  ASSERT_TRUE(mesh.WaitAllTerminal(100, 30s));
  for (const auto& id : ids) EXPECT_EQ(mesh.Order(id)->status, proto::OrderStatus::kProcessed) << id;
}

}  // namespace
}  // namespace om::test
