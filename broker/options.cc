#include "broker/options.h"

#include "config/config_loader.h"

namespace om::broker {

void RegisterOptions(config::ConfigLoader& l, BrokerOptions& o) {
  l.Add("front_endpoint", &o.front_endpoint, "ZeroMQ endpoint clients and gateways connect to");
  l.Add("back_endpoint", &o.back_endpoint, "ZeroMQ endpoint processor nodes connect to");
  l.Add("events_endpoint", &o.events_endpoint, "ZeroMQ PUB endpoint for order events");
  l.Add("data_dir", &o.data_dir, "RocksDB data directory");
  l.Add("catalog_file", &o.catalog_file, "catalog loaded on the first start on data_dir (\"\" = none)");
  l.Add("durability", &o.durability, "sync: WAL fsync before 'accepted'; async: no fsync", {"sync", "async"});
  l.Add("max_backlog", &o.max_backlog, "non-terminal orders held before submits are refused", 1, 100'000'000);
  l.Add("max_attempts", &o.max_attempts, "deliveries before an order is dead-lettered", 1, 1000);
  l.Add("retry_base_ms", &o.retry_base_ms, "backoff ceiling of the first retry (ms)", 0, 3'600'000);
  l.Add("retry_cap_ms", &o.retry_cap_ms, "largest backoff ceiling (ms)", 0, 86'400'000);
  l.Add("visibility_timeout_ms", &o.visibility_timeout_ms, "time a node has for one order (ms)", 10, 86'400'000);
  l.Add("heartbeat_interval_ms", &o.heartbeat_interval_ms, "heartbeat period both ways (ms)", 10, 60'000);
  l.Add("heartbeat_liveness", &o.heartbeat_liveness, "missed heartbeats before a node is dropped", 1, 100);
  l.Add("event_retention", &o.event_retention, "events kept in the log for catch-up", 1000, 1'000'000'000);
  l.Add("idempotency_ttl_s", &o.idempotency_ttl_s, "how long an Idempotency-Key is remembered (s)", 1, 31'536'000);
  l.Add("max_batch", &o.max_batch, "messages drained per loop turn into one WriteBatch", 1, 1'000'000);
  l.Add("hwm", &o.hwm, "ZeroMQ high-water mark of every socket (messages)", 100, 10'000'000);
  l.Add("redrive_batch_max", &o.redrive_batch_max, "dead letters redriven or purged per request", 1, 1'000'000);
  l.Add("log_level", &o.log_level, "trace|debug|info|warn|error|off", {"trace", "debug", "info", "warn", "error", "off"});
  l.Add("log_format", &o.log_format, "text or json (one object per line)", {"text", "json"});
}

}  // namespace om::broker
