// The business pipeline end to end, with real processes: stock that is never
// oversold through node and broker crashes, the compensation event of every
// order that failed after its payment, and transient payment failures that
// end in retries rather than dead letters.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/harness.h"

namespace om::test {
namespace {

const std::vector<std::string> kBusinessPipeline = {"--pipeline", "validate,price,payment,reserve"};

std::string WriteCatalog(int64_t stock) {
  std::string path = MakeTempDir() + "/catalog.toml";
  std::ofstream(path) << "currency = \"USD\"\n[[products]]\nid = \"hot\"\nname = \"Limited edition\"\n"
                      << "unit_price_cents = 500\nstock = " << stock << "\n";
  return path;
}

std::vector<std::string> NodeFlags(std::vector<std::string> extra) {
  std::vector<std::string> flags = kBusinessPipeline;
  for (const char* f : {"--credit", "8", "--heartbeat-interval-ms", "200", "--payment-latency-ms", "2"}) flags.push_back(f);
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

// Submits with an idempotency key until the broker accepts (or says it has it).
std::string SubmitUntilAccepted(proto::FrontClient& client, const std::string& key) {
  proto::Submit submit;
  submit.order.customer_id = "buyer-" + key;
  submit.order.items = {{"hot", 1, 500}};
  submit.order.currency = "USD";
  submit.order.idempotency_key = key;
  for (int tries = 0; tries < 200; ++tries) {
    auto r = client.Expect<proto::Accepted>(submit, 300ms);
    if (r.ok()) return r->order_id;
    std::this_thread::sleep_for(20ms);  // broker down, restarting, or the key still in progress
  }
  return "";
}

// Every event in the broker's log, in seq order.
std::vector<proto::Event> AllEvents(proto::FrontClient& client) {
  std::vector<proto::Event> all;
  uint64_t after = 0;
  for (;;) {
    auto page = client.Expect<proto::Events>(proto::EventsSince{after, 10000}, 5s);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok() || page->events.empty()) return all;
    after = page->events.back().seq;
    all.insert(all.end(), page->events.begin(), page->events.end());
  }
}

TEST(OrderPipeline, StockIsNeverOversoldThroughANodeKillAndABrokerKill) {
  Mesh mesh({"--catalog-file", WriteCatalog(100), "--retry-base-ms", "20", "--retry-cap-ms", "200"});
  for (int i = 0; i < 3; ++i) mesh.AddNode(NodeFlags({"--id", "node-" + std::to_string(i)}));
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 3; }, 10s));

  constexpr int kClients = 4, kPerClient = 250;
  std::mutex mu;
  std::set<std::string> ids;  // GUARDED_BY(mu)
  std::atomic<int> lost{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      zmq::context_t ctx(1);
      proto::FrontClient client(ctx, mesh.front());
      for (int i = 0; i < kPerClient; ++i) {
        std::string id = SubmitUntilAccepted(client, "c" + std::to_string(c) + "-" + std::to_string(i));
        std::lock_guard<std::mutex> lock(mu);
        if (id.empty()) ++lost; else ids.insert(id);
      }
    });
  }
  auto accepted = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return ids.size();
  };
  ASSERT_TRUE(WaitFor([&] { return accepted() >= 250; }, 30s));
  // The node killed here may hold orders; the broker hands them to the others.
  std::vector<proto::NodeInfo> nodes = mesh.Stats().nodes;
  ASSERT_FALSE(nodes.empty());
  kill(static_cast<pid_t>(nodes[0].pid), SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return accepted() >= 550; }, 30s));
  mesh.broker().Signal(SIGKILL);
  ASSERT_EQ(mesh.broker().Wait(5s), 128 + SIGKILL);
  std::this_thread::sleep_for(200ms);
  mesh.StartBroker();
  for (auto& t : clients) t.join();
  ASSERT_EQ(lost.load(), 0) << "some orders were never accepted";
  ASSERT_EQ(ids.size(), static_cast<size_t>(kClients * kPerClient)) << "one key, one order";

  ASSERT_TRUE(mesh.WaitAllTerminal(ids.size(), 90s));
  std::map<std::string, int> by_outcome;
  std::set<std::string> paid_and_failed;
  for (const auto& id : ids) {
    auto rec = mesh.Order(id);
    ASSERT_TRUE(rec.has_value()) << id;
    by_outcome[std::string(proto::StatusName(rec->status)) + "/" + rec->reason]++;
    if (rec->status == proto::OrderStatus::kFailed && rec->outputs.count("voided_authorization_id")) {
      paid_and_failed.insert(id);
    }
  }
  EXPECT_EQ(by_outcome["PROCESSED/"], 100);
  EXPECT_EQ(by_outcome["FAILED/insufficient_stock"], 900);
  EXPECT_EQ(by_outcome.size(), 2u) << "no other outcome";

  auto catalog = mesh.client().Expect<proto::Catalog>(proto::CatalogList{{"hot"}}, 5s);
  ASSERT_TRUE(catalog.ok() && catalog->entries.size() == 1);
  EXPECT_EQ(catalog->entries[0].stock, 0);

  // Every order that failed after its payment has exactly one payment.voided event.
  std::map<std::string, int> voided;
  for (const auto& ev : AllEvents(mesh.client())) {
    if (proto::EventTopic(ev) == proto::kTopicPaymentVoided) ++voided[ev.order_id];
  }
  EXPECT_EQ(paid_and_failed.size(), 900u) << "every order failed at reserve, after its payment";
  for (const auto& id : paid_and_failed) EXPECT_EQ(voided[id], 1) << id;
  EXPECT_EQ(voided.size(), paid_and_failed.size());
}

TEST(OrderPipeline, TransientPaymentFailuresEndInRetriesNotDeadLetters) {
  Mesh mesh({"--catalog-file", WriteCatalog(1'000'000), "--max-attempts", "8", "--retry-base-ms", "5",
             "--retry-cap-ms", "40"});
  for (int i = 0; i < 2; ++i) mesh.AddNode(NodeFlags({"--payment-transient-failure-rate", "0.3"}));
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 2; }, 10s));

  // 0.3^8: one order in ~15,000 fails all eight attempts; 100 orders keep
  // this test's false-failure rate under 1%.
  constexpr int kOrders = 100;
  std::vector<std::string> ids;
  zmq::context_t ctx(1);
  proto::FrontClient client(ctx, mesh.front());
  for (int i = 0; i < kOrders; ++i) ids.push_back(SubmitUntilAccepted(client, "t-" + std::to_string(i)));
  ASSERT_TRUE(mesh.WaitAllTerminal(kOrders, 60s));

  int retried_orders = 0;
  for (const auto& id : ids) {
    auto rec = mesh.Order(id);
    ASSERT_TRUE(rec.has_value()) << id;
    EXPECT_EQ(rec->status, proto::OrderStatus::kProcessed) << id << " " << rec->reason;
    if (rec->attempt_log.size() < 2) continue;
    ++retried_orders;
    const auto& first = rec->attempt_log.front();
    EXPECT_EQ(first.end, proto::AttemptEnd::kRetryableError);
    EXPECT_EQ(first.error_code, "payment_unavailable");
    EXPECT_EQ(first.step, "payment");
  }
  // With p = 0.3 about 30 orders retry; fewer than 5 would mean the failures never happened.
  EXPECT_GE(retried_orders, 5);
  EXPECT_EQ(mesh.Stats().orders_by_status[static_cast<int>(proto::OrderStatus::kDeadLettered)], 0u);
}

}  // namespace
}  // namespace om::test
