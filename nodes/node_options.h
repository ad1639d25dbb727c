// NodeOptions: every setting of ordermesh-node ([node] in config/ordermesh.toml).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace om::config {
class ConfigLoader;
}

namespace om::node {

// [node.validate]: the "validate" step.
struct ValidateOptions {
  int max_quantity = 1'000;  // largest quantity of one item (the gateway's max_quantity is the same)
};

// [node.payment]: the "payment" step, a simulated payment authorization.
struct PaymentOptions {
  int64_t latency_ms = 20;                    // modelled remote call; waits without blocking other orders
  int64_t max_amount_cents = 100'000'000;     // per-order limit (1,000,000.00); above: payment_declined; 0: none
  std::vector<std::string> blocked_customers;  // customer ids always declined
  double transient_failure_rate = 0.0;         // 0..1: chance of a retryable payment_unavailable per attempt
  int64_t seed = 0;                            // of the failure draws; 0: random
};

struct NodeOptions {
  std::string broker_endpoint = "tcp://127.0.0.1:5556";  // the broker's back socket, any host
  std::string id;                        // "" = <hostname>-<pid>-<random>
  int credit = 64;                       // orders held at once
  std::vector<std::string> pipeline = {"complete"};  // step names, in order
  // Business steps (validate, price, payment, reserve).
  ValidateOptions validate;
  PaymentOptions payment;
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
