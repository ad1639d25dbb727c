// Micro-benchmarks of the wire codec on the hot path of one order:
// SUBMIT (client -> broker), DELIVER (broker -> node), RESULT (node ->
// broker) and EVENT (broker -> subscribers), each encoded and decoded.
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

Deliver SampleDeliver() {
  Deliver d;
  d.order_id = "01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e";
  d.attempt = 1;
  d.order = SampleOrder(2);
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

BENCHMARK_CAPTURE(BM_Encode, Submit, SampleSubmit());
BENCHMARK_CAPTURE(BM_Decode, Submit, SampleSubmit(), DecodeFrontRequest);
BENCHMARK_CAPTURE(BM_Encode, Deliver, SampleDeliver());
BENCHMARK_CAPTURE(BM_Decode, Deliver, SampleDeliver(), DecodeBrokerToNode);
BENCHMARK_CAPTURE(BM_Encode, NodeResult, SampleResult());
BENCHMARK_CAPTURE(BM_Decode, NodeResult, SampleResult(), DecodeNodeToBroker);
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
