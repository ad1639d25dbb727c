// The gateway end to end, operations side: API keys, CORS, a broker that is
// down or hung, health endpoints, graceful shutdown, refusing to start
// without keys on a public address.
#include <signal.h>

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "gateway/gateway_fixture.h"

namespace om::gateway::testing {
namespace {

using namespace std::chrono_literals;
using om::test::FreePort;
using om::test::RunTool;

constexpr const char* kKey = "test-key-0123456789abcdef";

TEST(GatewayOps, ApiKeysInEitherHeader) {
  MeshWithGateway m({"--api-keys", std::string(kKey) + ",second-key-0123456789"});
  HttpClient c(m.port());
  HttpResult missing = c.Post("/orders", kOrderBody);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_EQ(missing.Header("www-authenticate"), "Bearer realm=\"ordermesh\"");
  EXPECT_EQ(missing.Json()["type"], "urn:ordermesh:problem:unauthorized");
  EXPECT_EQ(c.Post("/orders", kOrderBody, {{"Authorization", "Bearer not-the-key-0123456789"}}).status, 401);
  EXPECT_EQ(c.Post("/orders", kOrderBody, {{"Authorization", std::string("Basic ") + kKey}}).status, 401);
  HttpResult bearer = c.Post("/orders", kOrderBody, {{"Authorization", std::string("Bearer ") + kKey}});
  ASSERT_EQ(bearer.status, 202);
  EXPECT_EQ(c.Get(bearer.Header("location"), {{"X-API-Key", "second-key-0123456789"}}).status, 200);
  EXPECT_EQ(c.Get(bearer.Header("location")).status, 401);
  EXPECT_EQ(c.Get("/livez").status, 200) << "probes need no key";
  EXPECT_EQ(c.Get("/readyz").status, 200);
  EXPECT_EQ(c.Get("/metrics").status, 200);
  EXPECT_EQ(m.gateway->Log().find(kKey), std::string::npos) << "keys are never logged";
}

TEST(GatewayOps, RefusesAPublicAddressWithoutKeys) {
  int port = FreePort();
  auto refused = RunTool("ordermesh-gateway", {"--listen", "0.0.0.0:" + std::to_string(port)}, 10s);
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("allow_anonymous"), std::string::npos) << refused.err;

  Gateway anonymous("tcp://127.0.0.1:" + std::to_string(FreePort()),
                    {"--listen", "0.0.0.0:" + std::to_string(port), "--allow-anonymous"});
  EXPECT_NE(anonymous.Log().find("allow_anonymous = true"), std::string::npos) << anonymous.Log();
}

TEST(GatewayOps, LoopbackWithoutKeysSaysSoAtStart) {
  Gateway g("tcp://127.0.0.1:" + std::to_string(FreePort()));
  EXPECT_NE(g.Log().find("no api_keys configured"), std::string::npos) << g.Log();
}

TEST(GatewayOps, CorsAllowListAndPreflight) {
  MeshWithGateway m({"--cors-origins", "https://shop.example"});
  HttpClient c(m.port());
  HttpResult pre = c.Request("OPTIONS", "/orders",
                             {{"Origin", "https://shop.example"},
                              {"Access-Control-Request-Method", "POST"},
                              {"Access-Control-Request-Headers", "content-type, idempotency-key"}},
                             "");
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.Header("access-control-allow-origin"), "https://shop.example");
  EXPECT_EQ(pre.Header("access-control-allow-methods"), "GET, POST");
  EXPECT_NE(pre.Header("access-control-allow-headers").find("Idempotency-Key"), std::string::npos);
  EXPECT_EQ(pre.Header("access-control-max-age"), "600");
  EXPECT_TRUE(pre.body.empty());

  HttpResult evil = c.Request(
      "OPTIONS", "/orders", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}, "");
  EXPECT_EQ(evil.status, 403);
  EXPECT_EQ(evil.Header("access-control-allow-origin"), "");

  HttpResult post = c.Post("/orders", kOrderBody, {{"Origin", "https://shop.example"}});
  EXPECT_EQ(post.status, 202);
  EXPECT_EQ(post.Header("access-control-allow-origin"), "https://shop.example");
  EXPECT_NE(post.Header("access-control-expose-headers").find("Location"), std::string::npos);
  HttpResult other = c.Get("/livez", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.Header("access-control-allow-origin"), "") << "no wildcard, ever";
}

