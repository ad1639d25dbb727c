#include "nodes/node_options.h"

#include "config/config_loader.h"

namespace om::node {

void RegisterOptions(config::ConfigLoader& l, NodeOptions& o) {
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's back endpoint (any host)");
  l.Add("id", &o.id, "node id; empty: <hostname>-<pid>-<random>");
  l.Add("credit", &o.credit, "orders this node holds and runs at once", 1, 100'000);
  l.Add("pipeline", &o.pipeline, "step names in order: complete, delay, crash_if_marked, fail_if_marked");
  l.Add("heartbeat_interval_ms", &o.heartbeat_interval_ms, "heartbeat period (ms)", 10, 60'000);
  l.Add("heartbeat_liveness", &o.heartbeat_liveness, "silent broker intervals before reconnecting", 1, 100);
  l.Add("reconnect_base_ms", &o.reconnect_base_ms, "first reconnect backoff ceiling (ms)", 1, 60'000);
  l.Add("reconnect_cap_ms", &o.reconnect_cap_ms, "largest reconnect backoff ceiling (ms)", 1, 600'000);
  l.Add("drain_timeout_ms", &o.drain_timeout_ms, "on SIGTERM, time to finish orders in hand (ms)", 0, 3'600'000);
  l.Add("delay_ms", &o.delay_ms, "wait of the 'delay' step (ms)", 0, 3'600'000);
  l.Add("crash_marker", &o.crash_marker, "metadata key that makes 'crash_if_marked' exit the node");
  l.Add("log_level", &o.log_level, "trace|debug|info|warn|error|off", {"trace", "debug", "info", "warn", "error", "off"});
  l.Add("log_format", &o.log_format, "text or json", {"text", "json"});
}

}  // namespace om::node
