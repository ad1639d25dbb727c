// BenchOptions: every setting of ordermesh-bench, with its default. Filled
// from the command line by main.cc (CLI11); `--help` documents each flag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace om::bench {

enum class WindowOn : uint8_t {
  kComplete,  // an order holds its window slot until its terminal event
  kAccept,    // ... until its ACCEPTED reply (measures the submit path alone)
};

// The unit price of every item the bench sends (and of its --spawn catalog).
inline constexpr int64_t kBenchPriceCents = 1000;

struct BenchOptions {
  // ---- what to load ----
  bool echo = false;                             // `echo` subcommand: the in-process echo server
  std::string echo_transport = "tcp";            // tcp | inproc
  bool bare_http = false;                        // `bare-http` subcommand: the bare civetweb 202 server
  int bare_threads = 0;                          // its civetweb threads; 0 = connections + 8
  std::string target = "zmq://127.0.0.1:5555";   // zmq://HOST:PORT (broker front) or http://HOST:PORT (gateway)
  std::string events = "tcp://127.0.0.1:5557";   // the broker's PUB feed
  std::string control;                           // http target: the broker's front for stats/event log ("" = none)
  bool spawn = false;                            // run a private broker and nodes (and a gateway for http)
  int nodes = 2;                                 // nodes under --spawn
  // "broker.KEY=VALUE" / "node.KEY=VALUE" / "gateway.KEY=VALUE" under --spawn
  std::vector<std::string> sets;
  std::string chaos;                             // --chaos kill-node:10s ("" = none)
  std::string bin_dir;                           // "" = the directory of this executable
  bool keep_dir = false;                         // keep --spawn's temp dir (data, logs)

  // ---- the load ----
  std::string rate_text = "max";  // as given
  double rate = 0;                // orders/s, open loop; 0 = "max": closed loop
  int window = 256;               // closed loop: orders in flight
  WindowOn window_on = WindowOn::kComplete;
  int connections = 1;            // DEALER sockets
  uint64_t count = 0;             // orders to send; 0 = use duration
  double duration_s = 0;          // seconds of sending after the warm-up; 0 with count 0 = 10
  double warmup_s = 0;            // first seconds of sending, left out of the results
  int items = 2;                  // items per order
  int products = 0;               // distinct product ids spread over orders (sku-1..sku-N); 0 = items

  // ---- limits and output ----
  double timeout_s = 10;          // a request unanswered this long counts as a timeout
  double drain_timeout_s = 30;    // after the last send, wait this long for replies and terminal events
  int subscribe_wait_ms = 300;    // after subscribing, before the first send (slow joiner)
  double report_interval_s = 1;   // progress line period; 0 = none
  std::string json_path;          // write the whole result here as JSON
  std::string csv_path;           // write the per-interval series here as CSV

  bool closed_loop() const { return rate <= 0; }
  bool http() const { return bare_http || target.rfind("http://", 0) == 0; }
  // Whether terminal events are followed (not for the bare HTTP server: it has no broker).
  bool follows_events() const { return !bare_http; }
};

// Parses "--rate": "max" or a positive number of orders per second.
[[nodiscard]] Status ParseRate(const std::string& text, double* rate);
// Checks the combination of options; the error names the flag.
[[nodiscard]] Status Validate(BenchOptions& o);

}  // namespace om::bench
