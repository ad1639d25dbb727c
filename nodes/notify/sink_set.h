// SinkSet: the notifier's sinks, each with its topic filter and the last seq
// it has taken, and the state file that makes a restart resume.
//
// Delivery: Deliver(event) hands the event to every sink in config order,
// one at a time; a sink whose filter does not match the event's topic takes
// it silently (its seq still advances). An event a sink already holds (seq at
// or below its seq, after a resume) is skipped for that sink. The first sink
// that fails stops the delivery: later sinks do not see the event, and the
// caller stops (sink.h says which errors are a clean stop).
//
// Resume rule. With a state file, each sink's seq at start is the larger of
// the file's entry for it and the sink's own record (Sink::recorded_seq: a
// JSON-lines file's last line). The stream restarts after the smallest of
// those (resume_after), so every sink gets every event past its seq exactly
// once; a sink new to the state file starts at that point too. Without any
// record (first run) the notifier starts live. Saves: at once after a
// delivery to a sink that cannot notice repeats (a webhook), else at most
// every kSaveInterval, and at exit; every sink is synced first, so the file
// never claims more than the sinks hold durably. So: file sinks and dead-letter
// files exactly once; stdout may repeat what it printed in the last
// kSaveInterval before a crash; a webhook may see the event of the crash
// again (see webhook_sink.h).
//
// Ownership: owns the sinks. Thread: the notifier's one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "nodes/notify/sink.h"
#include "nodes/notify/state_file.h"
#include "nodes/notify/topic_filter.h"

namespace om::notify {

inline constexpr std::chrono::milliseconds kSaveInterval{100};

struct SinkEntry {
  std::unique_ptr<Sink> sink;
  TopicFilter filter;
  uint64_t seq = 0;       // last seq this sink has taken (or skipped by its filter)
  uint64_t taken = 0;     // events delivered in this run
  uint64_t filtered = 0;  // events its filter did not match
};

class SinkSet {
 public:
  // sinks: in config order, ids unique. state_file: "" for no resume.
  // Errors: those of LoadStateFile other than NotFound.
  [[nodiscard]] static Result<std::unique_ptr<SinkSet>> Open(std::vector<SinkEntry> sinks, std::string state_file,
                                                             const Clock& clock = SystemClock::Instance());

  // Where to start the stream (EventSequencer::StartAfter), or nullopt to
  // start live: no state file, or nothing recorded yet.
  std::optional<uint64_t> resume_after() const { return resume_after_; }

  // REQUIRES: events in increasing seq order.
  [[nodiscard]] Status Deliver(const proto::Event& event);
  // Saves the state file if a delivery changed it and (force or
  // kSaveInterval passed since the last save). Errors: IoError.
  [[nodiscard]] Status Checkpoint(bool force);

  const std::vector<SinkEntry>& sinks() const { return sinks_; }

 private:
  SinkSet(std::vector<SinkEntry> sinks, std::string state_file, const Clock& clock)
      : sinks_(std::move(sinks)), state_file_(std::move(state_file)), clock_(clock) {}

  std::vector<SinkEntry> sinks_;
  const std::string state_file_;
  const Clock& clock_;
  std::optional<uint64_t> resume_after_;
  bool dirty_ = false;
  int64_t saved_at_mono_ = 0;
};

}  // namespace om::notify
