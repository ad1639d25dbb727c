#include "nodes/notify/notify_options.h"

#include "config/config_loader.h"

namespace om::notify {

void RegisterOptions(config::ConfigLoader& l, NotifyOptions& o) {
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's front endpoint, asked for missed events");
  l.Add("events_endpoint", &o.events_endpoint, "the broker's PUB endpoint for order events");
  l.Add("topics", &o.topics, "topic prefixes to print (order.processed, order.failed, ...); empty: all");
  // The broker answers at most 10,000 events per request.
  l.Add("catchup_batch", &o.catchup_batch, "events asked for per catch-up request", 1, 10'000);
  l.Add("timeout_ms", &o.timeout_ms, "wait for one catch-up reply from the broker (ms)", 10, 600'000);
  l.Add("rcvhwm", &o.rcvhwm, "ZeroMQ high-water mark of the SUB socket (events)", 1, 10'000'000);
  l.Add("max_buffered", &o.max_buffered, "live events held while catching up", 1, 100'000'000);
  l.Add("idle_check_ms", &o.idle_check_ms, "after this long without events, check the broker for missed ones (ms); 0: never",
        0, 3'600'000);
  l.Add("retry_base_ms", &o.retry_base_ms, "first catch-up retry backoff ceiling (ms)", 1, 60'000);
  l.Add("retry_cap_ms", &o.retry_cap_ms, "largest catch-up retry backoff ceiling (ms)", 1, 600'000);
  l.Add("log_level", &o.log_level, "trace|debug|info|warn|error|off", {"trace", "debug", "info", "warn", "error", "off"});
  l.Add("log_format", &o.log_format, "text or json (one object per line)", {"text", "json"});
}

}  // namespace om::notify
