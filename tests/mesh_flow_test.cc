// 10,000 orders through one broker and three nodes: every order reaches a
// terminal state exactly once, and two notifiers each print every event, in
// sequence, with no gap and no duplicate.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "tests/harness.h"

namespace om::test {
namespace {

TEST(MeshFlow, TenThousandOrdersEachTerminalOnceAndNotifiersSeeEveryEvent) {
  Mesh mesh;
  // One notifier from the start of the log, one live: both must end complete.
  Process& early = mesh.AddNotifier({"--since", "0"});
  for (int i = 0; i < 3; ++i) mesh.AddNode({"--credit", "32"});
  Process& live = mesh.AddNotifier();
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 3; }, 10s));
  std::this_thread::sleep_for(300ms);  // let the live SUB finish connecting

  const int kOrders = 10'000;
  std::vector<std::string> ids = mesh.Submit(kOrders);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kOrders));
  ASSERT_TRUE(mesh.WaitAllTerminal(kOrders, 120s));

  proto::Stats stats = mesh.Stats();
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(proto::OrderStatus::kProcessed)], uint64_t{kOrders});
  // Three events per order: pending, processing, processed.
  const uint64_t last_seq = stats.last_event_seq;
  EXPECT_EQ(last_seq, uint64_t{3 * kOrders});

  for (Process* n : {&early, &live}) {
    ASSERT_TRUE(WaitFor([&] { return ReadLines(n->out_path()).size() >= (n == &early ? last_seq : 1); }, 30s));
  }
  std::this_thread::sleep_for(300ms);
  for (Process* n : {&early, &live}) n->Signal(SIGTERM);
  for (Process* n : {&early, &live}) EXPECT_EQ(n->Wait(10s), 0);

  // Every event in order, no gap, no duplicate; the early one from seq 1.
  std::set<std::string> accepted(ids.begin(), ids.end());
  for (Process* n : {&early, &live}) {
    auto lines = ReadLines(n->out_path());
    ASSERT_FALSE(lines.empty());
    uint64_t first = nlohmann::json::parse(lines.front())["seq"];
    if (n == &early) {
      EXPECT_EQ(first, 1u);
    }
    std::map<std::string, int> terminal;
    uint64_t expect = first;
    for (const auto& line : lines) {
      auto ev = nlohmann::json::parse(line);
      ASSERT_EQ(ev["seq"].get<uint64_t>(), expect) << "gap or duplicate in " << n->out_path();
      ++expect;
      std::string status = ev["status"];
      if (status == "PROCESSED" || status == "FAILED" || status == "DEAD_LETTERED") ++terminal[ev["order_id"]];
    }
    EXPECT_EQ(expect - 1, last_seq) << "notifier stopped before the last event";
    if (n == &early) {
      EXPECT_EQ(terminal.size(), accepted.size());
      for (const auto& [id, count] : terminal) {
        EXPECT_EQ(count, 1) << id;
        EXPECT_TRUE(accepted.count(id)) << id;
      }
    }
  }
}

}  // namespace
}  // namespace om::test
