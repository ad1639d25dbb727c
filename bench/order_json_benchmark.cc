// Micro-benchmark of the gateway's first step: a POST /orders body (JSON)
// to a validated proto::OrderRequest (protocol/json.h ParseOrderJson, which
// the gateway's HttpApi calls once per request), for orders of 2, 10 and
// 100 items, and for an invalid body (every error collected).
//
//   build/bin/order_json_benchmark --benchmark_min_time=0.3
#include <benchmark/benchmark.h>

#include "bench/http_wire.h"
#include "protocol/json.h"

namespace om::bench {
namespace {

std::string Body(int items) {
  proto::OrderRequest o;
  o.customer_id = "customer-0042";
  o.currency = "USD";
  for (int i = 0; i < items; ++i) o.items.push_back({"sku-" + std::to_string(i + 1), 2, 1250});
  return OrderJson(o);
}

void BM_ParseOrderJson(benchmark::State& state) {
  const std::string body = Body(static_cast<int>(state.range(0)));
  const proto::OrderLimits limits;
  std::vector<proto::FieldError> errors;
  for (auto _ : state) {
    errors.clear();
    auto r = proto::ParseOrderJson(body, limits, &errors);
    if (!r.ok()) state.SkipWithError("the sample order did not validate");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseOrderJson)->Arg(2)->Arg(10)->Arg(100);

void BM_ParseOrderJsonInvalid(benchmark::State& state) {
  const std::string body =
      R"({"customer_id":"","items":[{"product_id":"","quantity":0},{"quantity":-1}],"currency":7})";
  const proto::OrderLimits limits;
  std::vector<proto::FieldError> errors;
  for (auto _ : state) {
    errors.clear();
    auto r = proto::ParseOrderJson(body, limits, &errors);
    if (r.ok()) state.SkipWithError("the invalid order validated");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseOrderJsonInvalid);

// The bench's own side of it: building the request bytes (http_wire.h).
void BM_PostOrdersRequest(benchmark::State& state) {
  proto::OrderRequest o;
  o.customer_id = "customer-0042";
  o.currency = "USD";
  o.items = {{"sku-1", 1, 1000}, {"sku-2", 1, 1000}};
  for (auto _ : state) {
    std::string r = PostOrdersRequest("127.0.0.1:8080", o);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PostOrdersRequest);

}  // namespace
}  // namespace om::bench

BENCHMARK_MAIN();
