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

struct BenchOptions {
  // ---- what to load ----
  bool echo = false;                             // `echo` subcommand: the in-process echo server
  std::string echo_transport = "tcp";            // tcp | inproc
  std::string target = "zmq://127.0.0.1:5555";   // the broker's front
  std::string events = "tcp://127.0.0.1:5557";   // the broker's PUB feed
  bool spawn = false;                            // run a private broker and nodes
  int nodes = 2;                                 // nodes under --spawn
  std::vector<std::string> sets;                 // "broker.KEY=VALUE" / "node.KEY=VALUE" under --spawn
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

  // ---- limits and output ----
  double timeout_s = 10;          // a request unanswered this long counts as a timeout
  double drain_timeout_s = 30;    // after the last send, wait this long for replies and terminal events
  int subscribe_wait_ms = 300;    // after subscribing, before the first send (slow joiner)
  double report_interval_s = 1;   // progress line period; 0 = none
  std::string json_path;          // write the whole result here as JSON

  bool closed_loop() const { return rate <= 0; }
};

// Parses "--rate": "max" or a positive number of orders per second.
[[nodiscard]] Status ParseRate(const std::string& text, double* rate);
// Checks the combination of options; the error names the flag.
[[nodiscard]] Status Validate(BenchOptions& o);

}  // namespace om::bench