TEST(GatewayOps, CivetwebsOwnErrorsAndHeadAreHttpToo) {
  Gateway g("tcp://127.0.0.1:" + std::to_string(FreePort()));
  HttpClient c(g.port());
  HttpResult head = c.Raw("HEAD /livez HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "15");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(c.Get("/livez").body, R"({"status":"ok"})") << "no stray body after HEAD";
  HttpClient raw(g.port());
  HttpResult garbage = raw.Raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.Header("content-type"), "application/problem+json");
  EXPECT_EQ(garbage.Json()["status"], 400);
}

TEST(GatewayOps, BrokerDownIs503AtOnce) {
  Gateway g("tcp://127.0.0.1:" + std::to_string(FreePort()), {"--request-timeout-ms", "2000"});
  HttpClient c(g.port());
  auto t0 = std::chrono::steady_clock::now();
  HttpResult r = c.Post("/orders", kOrderBody);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2500ms);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("retry-after"), "1");
  EXPECT_EQ(r.Json()["type"], "urn:ordermesh:problem:broker-unavailable");
  EXPECT_EQ(c.Get("/readyz").status, 503);
  EXPECT_EQ(c.Get("/livez").status, 200);
  HttpResult metrics = c.Get("/metrics");
  EXPECT_NE(metrics.body.find("ordermesh_broker_up 0"), std::string::npos);
}

TEST(GatewayOps, HungBrokerNeverHoldsAClientPastTheDeadline) {
  MeshWithGateway m({"--request-timeout-ms", "600"});
  HttpClient c(m.port());
  ASSERT_EQ(c.Post("/orders", kOrderBody).status, 202);
  m.mesh.broker().Signal(SIGSTOP);
  auto t0 = std::chrono::steady_clock::now();
  HttpResult r = c.Post("/orders", kOrderBody, {{"Idempotency-Key", "hung-1"}});
  auto took = std::chrono::steady_clock::now() - t0;
  m.mesh.broker().Signal(SIGCONT);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Header("retry-after"), "1");
  EXPECT_GE(took, 550ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("Idempotency-Key"), std::string::npos);
  // The broker recovers: the retry with the same key gets one order.
  ASSERT_TRUE(om::test::WaitFor([&] { return c.Get("/readyz").status == 200; }, 5s));
  HttpResult retry = c.Post("/orders", kOrderBody, {{"Idempotency-Key", "hung-1"}});
  EXPECT_EQ(retry.status, 202);
}

TEST(GatewayOps, SigtermTurnsReadyzFirstFinishesRequestsThenExits0) {
  MeshWithGateway m({"--drain-delay-ms", "1500", "--request-timeout-ms", "5000"});
  // A request in progress: the broker is paused while it waits.
  m.mesh.broker().Signal(SIGSTOP);
  auto in_flight = std::async(std::launch::async, [&] {
    HttpClient c(m.port());
    return c.Post("/orders", kOrderBody);
  });
  std::this_thread::sleep_for(200ms);
  m.gateway->process().Signal(SIGTERM);
  ASSERT_TRUE(om::test::WaitFor(
      [&] {
        HttpClient probe(m.port(), 1s);
        return probe.Get("/readyz").status == 503;
      },
      1000ms))
      << "readyz turns 503 during the drain delay";
  HttpClient live(m.port(), 1s);
  EXPECT_EQ(live.Get("/livez").status, 200) << "still serving while draining";
  m.mesh.broker().Signal(SIGCONT);
  HttpResult r = in_flight.get();
  EXPECT_EQ(r.status, 202) << r.error << r.body;
  EXPECT_TRUE(r.server_closed) << "draining responses close their connections";
  auto exit = m.gateway->process().Wait(10s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(*exit, 0) << m.gateway->Log();
}

}  // namespace
}  // namespace om::gateway::testing
