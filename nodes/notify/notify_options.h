// NotifyOptions: every setting of ordermesh-notify ([notify] in the
// deployment's TOML file, ORDERMESH_NOTIFY_<KEY>, --<key>), plus --since,
// which is a flag only: where to start is a per-run choice, not deployment
// configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace om::config {
class ConfigLoader;
}

namespace om::notify {

struct NotifyOptions {
  std::string broker_endpoint = "tcp://127.0.0.1:5555";  // the broker's front socket (catch-up requests)
  std::string events_endpoint = "tcp://127.0.0.1:5557";  // the broker's PUB socket
  std::vector<std::string> topics = {"order."};          // topic prefixes to print; empty: all
  int catchup_batch = 1000;          // events asked for per EventsSince request
  int64_t timeout_ms = 5'000;        // wait for one catch-up reply
  int rcvhwm = 100'000;              // SUB high-water mark: live events queued in ZeroMQ
  int64_t max_buffered = 100'000;    // live events held while catching up; more: drop them, use the log
  int64_t idle_check_ms = 1'000;     // quiet this long: ask the broker for its newest seq (0: never)
  int64_t retry_base_ms = 100;       // catch-up retry backoff (full jitter)
  int64_t retry_cap_ms = 5'000;
  std::string log_level = "info";
  std::string log_format = "text";
  // --since SEQ: print every event with seq > SEQ from the broker's log, then
  // go live (0: from the start of the retained log). Unset: start live.
  std::optional<uint64_t> since;
};

// Registers the [notify] keys (not --since: see main.cc).
void RegisterOptions(config::ConfigLoader& loader, NotifyOptions& o);

}  // namespace om::notify
