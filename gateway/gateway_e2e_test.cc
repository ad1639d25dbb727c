// The gateway end to end: a real ordermesh-gateway in front of a real broker
// and node on loopback. The order API: the happy path, every error status
// with its problem+json body, idempotency, pagination, metrics.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "gateway/gateway_fixture.h"
#include "gateway/prometheus_text.h"
#include "gateway/traceparent.h"

namespace om::gateway::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

void ExpectProblem(const HttpResult& r, int status, const std::string& slug) {
  EXPECT_EQ(r.status, status) << r.error << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json") << r.body;
  json j = r.Json();
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j["status"], status);
  EXPECT_EQ(j["type"], "urn:ordermesh:problem:" + slug) << r.body;
  EXPECT_TRUE(j["title"].is_string());
}

TEST(GatewayE2E, PostThenGetUntilProcessed) {
  MeshWithGateway m;
  HttpClient c(m.port());
  const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  HttpResult post = c.Post("/orders", kOrderBody, {{"traceparent", "00-" + trace + "-00f067aa0ba902b7-01"}});
  ASSERT_EQ(post.status, 202) << post.error << post.body;
  std::string id = post.Json()["order_id"];
  EXPECT_EQ(post.Json()["status"], "PENDING");
  EXPECT_EQ(post.Header("location"), "/orders/" + id);
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '7') << "a UUIDv7";

  json order;
  ASSERT_TRUE(om::test::WaitFor(
      [&] {
        HttpResult get = c.Get(post.Header("location"));
        if (get.status != 200) return false;
        order = get.Json();
        return order["status"] == "PROCESSED";
      },
      10s))
      << order.dump();
  EXPECT_EQ(order["order_id"], id);
  EXPECT_EQ(order["customer_id"], "customer-1");
  EXPECT_TRUE(order["total_cents"].is_null()) << "sku-2 has no price";
  EXPECT_EQ(order["attempts"], 1);
  EXPECT_EQ(order["metadata"]["channel"], "web");
  std::vector<std::string> statuses;
  for (const auto& h : order["history"]) statuses.push_back(h["status"]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"PENDING", "PROCESSING", "PROCESSED"}));
  EXPECT_TRUE(order["history"][1]["node_id"].is_string());
  EXPECT_TRUE(order["history"][0]["time"].is_string());
  auto carried = ParseTraceparent(order["traceparent"].get<std::string>());
  ASSERT_TRUE(carried);
  EXPECT_EQ(carried->trace_id, trace) << "the request's trace travels with the order";
  EXPECT_EQ(c.connects(), 1) << "one keep-alive connection for every request";
}

TEST(GatewayE2E, EveryClientErrorIsProblemJson) {
  MeshWithGateway m({"--max-body-bytes", "1024", "--max-quantity", "10"});
  HttpClient c(m.port());
  HttpResult invalid = c.Post("/orders", R"({"customer_id":"","items":[{"product_id":"p","quantity":11}]})");
  ExpectProblem(invalid, 400, "invalid-order");
  ASSERT_EQ(invalid.Json()["errors"].size(), 2u);
  EXPECT_EQ(invalid.Json()["errors"][0]["field"], "customer_id");
  EXPECT_EQ(invalid.Json()["errors"][1]["field"], "items[0].quantity");
  EXPECT_EQ(invalid.Json()["errors"][1]["pointer"], "#/items/0/quantity");
  ExpectProblem(c.Post("/orders", R"({"customer_id": "c", "items": [)"), 400, "malformed-json");
  ExpectProblem(c.Post("/orders", "", {}), 400, "malformed-json");
  ExpectProblem(c.Get("/orders?status=SHIPPED"), 400, "invalid-request");
  ExpectProblem(c.Get("/orders?status=PENDING&limit=0"), 400, "invalid-request");
  ExpectProblem(c.Get("/orders/01a201ba-60ee-719b-b989-4b7d13d0a4de"), 404, "not-found");
  ExpectProblem(c.Get("/nothing-here"), 404, "not-found");
  HttpResult put = c.Request("PUT", "/orders", {}, "{}");
  ExpectProblem(put, 405, "method-not-allowed");
  EXPECT_EQ(put.Header("allow"), "GET, POST, OPTIONS");
  ExpectProblem(c.Post("/orders", kOrderBody, {{"Content-Type", "text/plain"}}), 415, "unsupported-media-type");
  ExpectProblem(c.Post("/orders", kOrderBody, {{"Idempotency-Key", "has space"}}), 400, "invalid-request");
  EXPECT_EQ(c.connects(), 1) << "client errors keep the connection";

  // Over the limit, by Content-Length and by chunks: 413, connection closed.
  std::string big = R"({"customer_id":")" + std::string(2000, 'x') + R"(","items":[]})";
  HttpResult too_big = c.Post("/orders", big);
  ExpectProblem(too_big, 413, "body-too-large");
  EXPECT_TRUE(too_big.server_closed);
  HttpResult chunked = c.Request("POST", "/orders", {{"Content-Type", "application/json"}}, big, true);
  ExpectProblem(chunked, 413, "body-too-large");
  HttpResult small_chunked = c.Request("POST", "/orders", {{"Content-Type", "application/json"}}, kOrderBody, true);
  EXPECT_EQ(small_chunked.status, 202) << small_chunked.body;
}

