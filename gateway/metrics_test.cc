#include "gateway/metrics.h"

#include <gtest/gtest.h>

#include "gateway/prometheus_text.h"

namespace om::gateway {
namespace {

using testing::ParsePrometheusText;
using testing::PromSample;

double Find(const std::vector<PromSample>& samples, const std::string& name,
            const std::map<std::string, std::string>& labels) {
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      if (it == s.labels.end() || it->second != v) match = false;
    }
    if (match) return s.value;
  }
  return -1;
}

TEST(Metrics, RendersValidPrometheusTextWhenEmpty) {
  Metrics m;
  std::vector<PromSample> samples;
  EXPECT_EQ(ParsePrometheusText(m.Render(std::nullopt), &samples), "");
  EXPECT_EQ(Find(samples, "ordermesh_broker_up", {}), 0);
  EXPECT_EQ(Find(samples, "ordermesh_gateway_http_requests_in_flight", {}), 0);
}

TEST(Metrics, CountsRequestsByMethodRouteAndCode) {
  Metrics m;
  for (int i = 0; i < 3; ++i) {
    m.RequestStarted();
    m.RequestFinished(Route::kOrders, Method::kPost, 202, 1200);
  }
  m.RequestStarted();
  m.RequestFinished(Route::kOrder, Method::kGet, 404, 300);
  m.RequestStarted();  // still running
  std::vector<PromSample> samples;
  ASSERT_EQ(ParsePrometheusText(m.Render(std::nullopt), &samples), "");
  EXPECT_EQ(Find(samples, "ordermesh_gateway_http_requests_total",
                 {{"method", "POST"}, {"route", "/orders"}, {"code", "202"}}),
            3);
  EXPECT_EQ(Find(samples, "ordermesh_gateway_http_requests_total",
                 {{"method", "GET"}, {"route", "/orders/{id}"}, {"code", "404"}}),
            1);
  EXPECT_EQ(Find(samples, "ordermesh_gateway_http_requests_in_flight", {}), 1);
  EXPECT_EQ(m.requests(Route::kOrders, Method::kPost, 202), 3u);
}

TEST(Metrics, HistogramBucketsAreCumulativeInSeconds) {
  Metrics m;
  m.RequestStarted();
  m.RequestFinished(Route::kOrders, Method::kPost, 202, 80);       // <= 0.0001
  m.RequestStarted();
  m.RequestFinished(Route::kOrders, Method::kPost, 202, 1500);     // <= 0.0025
  m.RequestStarted();
  m.RequestFinished(Route::kOrders, Method::kPost, 202, 20'000'000);  // above every bound
  std::vector<PromSample> samples;
  ASSERT_EQ(ParsePrometheusText(m.Render(std::nullopt), &samples), "");
  const std::string h = "ordermesh_gateway_http_request_duration_seconds";
  std::map<std::string, std::string> l{{"method", "POST"}, {"route", "/orders"}};
  auto le = [&](const char* bound) {
    auto labels = l;
    labels["le"] = bound;
    return Find(samples, h + "_bucket", labels);
  };
  EXPECT_EQ(le("0.0001"), 1);
  EXPECT_EQ(le("0.001"), 1);
  EXPECT_EQ(le("0.0025"), 2);
  EXPECT_EQ(le("10"), 2);
  EXPECT_EQ(le("+Inf"), 3);
  EXPECT_EQ(Find(samples, h + "_count", l), 3);
  EXPECT_DOUBLE_EQ(Find(samples, h + "_sum", l), 20.00158);
}

TEST(Metrics, BrokerRoundTripsAndFailures) {
  Metrics m;
  m.BrokerRoundTrip(BrokerOp::kSubmit, 400);
  m.BrokerFailed(BrokerOp::kSubmit, BrokerFailure::kTimeout);
  std::vector<PromSample> samples;
  ASSERT_EQ(ParsePrometheusText(m.Render(std::nullopt), &samples), "");
  EXPECT_EQ(Find(samples, "ordermesh_gateway_broker_round_trip_seconds_count", {{"op", "submit"}}), 1);
  EXPECT_EQ(Find(samples, "ordermesh_gateway_broker_failures_total", {{"op", "submit"}, {"reason", "timeout"}}), 1);
  EXPECT_EQ(Find(samples, "ordermesh_gateway_broker_failures_total", {{"op", "stats"}, {"reason", "unavailable"}}),
            0);
}

TEST(Metrics, IncludesTheBrokersCounts) {
  proto::Stats s;
  s.orders_by_status = {0, 5, 2, 1, 90, 3, 4};
  s.backlog = 6;
  s.in_flight = 2;
  s.accepted_total = 105;
  s.retries_total = 7;
  s.max_backlog = 1000;
  s.nodes = {proto::NodeInfo{"n1", "h", 1, 16, 2, 0, 0, 50}, proto::NodeInfo{"n2", "h", 2, 8, 0, 0, 0, 40}};
  Metrics m;
  std::vector<PromSample> samples;
  ASSERT_EQ(ParsePrometheusText(m.Render(s), &samples), "");
  EXPECT_EQ(Find(samples, "ordermesh_broker_up", {}), 1);
  EXPECT_EQ(Find(samples, "ordermesh_broker_orders", {{"status", "PROCESSED"}}), 90);
  EXPECT_EQ(Find(samples, "ordermesh_broker_orders", {{"status", "FAILED"}}), 3);
  EXPECT_EQ(Find(samples, "ordermesh_broker_orders", {{"status", "DEAD_LETTERED"}}), 4);
  EXPECT_EQ(Find(samples, "ordermesh_broker_accepted_total", {}), 105);
  EXPECT_EQ(Find(samples, "ordermesh_broker_retries_total", {}), 7);
  EXPECT_EQ(Find(samples, "ordermesh_broker_backlog", {}), 6);
  EXPECT_EQ(Find(samples, "ordermesh_broker_in_flight", {}), 2);
  EXPECT_EQ(Find(samples, "ordermesh_broker_nodes", {}), 2);
  EXPECT_EQ(Find(samples, "ordermesh_broker_node_credit", {}), 24);
}

TEST(Metrics, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(PrometheusText, TheCheckerCatchesBrokenText) {
  std::vector<PromSample> samples;
  EXPECT_NE(ParsePrometheusText("x 1\n", &samples), "");  // no TYPE
  EXPECT_NE(ParsePrometheusText("# TYPE x counter\nx{a=b} 1\n", &samples), "");
  EXPECT_NE(ParsePrometheusText("# TYPE x counter\nx one\n", &samples), "");
  EXPECT_NE(ParsePrometheusText("# TYPE x counter\nx 1", &samples), "");
}

}  // namespace
}  // namespace om::gateway
