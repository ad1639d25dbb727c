#include "bench/bench_flags.h"

namespace om::bench {

const char* const kExamples = R"(Examples:
  # The bench's own ceiling: an in-process ROUTER echo thread, same code path.
  ordermesh-bench echo --rate max --duration 10

  # A private broker (fresh RocksDB, sync durability) and two no-op nodes, flat out.
  ordermesh-bench --spawn --nodes 2 --rate max --warmup 2 --duration 10

  # The same with async durability and more credit per node.
  ordermesh-bench --spawn --set broker.durability=async --set node.credit=64 --rate max --duration 10

  # Through a spawned gateway: 50 keep-alive connections, POST /orders flat out.
  ordermesh-bench --spawn --target http:// --connections 50 --rate max --warmup 2 --duration 10

  # The reference for that: a bare civetweb handler answering 202, same load.
  ordermesh-bench bare-http --connections 50 --rate max --warmup 2 --duration 10

  # Node churn: kill and restart a node every 3 s; the self-check must still pass.
  ordermesh-bench --spawn --nodes 3 --chaos kill-node:3s --rate 5000 --duration 10

  # Latency at a fixed offered load against a running broker, result as JSON and CSV.
  ordermesh-bench --target zmq://127.0.0.1:5555 --events tcp://127.0.0.1:5557 \
                  --rate 20000 --warmup 2 --duration 30 --json result.json --csv series.csv

  # One run per value, a table and an SVG chart (see `ordermesh-bench sweep --help`).
  ordermesh-bench sweep --vary node.credit=1,4,16,64 --chart credit.svg -- --spawn --rate max --duration 5

Exit status: 0 when every submit was answered and every accepted order ended with
exactly one terminal event; 1 when not (or a spawned program died); 2 for bad
flags or a target that cannot be reached; 130 after Ctrl-C.)";

Subcommands AddFlags(CLI::App& app, BenchOptions& o) {
  Subcommands sub;
  sub.echo = app.add_subcommand(
      "echo", "measure the bench's own ceiling against an in-process DEALER/ROUTER echo server (same code path)");
  sub.bare_http = app.add_subcommand(
      "bare-http",
      "measure the HTTP reference: a bare civetweb server (ordermesh-bench-bare-http) answering 202 with no work, "
      "loaded like a gateway");
  app.add_option("--target", o.target,
                 "zmq://HOST:PORT (a broker's front) or http://HOST:PORT (a gateway); with --spawn only the scheme "
                 "counts")
      ->capture_default_str();
  app.add_option("--events", o.events, "the broker's PUB socket, for terminal events")->capture_default_str();
  app.add_option("--control", o.control,
                 "http target without --spawn: the broker's front (zmq://HOST:PORT) for stats and the event log");
  app.add_flag("--spawn", o.spawn,
               "start a private broker (temp dir, fresh RocksDB, ephemeral loopback ports), --nodes nodes and, for "
               "an http target, a gateway, from the binaries next to this one");
  app.add_option("--nodes", o.nodes, "nodes to start under --spawn (pipeline 'complete' = no-op)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app.add_option("--set", o.sets,
                 "under --spawn, a setting of a spawned program: broker.KEY=VALUE, node.KEY=VALUE or "
                 "gateway.KEY=VALUE, passed as --KEY VALUE with '.' and '_' as '-' (node.payment.latency_ms=5 -> "
                 "--payment-latency-ms 5); repeatable");
  app.add_option("--chaos", o.chaos, "under --spawn: kill-node:INTERVAL kills and restarts one node per interval");
  app.add_option("--bin-dir", o.bin_dir, "where to find the ordermesh programs (default: next to this)");
  app.add_flag("--keep-dir", o.keep_dir, "keep --spawn's temp dir (RocksDB and logs) at the end");

  app.add_option("--rate", o.rate_text,
                 "orders/s, open loop (latency from each order's intended send time), or 'max': closed loop with "
                 "--window orders in flight")
      ->capture_default_str();
  app.add_option("--window", o.window, "closed loop: orders in flight (http: at most one per connection)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option_function<std::string>(
         "--window-on",
         [&o](const std::string& v) { o.window_on = v == "accept" ? WindowOn::kAccept : WindowOn::kComplete; },
         "closed loop: an order holds its slot until its terminal event (complete) or its ACCEPTED reply (accept: "
         "measures the submit path alone; the broker's backlog may grow)")
      ->check(CLI::IsMember({"complete", "accept"}))
      ->default_str("complete");
  app.add_option("--connections", o.connections,
                 "DEALER sockets (zmq, requests pipelined round-robin) or keep-alive TCP connections (http)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--count", o.count, "orders to send (warm-up included)");
  app.add_option("--duration", o.duration_s, "seconds of sending after the warm-up (default 10 without --count)");
  app.add_option("--warmup", o.warmup_s, "first seconds of sending, left out of rates and latencies")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--items", o.items, "items per order")->capture_default_str()->check(CLI::Range(1, 10'000));
  app.add_option("--products", o.products,
                 "distinct product ids (sku-1..sku-N) spread evenly over the orders; 0: sku-1..sku-ITEMS in every "
                 "order")
      ->capture_default_str()
      ->check(CLI::Range(0, 100'000'000));
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
  app.add_option("--csv", o.csv_path, "write the per-interval series (rates, p50/p99 per interval) here as CSV");
  sub.echo->add_option("--transport", o.echo_transport, "the echo server's transport: tcp (loopback) or inproc")
      ->capture_default_str()
      ->check(CLI::IsMember({"tcp", "inproc"}));
  sub.bare_http->add_option("--threads", o.bare_threads, "the bare server's civetweb threads (default connections + 8)")
      ->check(CLI::Range(1, 10'000));
  return sub;
}

}  // namespace om::bench
