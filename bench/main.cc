// ordermesh-bench: the load generator. See bench/README.md for what it
// measures and how; load_runner.h for the run itself.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <memory>

#include "bench/bench_options.h"
#include "bench/echo_server.h"
#include "bench/event_feed.h"
#include "bench/load_runner.h"
#include "bench/local_mesh.h"
#include "bench/machine_info.h"
#include "bench/report.h"
#include "bench/zmq_target.h"
#include "common/signals.h"

namespace om::bench {
namespace {

constexpr int kExitSetup = 2;
constexpr int kExitInterrupted = 130;

const char* kExamples = R"(Examples:
  # The bench's own ceiling: an in-process ROUTER echo thread, same code path.
  ordermesh-bench echo --rate max --duration 10

  # A private broker (fresh RocksDB, sync durability) and two no-op nodes, flat out.
  ordermesh-bench --spawn --nodes 2 --rate max --warmup 2 --duration 10

  # The same with async durability and more credit per node.
  ordermesh-bench --spawn --set broker.durability=async --set node.credit=64 --rate max --duration 10

  # Latency at a fixed offered load against a running broker, result as JSON.
  ordermesh-bench --target zmq://127.0.0.1:5555 --events tcp://127.0.0.1:5557 \
                  --rate 20000 --warmup 2 --duration 30 --json result.json

Exit status: 0 when every submit was answered and every accepted order ended with
exactly one terminal event; 1 when not (or a spawned program died); 2 for bad
flags or a target that cannot be reached; 130 after Ctrl-C.)";

void AddFlags(CLI::App& app, BenchOptions& o, CLI::App* echo) {
  app.add_option("--target", o.target, "the broker's front socket: zmq://HOST:PORT")->capture_default_str();
  app.add_option("--events", o.events, "the broker's PUB socket, for terminal events")->capture_default_str();
  app.add_flag("--spawn", o.spawn,
               "start a private broker (temp dir, fresh RocksDB, ephemeral loopback ports) and --nodes nodes from "
               "the binaries next to this one; --target/--events are ignored");
  app.add_option("--nodes", o.nodes, "nodes to start under --spawn (pipeline 'complete' = no-op)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app.add_option("--set", o.sets,
                 "under --spawn, a setting of the broker or the nodes: broker.KEY=VALUE or node.KEY=VALUE, passed "
                 "as --KEY VALUE (e.g. broker.durability=async, node.credit=64); repeatable");
  app.add_option("--bin-dir", o.bin_dir, "where to find ordermesh-broker and ordermesh-node (default: next to this)");
  app.add_flag("--keep-dir", o.keep_dir, "keep --spawn's temp dir (RocksDB and logs) at the end");

  app.add_option("--rate", o.rate_text,
                 "orders/s, open loop (latency from each order's intended send time), or 'max': closed loop with "
                 "--window orders in flight")
      ->capture_default_str();
  app.add_option("--window", o.window, "closed loop: orders in flight")->capture_default_str()->check(CLI::Range(1, 1'000'000));
  app.add_option_function<std::string>(
         "--window-on",
         [&o](const std::string& v) { o.window_on = v == "accept" ? WindowOn::kAccept : WindowOn::kComplete; },
         "closed loop: an order holds its slot until its terminal event (complete) or its ACCEPTED reply (accept: "
         "measures the submit path alone; the broker's backlog may grow)")
      ->check(CLI::IsMember({"complete", "accept"}))
      ->default_str("complete");
  app.add_option("--connections", o.connections, "DEALER sockets, requests pipelined over them round-robin")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--count", o.count, "orders to send (warm-up included)");
  app.add_option("--duration", o.duration_s, "seconds of sending after the warm-up (default 10 without --count)");
  app.add_option("--warmup", o.warmup_s, "first seconds of sending, left out of rates and latencies")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--items", o.items, "items per order")->capture_default_str()->check(CLI::Range(1, 10'000));
  app.add_option("--timeout", o.timeout_s, "seconds before an unanswered submit counts as a timeout")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--drain-timeout", o.drain_timeout_s,
                 "after the last send, seconds to wait for the remaining replies and terminal events")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--subscribe-wait-ms", o.subscribe_wait_ms,
                 "pause between subscribing to the events and the first send (ZeroMQ slow joiner)")
      ->capture_default_str()
      ->check(CLI::Range(0, 60'000));
  app.add_option("--report-interval", o.report_interval_s, "seconds between progress lines; 0 for none")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--json", o.json_path, "write the whole result (parameters, machine, summary, percentiles) here");
  echo->add_option("--transport", o.echo_transport, "the echo server's transport: tcp (loopback) or inproc")
      ->capture_default_str()
      ->check(CLI::IsMember({"tcp", "inproc"}));
}

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

int Main(BenchOptions& o) {
  InstallShutdownHandlers();
  RunSetup setup;
  setup.mode = o.echo ? "echo" : "broker";
  setup.machine = ReadMachineInfo();
  setup.load_at_start = LoadAverage1m();
  setup.started_at = UtcNow();

  zmq::context_t ctx(1);
  std::unique_ptr<EchoServer> echo;
  std::unique_ptr<LocalMesh> mesh;
  std::string front, events;
  if (o.echo) {
    echo = std::make_unique<EchoServer>(ctx, o.echo_transport);
    if (Status st = echo->Start(); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
      return kExitSetup;
    }
    front = echo->front_endpoint();
    events = echo->events_endpoint();
  } else if (o.spawn) {
    LocalMeshOptions mo;
    mo.bin_dir = o.bin_dir.empty() ? OwnExecutableDir() : o.bin_dir;
    mo.nodes = o.nodes;
    mo.keep_dir = o.keep_dir;
    if (Status st = SplitSetFlags(o.sets, &mo.broker_flags, &mo.node_flags); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
      return kExitSetup;
    }
    mesh = std::make_unique<LocalMesh>(mo);
    fprintf(stdout, "starting a broker and %d node%s from %s ...\n", o.nodes, o.nodes == 1 ? "" : "s",
            mo.bin_dir.c_str());
    fflush(stdout);
    if (Status st = mesh->Start(ctx); !st.ok()) {
      fprintf(stderr, "ordermesh-bench: cannot start the mesh: %s\n", st.message().c_str());
      return kExitSetup;
    }
    front = mesh->front();
    events = mesh->events();
    setup.spawn_dir = mesh->dir();
    setup.spawned.push_back(mesh->broker()->command_line());
    for (const auto& n : mesh->nodes()) setup.spawned.push_back(n->command_line());
  } else {
    if (o.target.rfind("http://", 0) == 0 || o.target.rfind("https://", 0) == 0) {
      fprintf(stderr, "ordermesh-bench: HTTP targets are not supported yet; use zmq://HOST:PORT\n");
      return kExitSetup;
    }
    auto endpoint = ZmqEndpointFromUrl(o.target);
    if (!endpoint.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", endpoint.status().message().c_str());
      return kExitSetup;
    }
    front = *endpoint;
    events = o.events;
  }

  ZmqTarget target(ctx, front, o.connections, /*with_queries=*/!o.echo);
  if (Status st = target.Connect(); !st.ok()) {
    fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
    return kExitSetup;
  }
  std::optional<proto::Stats> stats_before;
  if (!o.echo) {
    auto stats = target.Stats(true);
    if (!stats.ok()) {
      fprintf(stderr, "ordermesh-bench: %s\n", stats.status().message().c_str());
      return kExitSetup;
    }
    if (stats->nodes.empty()) fprintf(stderr, "ordermesh-bench: warning: the broker has no nodes: nothing will complete\n");
    stats_before = std::move(stats).value();
  }
  EventFeed feed(ctx, events);
  setup.target = target.Describe();
  setup.events = events;
  PrintBanner(stdout, o, setup);
  if (Status st = feed.Start(o.subscribe_wait_ms); !st.ok()) {
    fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
    return kExitSetup;
  }

  const double echo_cpu_before = echo ? echo->CpuSeconds() : 0;
  std::vector<double> child_cpu_before;
  if (mesh) {
    child_cpu_before.push_back(mesh->broker()->CpuSeconds());
    for (const auto& n : mesh->nodes()) child_cpu_before.push_back(n->CpuSeconds());
  }
  std::function<std::string()> check_alive;
  if (mesh) check_alive = [&] { return mesh->CheckAlive(); };
  LoadRunner runner(o, &target, &feed, check_alive);
  RunResult result = runner.Run();

  if (echo && result.wall_s > 0) {
    // The bench's own figure includes the in-process server's thread: split it out.
    const double server = (echo->CpuSeconds() - echo_cpu_before) / result.wall_s;
    result.cpu[0].cores -= server;
    result.cpu.push_back({"echo-server", server});
  }
  if (mesh && result.fatal.empty()) {
    result.cpu.push_back({"broker", (mesh->broker()->CpuSeconds() - child_cpu_before[0]) / result.wall_s});
    for (size_t i = 0; i < mesh->nodes().size(); ++i) {
      result.cpu.push_back({"node-" + std::to_string(i),
                            (mesh->nodes()[i]->CpuSeconds() - child_cpu_before[i + 1]) / result.wall_s});
    }
  }
  if (stats_before && result.fatal.empty()) {
    auto after = target.Stats(true);
    if (after.ok()) result.broker = Delta(*stats_before, *after);
  }
  feed.Stop();
  setup.load_at_end = LoadAverage1m();
  if (mesh) {
    std::string how = mesh->Stop();
    fprintf(stdout, "spawned programs stopped: %s%s\n", how.c_str(),
            o.keep_dir ? ("; data and logs kept in " + mesh->dir()).c_str() : "");
  }
  if (echo) echo->Stop();

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
  return result.exit_status;
}

}  // namespace
}  // namespace om::bench

int main(int argc, char** argv) {
  om::bench::BenchOptions options;
  CLI::App app{
      "ordermesh-bench: load generator for ordermesh. Submits orders to a broker (or its own echo server), follows "
      "each one to its terminal event on the PUB feed, and reports throughput and latency percentiles."};
  app.footer(om::bench::kExamples);
  app.set_version_flag("--version", std::string("ordermesh-bench ") + ORDERMESH_VERSION);
  app.fallthrough();  // load flags may follow the `echo` subcommand
  CLI::App* echo = app.add_subcommand(
      "echo", "measure the bench's own ceiling against an in-process DEALER/ROUTER echo server (same code path)");
  om::bench::AddFlags(app, options, echo);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; bad flags exit 2, as documented.
    return app.exit(e) == 0 ? 0 : om::bench::kExitSetup;
  }
  options.echo = echo->parsed();
  if (om::Status st = om::bench::Validate(options); !st.ok()) {
    fprintf(stderr, "ordermesh-bench: %s\n", st.message().c_str());
    return om::bench::kExitSetup;
  }
  return om::bench::Main(options);
}
