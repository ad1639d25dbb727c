// Micro-benchmarks of the wire codec: every message type of protocol/SPEC.md,
// encoded and decoded with the decoder its receiver uses. The hot path of
// one order is SUBMIT (client -> broker), ACCEPTED, DELIVER (broker ->
// node), RESULT (node -> broker) and EVENT (broker -> subscribers); the
// rest (queries, DLQ, node control) are there so a regression anywhere shows.
//
//   build/bin/codec_benchmark --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include "protocol/codec.h"

namespace om::proto {
namespace {

OrderRequest SampleOrder(int items) {
  OrderRequest o;
  o.customer_id = "customer-0042";
  o.currency = "USD";
  o.metadata_json = R"({"channel":"web"})";
  o.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  for (int i = 0; i < items; ++i) o.items.push_back({"sku-" + std::to_string(i), 2, 1250});
  return o;
}

Submit SampleSubmit() { return Submit{SampleOrder(2)}; }

std::vector<CatalogEntry> SampleCatalog(int n) {
  std::vector<CatalogEntry> c;
  for (int i = 0; i < n; ++i) c.push_back({"sku-" + std::to_string(i), "Product " + std::to_string(i), 1250, "USD", 1000});
  return c;
}

Deliver SampleDeliver() {
  Deliver d;
  d.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  d.attempt = 1;
  d.order = SampleOrder(2);
  d.catalog = SampleCatalog(2);
  return d;
}

NodeResult SampleResult() {
  NodeResult r;
  r.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  r.end = AttemptEnd::kOk;
  r.duration_us = 37;
  r.effects = {{"reserve", "sku-0", 2}, {"reserve", "sku-1", 2}};
  return r;
}

EventMsg SampleEvent() {
  EventMsg m;
  m.event.seq = 123456789;
  m.event.time_us = 1'700'000'000'000'000;
  m.event.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  m.event.status = OrderStatus::kProcessed;
  m.event.attempt = 1;
  m.event.node_id = "host-1234-abcd";
  m.event.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  return m;
}

OrderRecord SampleRecord() {
  OrderRecord r;
  r.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  r.request = SampleOrder(2);
  r.status = OrderStatus::kProcessed;
  r.attempts = 1;
  r.created_us = 1'700'000'000'000'000;
  r.updated_us = r.created_us + 900;
  r.history = {{r.created_us, OrderStatus::kPending, 0, "", "accepted"},
               {r.created_us + 400, OrderStatus::kProcessing, 1, "host-1234-abcd", ""},
               {r.updated_us, OrderStatus::kProcessed, 1, "host-1234-abcd", "processed"}};
  return r;
}

Stats SampleStats() {
  Stats s;
  s.orders_by_status = {1, 2, 3, 4, 5, 6};
  s.backlog = 10;
  s.accepted_total = 1'000'000;
  s.nodes.resize(2);
  s.nodes[0].node_id = "host-1-a";
  s.nodes[1].node_id = "host-2-b";
  return s;
}


DeadLetter SampleDeadLetter() {
  DeadLetter d;
  d.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  d.reason = "max_attempts";
  d.attempts = 5;
  return d;
}

template <typename M>
void BM_Encode(benchmark::State& state, M msg) {
  for (auto _ : state) {
    std::string bytes = Encode(42, msg);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(Encode(42, msg).size());
}

template <typename M, typename DecodeFn>
void BM_Decode(benchmark::State& state, M msg, DecodeFn decode) {
  const std::string bytes = Encode(42, msg);
  for (auto _ : state) {
    auto r = decode(bytes);
    if (!r.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

// Front requests (client -> broker).
BENCHMARK_CAPTURE(BM_Encode, Submit, SampleSubmit());
BENCHMARK_CAPTURE(BM_Decode, Submit, SampleSubmit(), DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, GetOrder, GetOrder{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e"});
BENCHMARK_CAPTURE(BM_Decode, GetOrder, GetOrder{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e"}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, ListOrders, ListOrders{OrderStatus::kPending, 50, ""});
BENCHMARK_CAPTURE(BM_Decode, ListOrders, ListOrders{OrderStatus::kPending, 50, ""}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, GetStats, GetStats{true});
BENCHMARK_CAPTURE(BM_Decode, GetStats, GetStats{true}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, EventsSince, EventsSince{41200, 10000});
BENCHMARK_CAPTURE(BM_Decode, EventsSince, EventsSince{41200, 10000}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, DlqList, DlqList{});
BENCHMARK_CAPTURE(BM_Decode, DlqList, DlqList{}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, DlqShow, DlqShow{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e"});
BENCHMARK_CAPTURE(BM_Decode, DlqShow, DlqShow{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e"}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, DlqRedrive, DlqRedrive{});
BENCHMARK_CAPTURE(BM_Decode, DlqRedrive, DlqRedrive{}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, DlqPurge, DlqPurge{});
BENCHMARK_CAPTURE(BM_Decode, DlqPurge, DlqPurge{}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, CatalogList, CatalogList{{"sku-0", "sku-1"}});
BENCHMARK_CAPTURE(BM_Decode, CatalogList, CatalogList{{"sku-0", "sku-1"}}, DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, CatalogSet, CatalogSet{SampleCatalog(10)});
BENCHMARK_CAPTURE(BM_Decode, CatalogSet, CatalogSet{SampleCatalog(10)}, DecodeFrontRequest);

// Front replies (broker -> client).
BENCHMARK_CAPTURE(BM_Encode, Accepted, Accepted{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e", false});
BENCHMARK_CAPTURE(BM_Decode, Accepted, Accepted{"01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e", false}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, Error, Error{ErrorCode::kBacklogFull, "backlog full", 100});
BENCHMARK_CAPTURE(BM_Decode, Error, Error{ErrorCode::kBacklogFull, "backlog full", 100}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, Order, Order{SampleRecord()});
BENCHMARK_CAPTURE(BM_Decode, Order, Order{SampleRecord()}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, OrderList50, OrderList{std::vector<OrderRecord>(50, SampleRecord()), "x"});
BENCHMARK_CAPTURE(BM_Decode, OrderList50, OrderList{std::vector<OrderRecord>(50, SampleRecord()), "x"},
                  DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, StatsReply, StatsReply{SampleStats()});
BENCHMARK_CAPTURE(BM_Decode, StatsReply, StatsReply{SampleStats()}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, Events100, Events{std::vector<Event>(100, SampleEvent().event), 1, 100});
BENCHMARK_CAPTURE(BM_Decode, Events100, Events{std::vector<Event>(100, SampleEvent().event), 1, 100},
                  DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, DlqListReply, DlqListReply{std::vector<DeadLetter>(10, SampleDeadLetter()), ""});
BENCHMARK_CAPTURE(BM_Decode, DlqListReply, DlqListReply{std::vector<DeadLetter>(10, SampleDeadLetter()), ""},
                  DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, DlqEntry, DlqEntry{SampleDeadLetter(), SampleRecord()});
BENCHMARK_CAPTURE(BM_Decode, DlqEntry, DlqEntry{SampleDeadLetter(), SampleRecord()}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, DlqCount, DlqCount{12, 0});
BENCHMARK_CAPTURE(BM_Decode, DlqCount, DlqCount{12, 0}, DecodeFrontReply);
BENCHMARK_CAPTURE(BM_Encode, Catalog, Catalog{SampleCatalog(10)});
BENCHMARK_CAPTURE(BM_Decode, Catalog, Catalog{SampleCatalog(10)}, DecodeFrontReply);

// Back socket: node -> broker, broker -> node.
BENCHMARK_CAPTURE(BM_Encode, Ready, Ready{"host-1234-abcd", 64, "host", 1234});
BENCHMARK_CAPTURE(BM_Decode, Ready, Ready{"host-1234-abcd", 64, "host", 1234}, DecodeNodeToBroker);
BENCHMARK_CAPTURE(BM_Encode, Heartbeat, Heartbeat{"host-1234-abcd"});
BENCHMARK_CAPTURE(BM_Decode, Heartbeat, Heartbeat{"host-1234-abcd"}, DecodeNodeToBroker);
BENCHMARK_CAPTURE(BM_Encode, NodeResult, SampleResult());
BENCHMARK_CAPTURE(BM_Decode, NodeResult, SampleResult(), DecodeNodeToBroker);
BENCHMARK_CAPTURE(BM_Encode, Disconnect, Disconnect{"host-1234-abcd"});
BENCHMARK_CAPTURE(BM_Decode, Disconnect, Disconnect{"host-1234-abcd"}, DecodeNodeToBroker);
BENCHMARK_CAPTURE(BM_Encode, Deliver, SampleDeliver());
BENCHMARK_CAPTURE(BM_Decode, Deliver, SampleDeliver(), DecodeBrokerToNode);
BENCHMARK_CAPTURE(BM_Encode, Reconnect, Reconnect{"broker restarted"});
BENCHMARK_CAPTURE(BM_Decode, Reconnect, Reconnect{"broker restarted"}, DecodeBrokerToNode);

// PUB.
BENCHMARK_CAPTURE(BM_Encode, EventMsg, SampleEvent());
BENCHMARK_CAPTURE(BM_Decode, EventMsg, SampleEvent(), DecodeEvent);

// The order size matters most for SUBMIT and DELIVER: items per order.
void BM_EncodeSubmitItems(benchmark::State& state) {
  Submit s{SampleOrder(static_cast<int>(state.range(0)))};
  for (auto _ : state) {
    std::string bytes = Encode(42, s);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeSubmitItems)->Arg(1)->Arg(10)->Arg(100);

void BM_DecodeSubmitItems(benchmark::State& state) {
  const std::string bytes = Encode(42, Submit{SampleOrder(static_cast<int>(state.range(0)))});
  for (auto _ : state) {
    auto r = DecodeFrontRequest(bytes);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeSubmitItems)->Arg(1)->Arg(10)->Arg(100);

}  // namespace
}  // namespace om::proto

BENCHMARK_MAIN();
