// BrokerOptions: every setting of ordermesh-broker, with its default.
// The [broker] section of config/ordermesh.toml documents each key; the
// defaults here match that file and suit one laptop.
#pragma once

#include <cstdint>
#include <string>

namespace om::config {
class ConfigLoader;
}

namespace om::broker {

struct BrokerOptions {
  std::string front_endpoint = "tcp://127.0.0.1:5555";   // clients: submits and queries
  std::string back_endpoint = "tcp://127.0.0.1:5556";    // processor nodes
  std::string events_endpoint = "tcp://127.0.0.1:5557";  // PUB feed of events
  std::string data_dir = ".ordermesh/broker";            // RocksDB directory
  std::string catalog_file = "config/catalog.toml";      // products loaded on the first start ("" = none)
  std::string durability = "sync";                       // sync | async
  int64_t max_backlog = 1'000'000;         // non-terminal orders held before submits are refused
  int max_attempts = 5;                    // deliveries counted before DEAD_LETTERED
  int64_t retry_base_ms = 200;             // first retry's backoff ceiling
  int64_t retry_cap_ms = 30'000;           // backoff ceiling cap
  int64_t visibility_timeout_ms = 30'000;  // a delivery without result after this is retried
  int64_t heartbeat_interval_ms = 1'000;
  int heartbeat_liveness = 3;              // missed intervals before a node is dropped
  int64_t event_retention = 1'000'000;     // events kept for catch-up
  int64_t idempotency_ttl_s = 86'400;      // Idempotency-Key memory
  int max_batch = 2'000;                   // messages drained per loop turn (one WriteBatch)
  int hwm = 100'000;                       // ZeroMQ send/receive high-water marks
  int redrive_batch_max = 10'000;          // dead letters redriven or purged per request
  std::string log_level = "info";
  std::string log_format = "text";        // text | json
};

// Registers every field with the loader under section [broker].
void RegisterOptions(config::ConfigLoader& loader, BrokerOptions& o);

}  // namespace om::broker
