// NodeOptions: every setting of ordermesh-node ([node] in config/ordermesh.toml).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace om::config {
class ConfigLoader;
}

namespace om::node {

struct NodeOptions {
  std::string broker_endpoint = "tcp://127.0.0.1:5556";  // the broker's back socket, any host
  std::string id;                        // "" = <hostname>-<pid>-<random>
  int credit = 16;                       // orders held at once
  std::vector<std::string> pipeline = {"complete"};  // step names, in order
  int64_t heartbeat_interval_ms = 1'000;
  int heartbeat_liveness = 3;            // silent intervals before reconnecting
  int64_t reconnect_base_ms = 100;       // reconnect backoff (full jitter)
  int64_t reconnect_cap_ms = 5'000;
  int64_t drain_timeout_ms = 10'000;     // on SIGTERM: time to finish orders in hand
  // Test and demo steps.
  int64_t delay_ms = 10;                 // the "delay" step's wait
  std::string crash_marker = "poison";   // "crash_if_marked": exit when metadata[marker] is true
  std::string log_level = "info";
  std::string log_format = "text";
};

void RegisterOptions(config::ConfigLoader& loader, NodeOptions& o);

}  // namespace om::node
