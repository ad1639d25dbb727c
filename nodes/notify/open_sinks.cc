#include "nodes/notify/open_sinks.h"

#include <spdlog/spdlog.h>

#include "nodes/notify/file_sink.h"
#include "nodes/notify/stdout_sink.h"
#include "nodes/notify/webhook_sink.h"

namespace om::notify {
namespace {

Result<std::unique_ptr<Sink>> OpenSink(const SinkOptions& s, std::FILE* out) {
  if (s.type == "stdout") return std::unique_ptr<Sink>(new StdoutSink(out));
  if (s.type == "file") {
    auto file = FileSink::Open(s.path);
    if (!file.ok()) return file.status();
    if ((*file)->repaired_bytes() > 0) {
      spdlog::warn("{}: cut {} bytes of a torn last line (written by a notifier that died mid-write)", s.path,
                   (*file)->repaired_bytes());
    }
    return std::unique_ptr<Sink>(std::move(file).value());
  }
  WebhookOptions w{.url = s.url,
                   .timeout = std::chrono::milliseconds(s.timeout_ms),
                   .max_attempts = s.max_attempts,
                   .retry_base = std::chrono::milliseconds(s.retry_base_ms),
                   .retry_cap = std::chrono::milliseconds(s.retry_cap_ms),
                   .dead_letter_file = s.dead_letter_file};
  auto hook = WebhookSink::Open(w);
  if (!hook.ok()) return hook.status();
  return std::unique_ptr<Sink>(std::move(hook).value());
}

}  // namespace

Result<std::unique_ptr<SinkSet>> OpenSinkSet(const NotifyOptions& options, std::FILE* out) {
  std::vector<SinkOptions> configured = options.sinks;
  if (configured.empty()) configured.push_back(SinkOptions{.type = "stdout", .topics = options.topics});
  if (Status s = CheckSinks(configured); !s.ok()) return s;
  std::vector<SinkEntry> entries;
  for (const SinkOptions& s : configured) {
    auto sink = OpenSink(s, out);
    if (!sink.ok()) return sink.status();
    entries.push_back(SinkEntry{.sink = std::move(sink).value(), .filter = TopicFilter(s.topics)});
  }
  auto set = SinkSet::Open(std::move(entries), options.state_file);
  if (!set.ok()) return set.status();
  for (const SinkEntry& e : (*set)->sinks()) {
    spdlog::info("sink {}: topics [{}]{}", e.sink->id(), fmt::join(e.filter.prefixes(), ", "),
                 (*set)->resume_after() ? fmt::format(", has events up to seq {}", e.seq) : "");
  }
  return set;
}

}  // namespace om::notify
