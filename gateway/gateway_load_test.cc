// 2,000 concurrent POSTs from many keep-alive connections: every 202 names
// exactly one order, and every one of them reaches a terminal state.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "gateway/gateway_fixture.h"

namespace om::gateway::testing {
namespace {

using namespace std::chrono_literals;

TEST(GatewayLoad, TwoThousandConcurrentPostsEachBecomeOneTerminalOrder) {
  MeshWithGateway m({"--num-threads", "96"}, /*nodes=*/2);
  constexpr int kConnections = 80, kPerConnection = 25;
  std::vector<std::vector<std::string>> ids(kConnections);
  std::vector<std::vector<std::string>> failures(kConnections);
  std::vector<std::thread> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.emplace_back([&, i] {
      HttpClient c(m.port(), 30s);
      for (int j = 0; j < kPerConnection; ++j) {
        HttpResult r = c.Post("/orders", kOrderBody);
        if (r.status == 202) {
          ids[i].push_back(r.Json()["order_id"]);
        } else {
          failures[i].push_back(std::to_string(r.status) + " " + r.error + " " + r.body);
        }
      }
    });
  }
  for (auto& t : clients) t.join();

  std::set<std::string> unique;
  size_t answered = 0;
  for (int i = 0; i < kConnections; ++i) {
    for (const auto& f : failures[i]) ADD_FAILURE() << f;
    answered += ids[i].size();
    unique.insert(ids[i].begin(), ids[i].end());
  }
  ASSERT_EQ(answered, size_t{kConnections * kPerConnection});
  EXPECT_EQ(unique.size(), answered) << "no order id answered twice";
  EXPECT_EQ(m.mesh.Stats().accepted_total, answered) << "no order accepted without its 202";
  ASSERT_TRUE(m.mesh.WaitAllTerminal(answered, 60s));
  for (const auto& id : unique) {
    auto rec = m.mesh.Order(id);
    ASSERT_TRUE(rec) << id;
    EXPECT_TRUE(proto::IsTerminal(rec->status)) << id;
  }
}

}  // namespace
}  // namespace om::gateway::testing
