// Sink: one destination of the notifier's events (stdout, a JSON-lines file,
// an HTTP webhook). The SinkSet (sink_set.h) hands each sink every event in
// seq order, one at a time, after topic filtering; a sink never sees an event
// twice within one run.
//
// Deliver() returns when the sink has taken the event, or failed:
//   Ok            taken: written, or (webhook) acknowledged with 2xx or
//                 written to its dead-letter file;
//   Unavailable   not taken, and the notifier should stop without error
//                 (stdout's reader went away, shutdown during retries);
//   anything else not taken; the notifier stops with this error.
//
// Thread-safety: none; the notifier's one thread owns every sink.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "protocol/types.h"

namespace om::notify {

class Sink {
 public:
  virtual ~Sink() = default;

  // Stable across restarts, unique in one notifier; the state file's key:
  // "stdout", "file:<path>", "webhook:<url>".
  virtual const std::string& id() const = 0;

  // line is proto::ToJson(event), compact, without a newline.
  [[nodiscard]] virtual Status Deliver(const proto::Event& event, const std::string& line) = 0;

  // Makes what Deliver took durable; called before the state file records it.
  [[nodiscard]] virtual Status Sync() { return Status::Ok(); }

  // The last seq the sink's own output records (a file's last line), 0 when
  // it keeps no record. Resume skips events at or below it even when the
  // state file is older.
  virtual uint64_t recorded_seq() const { return 0; }

  // True when each delivery must reach the state file at once, because the
  // sink cannot notice a repeat itself (a webhook).
  virtual bool save_after_each_delivery() const { return false; }
};

}  // namespace om::notify
