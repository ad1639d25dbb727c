// ordermesh-bench: the load generator. See bench/README.md for what it
// measures and how; load_runner.h for the run itself.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <thread>

#include "bench/bench_flags.h"
#include "bench/bench_options.h"
#include "bench/catalog_file.h"
#include "bench/chaos.h"
#include "bench/csv_writer.h"
#include "bench/http_target.h"
#include "bench/echo_server.h"
#include "bench/event_feed.h"
#include "bench/load_runner.h"
#include "bench/local_mesh.h"
#include "bench/machine_info.h"
#include "bench/report.h"
#include "bench/sweep.h"
#include "bench/zmq_target.h"
#include "common/signals.h"

namespace om::bench {
namespace {

constexpr int kExitSetup = 2;
constexpr int kExitInterrupted = 130;

std::string UtcNow() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

BrokerDelta Delta(const proto::Stats& before, const proto::Stats& after) {
  BrokerDelta d;
  d.accepted = after.accepted_total - before.accepted_total;
  d.retries = after.retries_total - before.retries_total;
  d.late_results = after.late_results_total - before.late_results_total;
  d.bad_frames = after.bad_frames_total - before.bad_frames_total;
  d.rejected = after.rejected_total - before.rejected_total;
  d.backlog_end = after.backlog;
  d.in_flight_end = after.in_flight;
  d.nodes = after.nodes.size();
  return d;
}

// What one run talks to: the programs it started and the target it loads.
struct Rig {
  std::unique_ptr<EchoServer> echo;
  std::unique_ptr<LocalMesh> mesh;
  std::unique_ptr<ChildProcess> bare;  // bare-http: the reference server
  std::unique_ptr<Target> target;
  std::string events;                  // "" when there are none to follow
  bool has_broker = false;             // stats and the event log can be asked for
};

Status StartBare(const BenchOptions& o, Rig* rig, std::string* host_port, RunSetup* setup) {
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  *host_port = "127.0.0.1:" + std::to_string(*port);
  const std::string bin = (o.bin_dir.empty() ? OwnExecutableDir() : o.bin_dir) + "/ordermesh-bench-bare-http";
  const int threads = o.bare_threads > 0 ? o.bare_threads : o.connections + 8;
  auto child = ChildProcess::Start(bin, {"--listen", *host_port, "--num-threads", std::to_string(threads)},
                                   "/dev/null");
  if (!child.ok()) return child.status();
  rig->bare = std::move(child).value();
  setup->spawned.push_back(rig->bare->command_line());
  for (int i = 0; i < 200 && !HttpGetOk(*host_port, "/"); ++i) {
    if (!rig->bare->Running()) return Status::Unavailable(bin + " exited at start");
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return Status::Ok();
}

Status SetUp(zmq::context_t& ctx, const BenchOptions& o, Rig* rig, RunSetup* setup) {
  std::string front, http;
  rig->events = o.events;
  if (o.echo) {
    rig->echo = std::make_unique<EchoServer>(ctx, o.echo_transport);
    if (Status st = rig->echo->Start(); !st.ok()) return st;
    front = rig->echo->front_endpoint();
    rig->events = rig->echo->events_endpoint();
  } else if (o.bare_http) {
    if (Status st = StartBare(o, rig, &http, setup); !st.ok()) return st;
    rig->events.clear();
  } else if (o.spawn) {
    LocalMeshOptions mo;
    mo.bin_dir = o.bin_dir.empty() ? OwnExecutableDir() : o.bin_dir;
    mo.nodes = o.nodes;
    mo.keep_dir = o.keep_dir;
    mo.gateway = o.http();
    mo.gateway_threads = std::max(64, o.connections + 8);
    SpawnFlags flags;
    if (Status st = SplitSetFlags(o.sets, &flags); !st.ok()) return st;
    mo.broker_flags = flags.broker;
    mo.node_flags = flags.node;
    mo.gateway_flags = flags.gateway;
    if (PipelineNeedsCatalog(PipelineOf(flags.node)) && !HasFlag(flags.broker, "--catalog-file")) {
      mo.catalog_toml = CatalogToml(o.products > 0 ? o.products : o.items, kBenchPriceCents, "USD");
    }
    rig->mesh = std::make_unique<LocalMesh>(mo);
    fprintf(stdout, "starting a broker, %d node%s%s from %s ...\n", o.nodes, o.nodes == 1 ? "" : "s",
            mo.gateway ? " and a gateway" : "", mo.bin_dir.c_str());
    fflush(stdout);
    if (Status st = rig->mesh->Start(ctx); !st.ok()) return Status::Unavailable("cannot start the mesh: " + st.message());
    front = rig->mesh->front();
    http = rig->mesh->http();
    rig->events = rig->mesh->events();
    setup->spawn_dir = rig->mesh->dir();
    setup->spawned.push_back(rig->mesh->broker()->command_line());
    for (const auto& n : rig->mesh->nodes()) setup->spawned.push_back(n->command_line());
    if (rig->mesh->gateway()) setup->spawned.push_back(rig->mesh->gateway()->command_line());
  } else if (o.http()) {
    auto hp = HttpHostPortFromUrl(o.target);
    if (!hp.ok()) return hp.status();
    http = *hp;
    if (!o.control.empty()) {
      auto endpoint = ZmqEndpointFromUrl(o.control);
      if (!endpoint.ok()) return endpoint.status();
      front = *endpoint;
    }
  } else {
    auto endpoint = ZmqEndpointFromUrl(o.target);
    if (!endpoint.ok()) return endpoint.status();
    front = *endpoint;
  }
  rig->has_broker = !o.echo && !front.empty();
  if (o.http()) {
    std::unique_ptr<ControlClient> control;
    if (rig->has_broker) control = std::make_unique<ControlClient>(ctx, front);
    rig->target = std::make_unique<HttpTarget>(http, o.connections, std::move(control));
  } else {
    rig->target = std::make_unique<ZmqTarget>(ctx, front, o.connections, /*with_queries=*/rig->has_broker);
  }
  return rig->target->Connect();
}

// CPU seconds of each program the run started, in report order.
std::vector<std::pair<std::string, double>> ChildCpu(const Rig& rig) {
  std::vector<std::pair<std::string, double>> cpu;
  if (rig.bare) cpu.emplace_back("bare-http-server", rig.bare->CpuSeconds());
  if (rig.mesh) {
    if (rig.mesh->gateway()) cpu.emplace_back("gateway", rig.mesh->gateway()->CpuSeconds());
    cpu.emplace_back("broker", rig.mesh->broker()->CpuSeconds());
    for (size_t i = 0; i < rig.mesh->nodes().size(); ++i) {
      cpu.emplace_back("node-" + std::to_string(i), rig.mesh->nodes()[i]->CpuSeconds());
    }
  }
  return cpu;
}

int Main(BenchOptions& o) {
  InstallShutdownHandlers();
  RunSetup setup;
  setup.mode = o.echo ? "echo" : o.bare_http ? "bare-http" : o.http() ? "gateway" : "broker";
  setup.machine = ReadMachineInfo();
  setup.load_at_start = LoadAverage1m();
  setup.started_at = UtcNow();
  std::optional<ChaosSpec> chaos;
  if (!o.chaos.empty()) {
    auto spec = ParseChaos(o.chaos);
    if (!spec.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", spec.status().message().c_str());
      return kExitSetup;
    }
    chaos = *spec;
  }

  zmq::context_t ctx(1);
  Rig rig;
  if (Status st = SetUp(ctx, o, &rig, &setup); !st.ok()) {
    fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
    return kExitSetup;
  }
  Target& target = *rig.target;
  std::optional<proto::Stats> stats_before;
  if (rig.has_broker) {
    auto stats = target.Stats(true);
    if (!stats.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", stats.status().message().c_str());
      return kExitSetup;
    }
    if (stats->nodes.empty()) fprintf(stderr, "ordermesh-bench: warning: the broker has no nodes: nothing will complete\n");
    stats_before = std::move(stats).value();
  } else if (o.http() && !o.bare_http) {
    fprintf(stderr, "ordermesh-bench: note: no --control endpoint: no broker stats, event gaps cannot be filled\n");
  }
  std::unique_ptr<EventFeed> feed;
  if (o.follows_events()) feed = std::make_unique<EventFeed>(ctx, rig.events);
  setup.target = target.Describe();
  setup.events = feed ? rig.events : "";
  PrintBanner(stdout, o, setup);
  if (feed) {
    if (Status st = feed->Start(o.subscribe_wait_ms); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
      return kExitSetup;
    }
  }

  const double echo_cpu_before = rig.echo ? rig.echo->CpuSeconds() : 0;
  const auto child_cpu_before = ChildCpu(rig);
  std::function<std::string()> check_alive;
  if (rig.mesh) check_alive = [&] { return rig.mesh->CheckAlive(); };
  if (rig.bare) check_alive = [&] { return rig.bare->Running() ? std::string() : "the bare HTTP server exited"; };
  LoadRunner runner(o, &target, feed.get(), check_alive);
  uint64_t chaos_kills = 0;
  std::optional<ChaosSchedule> schedule;
  if (chaos && rig.mesh) {
    schedule.emplace(*chaos, o.nodes, MonoNanos());
    runner.set_each_second([&](int64_t now) {
      const int node = schedule->Due(now);
      if (node < 0) return;
      if (Status st = rig.mesh->KillAndRestartNode(static_cast<size_t>(node)); !st.ok()) {
        fprintf(stderr, "ordermesh-bench: chaos: %s\n", st.message().c_str());
        return;
      }
      ++chaos_kills;
      fprintf(stdout, "chaos: killed node-%d (SIGKILL) and started it again\n", node);
    });
  }
  RunResult result = runner.Run();
  result.chaos_kills = chaos_kills;

  if (rig.echo && result.wall_s > 0) {
    // The bench's own figure includes the in-process server's thread: split it out.
    const double server = (rig.echo->CpuSeconds() - echo_cpu_before) / result.wall_s;
    result.cpu[0].cores -= server;
    result.cpu.push_back({"echo-server", server});
  }
  if (result.fatal.empty() && result.wall_s > 0) {
    const auto after = ChildCpu(rig);
    // A restarted node's CPU starts again from 0: its figure is then a lower bound.
    for (size_t i = 0; i < after.size() && i < child_cpu_before.size(); ++i) {
      result.cpu.push_back(
          {after[i].first, std::max(0.0, after[i].second - child_cpu_before[i].second) / result.wall_s});
    }
  }
  if (stats_before && result.fatal.empty()) {
    auto after = target.Stats(true);
    if (after.ok()) result.broker = Delta(*stats_before, *after);
  }
  if (feed) feed->Stop();
  // Close the connections first: civetweb's stop waits for every keep-alive connection.
  rig.target.reset();
  setup.load_at_end = LoadAverage1m();
  if (rig.mesh) {
    std::string how = rig.mesh->Stop();
    fprintf(stdout, "spawned programs stopped: %s%s\n", how.c_str(),
            o.keep_dir ? ("; data and logs kept in " + rig.mesh->dir()).c_str() : "");
  }
  // civetweb takes about 2 s to stop its workers; the reference server holds nothing worth waiting for.
  if (rig.bare) rig.bare->Stop(std::chrono::milliseconds(300));
  if (rig.echo) rig.echo->Stop();

  if (result.interrupted) {
    result.exit_status = kExitInterrupted;
  } else if (!result.fatal.empty() || !result.check.ok() || result.counters.bad_replies > 0) {
    result.exit_status = 1;
  }
  PrintSummary(stdout, o, result);
  if (!o.json_path.empty()) {
    if (Status st = WriteJson(o.json_path, o, setup, result); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
      if (result.exit_status == 0) result.exit_status = 1;
    }
  }
  if (!o.csv_path.empty()) {
    if (Status st = WriteSeriesCsv(o.csv_path, result.series); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
      if (result.exit_status == 0) result.exit_status = 1;
    }
  }
  return result.exit_status;
}

}  // namespace
}  // namespace om::bench

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "sweep") return om::bench::SweepMain(argc - 1, argv + 1);
  om::bench::BenchOptions options;
  CLI::App app{
      "ordermesh-bench: load generator for ordermesh. Submits orders to a broker or a gateway (or its own echo and "
      "bare HTTP servers), follows each one to its terminal event on the PUB feed, and reports throughput and "
      "latency percentiles. `ordermesh-bench sweep --help`: one run per value of a setting, a table and a chart."};
  app.footer(om::bench::kExamples);
  app.set_version_flag("--version", std::string("ordermesh-bench ") + ORDERMESH_VERSION);
  app.fallthrough();  // load flags may follow a subcommand
  om::bench::Subcommands sub = om::bench::AddFlags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; bad flags exit 2, as documented.
    return app.exit(e) == 0 ? 0 : om::bench::kExitSetup;
  }
  options.echo = sub.echo->parsed();
  options.bare_http = sub.bare_http->parsed();
  if (om::Status st = om::bench::Validate(options); !st.ok()) {
    fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
    return om::bench::kExitSetup;
  }
  return om::bench::Main(options);
}
