// NotifyOptions: every setting of ordermesh-notify ([notify] in the
// deployment's TOML file, ORDERMESH_NOTIFY_<KEY>, --<key>), plus --since,
// which is a flag only: where to start is a per-run choice, not deployment
// configuration. The sinks are [[notify.sinks]] blocks in the file (one
// SinkOptions each; no environment variable), plus the --file and --webhook
// shortcuts of main.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace om::config {
class ConfigLoader;
}

namespace om::notify {

// One [[notify.sinks]] block. Keys that belong to another type must stay unset.
struct SinkOptions {
  std::string type = "stdout";        // stdout | file | webhook
  std::vector<std::string> topics{};  // topic prefixes this sink takes; empty: every event
  std::string path{};                 // file: the JSON-lines file to append to
  std::string url{};                  // webhook: http://host[:port]/path to POST each event to
  int64_t timeout_ms = 2'000;         // webhook: one attempt (connect + send + response)
  int max_attempts = 5;               // webhook: POSTs per event before it is dead-lettered
  int64_t retry_base_ms = 100;        // webhook: backoff ceiling before the second attempt (full jitter)
  int64_t retry_cap_ms = 5'000;       // webhook: largest backoff ceiling
  std::string dead_letter_file = ".ordermesh/notify/webhook-dead-letters.jsonl";  // webhook: events given up on
};

// Per-item rules (file needs path, webhook a valid url, ...); the message names the key.
[[nodiscard]] Status CheckSink(const SinkOptions& sink);
// Rules across items: no two sinks write the same file or share an id.
[[nodiscard]] Status CheckSinks(const std::vector<SinkOptions>& sinks);

struct NotifyOptions {
  std::string broker_endpoint = "tcp://127.0.0.1:5555";  // the broker's front socket (catch-up requests)
  std::string events_endpoint = "tcp://127.0.0.1:5557";  // the broker's PUB socket
  std::vector<std::string> topics = {"order."};          // the default stdout sink's prefixes; empty: all
  std::vector<SinkOptions> sinks;    // empty: one stdout sink with `topics`
  std::string state_file;            // last seq per sink, for resume after a restart; "": start live
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