TEST(GatewayE2E, FullBacklogIs429WithRetryAfter) {
  MeshWithGateway m({}, /*nodes=*/0, {"--max-backlog", "1"});
  HttpClient c(m.port());
  EXPECT_EQ(c.Post("/orders", kOrderBody).status, 202);
  HttpResult full = c.Post("/orders", kOrderBody);
  ExpectProblem(full, 429, "backlog-full");
  EXPECT_EQ(full.Header("retry-after"), "1");
  EXPECT_EQ(full.Json()["code"], "backlog_full");
}

TEST(GatewayE2E, IdempotencyKeyReplaysRefusesAndSerialises) {
  MeshWithGateway m;
  HttpClient c(m.port());
  HttpResult first = c.Post("/orders", kOrderBody, {{"Idempotency-Key", "key-1"}});
  ASSERT_EQ(first.status, 202);
  HttpResult again = c.Post("/orders", kOrderBody, {{"Idempotency-Key", "key-1"}});
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(again.Json()["order_id"], first.Json()["order_id"]);
  EXPECT_EQ(again.Header("location"), first.Header("location"));
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  std::string other = R"({"customer_id":"customer-2","items":[{"product_id":"sku-1","quantity":1}]})";
  HttpResult mismatch = c.Post("/orders", other, {{"Idempotency-Key", "key-1"}});
  ExpectProblem(mismatch, 422, "idempotency-mismatch");

  // Concurrent repeats of a new key: one order; every answer is its 202 or 409.
  constexpr int kClients = 24;
  std::vector<HttpResult> results(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      HttpClient mine(m.port());
      results[i] = mine.Post("/orders", other, {{"Idempotency-Key", "key-2"}});
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> ids;
  int accepted = 0, in_progress = 0;
  for (const auto& r : results) {
    if (r.status == 202) {
      ++accepted;
      ids.insert(r.Json()["order_id"].get<std::string>());
    } else {
      ExpectProblem(r, 409, "idempotency-in-progress");
      EXPECT_EQ(r.Header("retry-after"), "1");
      ++in_progress;
    }
  }
  EXPECT_GE(accepted, 1);
  EXPECT_EQ(accepted + in_progress, kClients);
  EXPECT_EQ(ids.size(), 1u) << "one order for one key";
  EXPECT_EQ(m.mesh.Stats().accepted_total, 2u) << "key-1 and key-2: two orders in all";
}

TEST(GatewayE2E, PaginationVisitsEveryOrderOnce) {
  MeshWithGateway m({}, /*nodes=*/0);  // no node: the orders stay PENDING
  HttpClient c(m.port());
  std::set<std::string> submitted;
  for (int i = 0; i < 23; ++i) {
    HttpResult r = c.Post("/orders", kOrderBody);
    ASSERT_EQ(r.status, 202);
    submitted.insert(r.Json()["order_id"].get<std::string>());
  }
  std::vector<std::string> seen;
  std::string target = "/orders?status=PENDING&limit=5";
  int pages = 0;
  while (!target.empty()) {
    HttpResult page = c.Get(target);
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    json body = page.Json();
    for (const auto& o : body["orders"]) seen.push_back(o["order_id"]);
    std::string link = page.Header("link");
    json next = body["next_cursor"];
    if (link.empty()) {
      EXPECT_TRUE(next.is_null());
      target.clear();
    } else {
      ASSERT_EQ(link.substr(link.size() - 13), ">; rel=\"next\"");
      target = link.substr(1, link.find('>') - 1);
      EXPECT_NE(target.find("cursor=" + next.get<std::string>()), std::string::npos);
    }
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen.size(), submitted.size()) << "nothing repeated";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), submitted) << "nothing missing";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << "time-ordered ids, oldest first";
}

TEST(GatewayE2E, MetricsAreValidPrometheusText) {
  MeshWithGateway m;
  HttpClient c(m.port());
  ASSERT_EQ(c.Post("/orders", kOrderBody).status, 202);
  ASSERT_EQ(c.Get("/orders?status=NOPE").status, 400);
  ASSERT_TRUE(m.mesh.WaitAllTerminal(1, 10s));
  HttpResult r = c.Get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  std::vector<PromSample> samples;
  ASSERT_EQ(ParsePrometheusText(r.body, &samples), "") << r.body;
  auto value = [&](const std::string& name, std::map<std::string, std::string> labels) {
    for (const auto& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return -1.0;
  };
  EXPECT_EQ(value("ordermesh_gateway_http_requests_total", {{"method", "POST"}, {"route", "/orders"}, {"code", "202"}}),
            1);
  EXPECT_EQ(value("ordermesh_gateway_http_requests_total", {{"method", "GET"}, {"route", "/orders"}, {"code", "400"}}),
            1);
  EXPECT_EQ(value("ordermesh_gateway_http_request_duration_seconds_count", {{"method", "POST"}, {"route", "/orders"}}),
            1);
  EXPECT_EQ(value("ordermesh_gateway_http_requests_in_flight", {}), 1) << "the scrape itself";
  EXPECT_EQ(value("ordermesh_gateway_broker_round_trip_seconds_count", {{"op", "submit"}}), 1);
  EXPECT_EQ(value("ordermesh_broker_up", {}), 1);
  EXPECT_EQ(value("ordermesh_broker_accepted_total", {}), 1);
  EXPECT_EQ(value("ordermesh_broker_orders", {{"status", "PROCESSED"}}), 1);
  EXPECT_EQ(value("ordermesh_broker_nodes", {}), 1);
  EXPECT_EQ(value("ordermesh_broker_backlog", {}), 0);
}

}  // namespace
}  // namespace om::gateway::testing
