// Unit tests of the bench's pure pieces: --set flag mapping, --chaos
// parsing and schedule, sweep --vary parsing and per-run flags, the CSV
// series, the SVG chart, and the HTTP request/response wire code.
#include <gtest/gtest.h>

#include "bench/catalog_file.h"
#include "bench/chaos.h"
#include "bench/csv_writer.h"
#include "bench/http_wire.h"
#include "bench/local_mesh.h"
#include "bench/svg_chart.h"
#include "bench/sweep.h"

namespace om::bench {
namespace {

using Flags = std::vector<std::string>;

TEST(SplitSetFlags, MapsDottedSubTablesLikeTheConfigLoader) {
  SpawnFlags f;
  ASSERT_TRUE(SplitSetFlags({"node.payment.latency_ms=5", "gateway.num_threads=128", "broker.max_batch=500",
                             "broker.durability=async"},
                            &f)
                  .ok());
  EXPECT_EQ(f.node, (Flags{"--payment-latency-ms", "5"}));
  EXPECT_EQ(f.gateway, (Flags{"--num-threads", "128"}));
  EXPECT_EQ(f.broker, (Flags{"--max-batch", "500", "--durability", "async"}));
}

TEST(SplitSetFlags, BooleansBecomeFlagEqualsValue) {
  SpawnFlags f;
  ASSERT_TRUE(SplitSetFlags({"gateway.access_log=true"}, &f).ok());
  EXPECT_EQ(f.gateway, (Flags{"--access-log=true"}));
}

TEST(SplitSetFlags, RejectsUnknownProgramsMalformedEntriesAndReservedKeys) {
  SpawnFlags f;
  EXPECT_FALSE(SplitSetFlags({"notify.x=1"}, &f).ok());
  EXPECT_FALSE(SplitSetFlags({"node.credit"}, &f).ok());
  EXPECT_FALSE(SplitSetFlags({"credit=1"}, &f).ok());
  EXPECT_FALSE(SplitSetFlags({"gateway.listen=0.0.0.0:80"}, &f).ok());
  EXPECT_FALSE(SplitSetFlags({"broker.data-dir=/tmp/x"}, &f).ok());
}

TEST(ParseChaos, ReadsKillNodeWithUnits) {
  auto s = ParseChaos("kill-node:10s");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->interval_ns, 10'000'000'000);
  EXPECT_EQ(ParseChaos("kill-node:250ms")->interval_ns, 250'000'000);
  EXPECT_EQ(ParseChaos("kill-node:2")->interval_ns, 2'000'000'000);
  EXPECT_EQ(ParseChaos("kill-node:1m")->interval_ns, 60'000'000'000);
}

TEST(ParseChaos, RejectsOtherActionsAndBadIntervals) {
  for (const char* bad : {"", "kill-node", "kill-node:", "kill-node:0s", "kill-node:-1s", "kill-node:5h",
                          "kill-broker:5s", "kill-node:5s:x"}) {
    EXPECT_FALSE(ParseChaos(bad).ok()) << bad;
  }
}

TEST(ChaosSchedule, KillsOneNodePerIntervalInTurn) {
  ChaosSchedule s(*ParseChaos("kill-node:10s"), 3, 0);
  EXPECT_EQ(s.Due(9'999'999'999), -1);
  EXPECT_EQ(s.Due(10'000'000'000), 0);
  EXPECT_EQ(s.Due(10'500'000'000), -1);
  EXPECT_EQ(s.Due(20'000'000'000), 1);
  EXPECT_EQ(s.Due(30'000'000'000), 2);
  EXPECT_EQ(s.Due(40'000'000'000), 0);
}

TEST(ChaosSchedule, ALateCheckFiresOnceNotOncePerMissedInterval) {
  ChaosSchedule s(*ParseChaos("kill-node:1s"), 2, 0);
  EXPECT_EQ(s.Due(5'500'000'000), 0);
  EXPECT_EQ(s.Due(5'600'000'000), -1);
  EXPECT_EQ(s.Due(6'000'000'000), 1);
}

TEST(ParseVary, SplitsKeyAndValues) {
  auto v = ParseVary("node.credit=1,4,16,64");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->key, "node.credit");
  EXPECT_EQ(v->values, (Flags{"1", "4", "16", "64"}));
  EXPECT_EQ(ParseVary("rate=1000,max")->values, (Flags{"1000", "max"}));
  EXPECT_EQ(ParseVary("node.payment.latency_ms=5")->values, (Flags{"5"}));
}

TEST(ParseVary, RejectsEmptyValuesAndUnknownKeys) {
  for (const char* bad : {"", "node.credit", "node.credit=", "node.credit=1,,4", "node.credit=1,", "credit=1",
                          "notify.x=1", "=1,2", "node.=1", "json=x"}) {
    EXPECT_FALSE(ParseVary(bad).ok()) << bad;
  }
}

TEST(ScenarioArgs, AddsTheSetOrTheRateAndTheJson) {
  const Flags base = {"--spawn", "--duration", "3"};
  EXPECT_EQ(ScenarioArgs(base, *ParseVary("node.credit=1,4"), "4", "/tmp/r.json"),
            (Flags{"--spawn", "--duration", "3", "--set", "node.credit=4", "--json", "/tmp/r.json"}));
  EXPECT_EQ(ScenarioArgs(base, *ParseVary("rate=100"), "100", "j"),
            (Flags{"--spawn", "--duration", "3", "--rate", "100", "--json", "j"}));
  EXPECT_EQ(ScenarioArgs(base, *ParseVary("nodes=1,2"), "2", "j"),
            (Flags{"--spawn", "--duration", "3", "--nodes", "2", "--json", "j"}));
}

TEST(SeriesCsv, OneHeaderAndOneLinePerIntervalWithRatesPerSecond) {
  IntervalSample a;
  a.t_s = 1;
  a.interval_s = 0.5;
  a.phase = "warm-up";
  a.sent = 100;
  a.accepted = 50;
  a.completed = 25;
  a.errors = 1;
  a.accept_p50_us = 120;
  a.accept_p99_us = 900;
  a.in_flight = 7;
  a.pending = 3;
  IntervalSample b;
  b.t_s = 2;
  b.interval_s = 1;
  const std::string csv = SeriesCsv({a, b});
  EXPECT_EQ(csv,
            "t_s,interval_s,phase,sent_per_s,accepted_per_s,completed_per_s,errors_per_s,accept_p50_us,"
            "accept_p99_us,completion_p50_us,completion_p99_us,in_flight,awaiting_events\n"
            "1.000,0.500,warm-up,200.0,100.0,50.0,2.0,120,900,,,7,3\n"
            "2.000,1.000,measured,0.0,0.0,0.0,0.0,,,,,0,0\n");
}

TEST(NiceAxis, RoundsUpToOneTwoOrFiveTimesAPowerOfTen) {
  double max, step;
  NiceAxis(68'123, &max, &step);
  EXPECT_DOUBLE_EQ(step, 20'000);
  EXPECT_DOUBLE_EQ(max, 80'000);
  NiceAxis(4.1, &max, &step);
  EXPECT_DOUBLE_EQ(step, 1);
  EXPECT_DOUBLE_EQ(max, 5);
  NiceAxis(0, &max, &step);
  EXPECT_DOUBLE_EQ(max, 1);
}

TEST(RenderSvg, DrawsABarAndAPointPerValueWithLabelsEscaped) {
  SweepChart c;
  c.title = "credit <sweep> & more";
  c.x_label = "node.credit";
  c.throughput_label = "completed orders/s";
  c.latency_label = "completion p99";
  c.points = {{"1", 10'000, 2'500, true}, {"16", 50'000, 6'000, true}, {"64", 60'000, -1, false}};
  const std::string svg = RenderSvg(c);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("credit &lt;sweep&gt; &amp; more"), std::string::npos);
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("fill-opacity="), 3u);      // one bar per value
  EXPECT_EQ(count("<circle") - 1, 2u);        // two points (plus the legend's marker)
  EXPECT_NE(svg.find("60,000 FAILED"), std::string::npos);
  EXPECT_NE(svg.find("6 ms"), std::string::npos);  // latencies in ms once they reach 1 ms
}

TEST(HttpWire, BuildsAPostWithTheOrderAsJson) {
  proto::OrderRequest o;
  o.customer_id = "c\"1";
  o.currency = "USD";
  o.items = {{"sku-1", 2, 1000}};
  const std::string body = OrderJson(o);
  EXPECT_EQ(body,
            "{\"customer_id\":\"c\\\"1\",\"items\":[{\"product_id\":\"sku-1\",\"quantity\":2,\"unit_price_cents\":1000}"
            "],\"currency\":\"USD\"}");
  const std::string req = PostOrdersRequest("127.0.0.1:8080", o);
  EXPECT_EQ(req.rfind("POST /orders HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", 0), 0u);
  EXPECT_NE(req.find("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body), std::string::npos);
}

TEST(HttpResponseParser, ParsesOneResponseAtATimeAndWaitsForTheBody) {
  const std::string body = "{\"order_id\":\"abc\",\"status\":\"PENDING\"}";
  const std::string one = "HTTP/1.1 202 Accepted\r\nLocation: /orders/x\r\ncontent-length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string two = "HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
  const std::string buf = one + two;
  HttpResponse r;
  size_t used = 0;
  ASSERT_EQ(HttpResponseParser::Parse(buf, &r, &used), HttpResponseParser::State::kDone);
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.order_id, "abc");
  EXPECT_FALSE(r.close);
  EXPECT_EQ(used, one.size());
  ASSERT_EQ(HttpResponseParser::Parse(std::string_view(buf).substr(used), &r, &used), HttpResponseParser::State::kDone);
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(HttpResponseParser::Parse(one.substr(0, one.size() - 1), &r, &used), HttpResponseParser::State::kNeedMore);
  EXPECT_EQ(HttpResponseParser::Parse("HTTP/1.1 202", &r, &used), HttpResponseParser::State::kNeedMore);
}

TEST(HttpResponseParser, RejectsWhatItCannotFrame) {
  HttpResponse r;
  size_t used = 0;
  EXPECT_EQ(HttpResponseParser::Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &r, &used),
            HttpResponseParser::State::kBad);
  EXPECT_EQ(HttpResponseParser::Parse("HTTP/1.1 200 OK\r\n\r\n", &r, &used), HttpResponseParser::State::kBad);
  EXPECT_EQ(HttpResponseParser::Parse("SMTP 220 hello\r\n\r\n", &r, &used), HttpResponseParser::State::kBad);
}

TEST(CatalogToml, ListsEveryProductTheBenchSendsWithItsPriceAndHugeStock) {
  const std::string t = CatalogToml(3, 1000, "USD");
  EXPECT_EQ(t.find("currency = \"USD\"\n"), t.find("currency"));
  EXPECT_LT(t.find("currency"), t.find("[[products]]"));  // top-level key before the tables
  size_t tables = 0;
  for (size_t at = t.find("[[products]]"); at != std::string::npos; at = t.find("[[products]]", at + 1)) ++tables;
  EXPECT_EQ(tables, 3u);
  for (const char* id : {"id = \"sku-1\"", "id = \"sku-2\"", "id = \"sku-3\""}) EXPECT_NE(t.find(id), std::string::npos);
  EXPECT_EQ(t.find("sku-4"), std::string::npos);
  EXPECT_NE(t.find("unit_price_cents = 1000\n"), std::string::npos);
  EXPECT_NE(t.find("stock = 1000000000000\n"), std::string::npos);
}

TEST(PipelineNeedsCatalog, OnlyForStepsThatPriceOrReserve) {
  EXPECT_TRUE(PipelineNeedsCatalog("validate,price,payment,reserve"));
  EXPECT_TRUE(PipelineNeedsCatalog("payment, reserve"));
  EXPECT_FALSE(PipelineNeedsCatalog("payment"));
  EXPECT_FALSE(PipelineNeedsCatalog("complete"));
  EXPECT_FALSE(PipelineNeedsCatalog("prices,delay"));
  EXPECT_EQ(PipelineOf({"--credit", "4", "--pipeline", "price,payment"}), "price,payment");
  EXPECT_EQ(PipelineOf({"--pipeline=reserve"}), "reserve");
  EXPECT_EQ(PipelineOf({"--credit", "4"}), "");
}

}  // namespace
}  // namespace om::bench
