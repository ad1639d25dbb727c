// Micro-benchmark of the broker's per-order work without sockets: BrokerCore
// over a real RocksDB Store, driven the way the broker loop drives it (see
// broker/broker_core_test_fixture.h). One iteration is the life of a batch
// of B orders: B SUBMIT frames in, a loop turn (OnTick, Dispatch, Commit:
// accept durably and deliver), then B ok RESULT frames in and a second turn
// (commit the outcomes, publish the events). The node's side (decoding the
// DELIVER frames, encoding results) is left out of the timing.
//
// Args: {B, durable}: durable 0 = async on tmpfs (/dev/shm when there is
// one: the CPU cost), 1 = sync on the real temp dir (what fdatasync adds).
//
//   build/bin/broker_core_benchmark --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "broker/broker_core.h"
#include "common/clock.h"
#include "protocol/codec.h"
#include <spdlog/spdlog.h>

namespace om::broker {
namespace {

std::string FreshDir(bool on_disk) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::temp_directory_path();
  if (!on_disk && std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) root = "/dev/shm";
  static int counter = 0;
  auto dir = root / ("om_core_bench_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir, ec);
  return dir.string();
}

proto::OrderRequest SampleOrder() {
  proto::OrderRequest r;
  r.customer_id = "customer-0042";
  r.currency = "USD";
  r.items = {{"sku-1", 1, 1000}, {"sku-2", 1, 1000}};
  return r;
}

void BM_BrokerCoreOrder(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  const bool durable = state.range(1) != 0;
  const std::string dir = FreshDir(durable);
  BrokerOptions opts;
  opts.heartbeat_interval_ms = 1'000'000;  // no liveness work: time does not move
  auto store = Store::Open(dir, durable ? Durability::kSync : Durability::kAsync);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  FakeClock clock;
  BrokerCore core(opts, store->get(), &clock, 42);
  if (!core.Recover().ok()) {
    state.SkipWithError("recover failed");
    return;
  }
  core.OnBackFrame("node-1", proto::Encode(0, proto::Ready{"node-1", static_cast<uint32_t>(batch * 2), "host", 1}));
  std::vector<std::string> submits;
  for (int i = 0; i < batch; ++i) submits.push_back(proto::Encode(static_cast<uint64_t>(i + 1), proto::Submit{SampleOrder()}));
  std::vector<std::string> results;
  auto turn = [&] {
    core.OnTick();
    core.Dispatch();
    if (!core.Commit().ok()) state.SkipWithError("commit failed");
  };
  for (auto _ : state) {
    for (const std::string& s : submits) core.OnFrontFrame("client-1", s);
    turn();
    state.PauseTiming();  // the node's work
    results.clear();
    for (const auto& m : core.outbox().back) {
      auto env = proto::DecodeBrokerToNode(m.bytes);
      if (!env.ok()) continue;
      if (auto* d = std::get_if<proto::Deliver>(&env->msg)) {
        proto::NodeResult r;
        r.order_id = d->order_id;
        r.end = proto::AttemptEnd::kOk;
        r.duration_us = 10;
        results.push_back(proto::Encode(env->id, r));
      }
    }
    core.outbox().front.clear();
    core.outbox().back.clear();
    state.ResumeTiming();
    for (const std::string& r : results) core.OnBackFrame("node-1", r);
    turn();
    core.outbox().pub.clear();
    core.outbox().back.clear();
    core.outbox().front.clear();
    if (static_cast<int>(results.size()) != batch) state.SkipWithError("not every order was delivered");
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["orders_per_turn"] = batch;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
BENCHMARK(BM_BrokerCoreOrder)->Args({16, 0})->Args({256, 0})->Args({16, 1})->Args({256, 1})->UseRealTime();

}  // namespace
}  // namespace om::broker

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::off);  // the core logs each recovery and node
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
