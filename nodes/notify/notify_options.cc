#include "nodes/notify/notify_options.h"

#include "common/http_client.h"
#include "config/config_loader.h"

namespace om::notify {

Status CheckSink(const SinkOptions& s) {
  const SinkOptions defaults;
  auto only_for = [&](bool set, const char* key, const char* type) {
    return set && s.type != type ? Status::InvalidArgument(std::string(key) + " is for " + type + " sinks")
                                 : Status::Ok();
  };
  for (Status st : {only_for(!s.path.empty(), "path", "file"), only_for(!s.url.empty(), "url", "webhook"),
                    only_for(s.timeout_ms != defaults.timeout_ms, "timeout_ms", "webhook"),
                    only_for(s.max_attempts != defaults.max_attempts, "max_attempts", "webhook"),
                    only_for(s.retry_base_ms != defaults.retry_base_ms, "retry_base_ms", "webhook"),
                    only_for(s.retry_cap_ms != defaults.retry_cap_ms, "retry_cap_ms", "webhook"),
                    only_for(s.dead_letter_file != defaults.dead_letter_file, "dead_letter_file", "webhook")}) {
    if (!st.ok()) return st;
  }
  if (s.type == "file" && s.path.empty()) return Status::InvalidArgument("a file sink needs path");
  if (s.type == "webhook") {
    http::HttpUrl url;
    std::string problem;
    if (s.url.empty()) return Status::InvalidArgument("a webhook sink needs url");
    if (!http::ParseHttpUrl(s.url, &url, &problem)) return Status::InvalidArgument("url '" + s.url + "' " + problem);
    if (s.dead_letter_file.empty()) return Status::InvalidArgument("a webhook sink needs dead_letter_file");
    if (s.retry_base_ms > s.retry_cap_ms) return Status::InvalidArgument("retry_base_ms is larger than retry_cap_ms");
  }
  return Status::Ok();
}

Status CheckSinks(const std::vector<SinkOptions>& sinks) {
  std::vector<std::pair<std::string, std::string>> seen;  // {id or file, what it is}
  auto claim = [&](const std::string& key, const std::string& what) {
    for (const auto& [k, w] : seen) {
      if (k == key) return Status::InvalidArgument(what + " is also " + w + "; each sink needs its own");
    }
    seen.emplace_back(key, what);
    return Status::Ok();
  };
  for (size_t i = 0; i < sinks.size(); ++i) {
    const SinkOptions& s = sinks[i];
    const std::string item = "sink #" + std::to_string(i + 1);
    if (Status st = CheckSink(s); !st.ok()) return Status::InvalidArgument(item + ": " + st.message());
    Status st = s.type == "stdout"  ? claim("stdout", item + " (stdout)")
                : s.type == "file"  ? claim("file:" + s.path, item + "'s path " + s.path)
                                    : claim("webhook:" + s.url, item + "'s url " + s.url);
    if (st.ok() && s.type == "webhook") {
      st = claim("file:" + s.dead_letter_file, item + "'s dead_letter_file " + s.dead_letter_file);
    }
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

void RegisterOptions(config::ConfigLoader& l, NotifyOptions& o) {
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's front endpoint, asked for missed events");
  l.Add("events_endpoint", &o.events_endpoint, "the broker's PUB endpoint for order events");
  l.Add("topics", &o.topics,
        "topic prefixes the default stdout sink prints (order.processed, order.failed, ...); empty: all; "
        "unused when [[notify.sinks]] are configured");
  l.Add("state_file", &o.state_file,
        "file holding the last seq each sink took: a restart resumes after it (\"\": no resume, start live)");
  l.AddTables<SinkOptions>(
      "sinks", &o.sinks, "where events go; none: one stdout sink with topics",
      [](config::TableKeys& k, SinkOptions& s) {
        k.Add("type", &s.type, "stdout, file or webhook", {"stdout", "file", "webhook"})
            .Add("topics", &s.topics, "topic prefixes this sink takes; empty: every event")
            .Add("path", &s.path, "file: the JSON-lines file to append to")
            .Add("url", &s.url, "webhook: http://host[:port]/path")
            .Add("timeout_ms", &s.timeout_ms, "webhook: one attempt (ms)", 1, 600'000)
            .Add("max_attempts", &s.max_attempts, "webhook: POSTs per event before dead-lettering", 1, 1'000)
            .Add("retry_base_ms", &s.retry_base_ms, "webhook: first backoff ceiling (ms)", 0, 600'000)
            .Add("retry_cap_ms", &s.retry_cap_ms, "webhook: largest backoff ceiling (ms)", 0, 3'600'000)
            .Add("dead_letter_file", &s.dead_letter_file, "webhook: JSON lines of events given up on");
      },
      CheckSink);
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
