// A poison order that makes every node that sees it exit: it ends
// DEAD_LETTERED after max_attempts with the history of every attempt, the
// other orders are unaffected, and once the cause is gone (nodes without the
// crashing step) `ordermesh dlq redrive` brings it to PROCESSED.
#include <gtest/gtest.h>

#include <thread>

#include "tests/harness.h"

namespace om::test {
namespace {

TEST(PoisonOrder, DeadLetteredAfterMaxAttemptsThenRedrivenToProcessed) {
  Mesh mesh({"--max-attempts", "3", "--retry-base-ms", "10"});
  // Credit 1: a node that crashes on the poison holds nothing else.
  const std::vector<std::string> crashing = {"--pipeline", "crash_if_marked,complete", "--credit", "1"};
  std::vector<Process*> nodes = {&mesh.AddNode(crashing), &mesh.AddNode(crashing)};
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 2; }, 10s));

  std::vector<std::string> good = mesh.Submit(20);
  std::vector<std::string> poison = mesh.Submit(1, R"({"poison": true})");
  ASSERT_EQ(poison.size(), 1u);
  std::vector<std::string> more = mesh.Submit(20);

  // A supervisor's job: restart nodes that died, until the poison is parked.
  int crashes = 0;
  bool parked = WaitFor(
      [&] {
        for (auto*& n : nodes) {
          if (!n->Running()) {
            ++crashes;
            n = &mesh.AddNode(crashing);
          }
        }
        auto rec = mesh.Order(poison[0]);
        return rec && rec->status == proto::OrderStatus::kDeadLettered;
      },
      60s);
  ASSERT_TRUE(parked);
  std::this_thread::sleep_for(200ms);
  for (auto* n : nodes) crashes += n->Running() ? 0 : 1;
  EXPECT_EQ(crashes, 3) << "each of the 3 attempts should have crashed one node";

  auto rec = mesh.Order(poison[0]);
  ASSERT_EQ(rec->attempt_log.size(), 3u);
  for (const auto& a : rec->attempt_log) {
    EXPECT_EQ(a.end, proto::AttemptEnd::kNodeLost);
    EXPECT_FALSE(a.node_id.empty());
    EXPECT_GT(a.started_us, 0);
  }
  EXPECT_EQ(rec->reason, "node_lost");
  good.insert(good.end(), more.begin(), more.end());
  ASSERT_TRUE(mesh.WaitAllTerminal(41, 30s));
  for (const auto& id : good) EXPECT_EQ(mesh.Order(id)->status, proto::OrderStatus::kProcessed) << id;

  // The dead-letter store shows it, with its reason.
  auto args = mesh.CliArgs();
  args.insert(args.end(), {"--json", "dlq", "show", poison[0]});
  RunResult shown = RunTool("ordermesh", args);
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find("node_lost"), std::string::npos) << shown.out;

  // Remove the cause: replace the crashing nodes with healthy ones.
  for (auto* n : nodes) n->Signal(SIGKILL);
  mesh.AddNode({"--id", "healthy", "--pipeline", "complete"});
  ASSERT_TRUE(WaitFor(
      [&] {
        auto nodes_now = mesh.Stats().nodes;
        return nodes_now.size() == 1 && nodes_now[0].node_id == "healthy";
      },
      10s));
  args = mesh.CliArgs();
  args.insert(args.end(), {"dlq", "redrive", poison[0]});
  RunResult redriven = RunTool("ordermesh", args);
  ASSERT_EQ(redriven.status, 0) << redriven.err;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = mesh.Order(poison[0]);
        return r && r->status == proto::OrderStatus::kProcessed;
      },
      30s));
  rec = mesh.Order(poison[0]);
  EXPECT_EQ(rec->redrives, 1u);
  EXPECT_EQ(rec->attempt_log.size(), 4u);  // the history of the failed attempts is kept
}

}  // namespace
}  // namespace om::test
