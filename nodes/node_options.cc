#include "nodes/node_options.h"

#include <cstdint>

#include "config/config_loader.h"

namespace om::node {

void RegisterOptions(config::ConfigLoader& l, NodeOptions& o) {
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's back endpoint (any host)");
  l.Add("id", &o.id, "node id; empty: <hostname>-<pid>-<random>");
  l.Add("credit", &o.credit, "orders this node holds and runs at once", 1, 100'000);
  l.Add("pipeline", &o.pipeline,
        "step names in order: validate, price, payment, reserve; complete, delay, crash_if_marked, fail_if_marked");
  l.Add("validate.max_quantity", &o.validate.max_quantity, "'validate': largest quantity of one item", 1,
        1'000'000'000);
  l.Add("payment.latency_ms", &o.payment.latency_ms, "'payment': modelled remote-call latency (ms)", 0, 600'000);
  l.Add("payment.max_amount_cents", &o.payment.max_amount_cents,
        "'payment': largest amount authorized per order (cents); 0: no limit", 0, INT64_MAX);
  l.Add("payment.blocked_customers", &o.payment.blocked_customers, "'payment': customer ids always declined");
  l.Add("payment.transient_failure_rate", &o.payment.transient_failure_rate,
        "'payment': chance (0..1) of a retryable payment_unavailable", 0.0, 1.0);
  l.Add("payment.seed", &o.payment.seed, "'payment': seed of the failure draws; 0: random", 0, INT64_MAX);
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
