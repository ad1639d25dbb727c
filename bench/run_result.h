// RunResult: everything one bench run measured, as plain data for the
// report (text and JSON). Counts cover the whole run, warm-up included;
// latencies and rates cover only the measured part (after the warm-up).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/histogram.h"
#include "protocol/types.h"

namespace om::bench {

struct Counters {
  uint64_t sent = 0;
  uint64_t answered = 0;  // first replies, including late ones
  uint64_t accepted = 0;
  uint64_t completed = 0;
  uint64_t processed = 0, failed = 0, dead_lettered = 0;
  std::array<uint64_t, 10> errors{};  // ERROR replies by ErrorCode value
  uint64_t timeouts = 0;              // no reply within --timeout
  uint64_t bad_replies = 0;           // undecodable, or not an answer to a submit
  uint64_t late_replies = 0;          // replies after their timeout
  uint64_t unknown_replies = 0;       // replies to request ids never sent
  uint64_t duplicate_replies = 0;
  uint64_t send_blocked = 0;          // times every send queue was full
  std::map<int, uint64_t> http_errors;  // HTTP target: answers other than 202 by status; 0 = connection lost

  uint64_t error_total() const {
    uint64_t n = timeouts + bad_replies;
    for (uint64_t e : errors) n += e;
    for (const auto& [status, count] : http_errors) n += count;
    return n;
  }
};

struct SelfCheck {
  uint64_t missing = 0;            // accepted, no terminal event by the end
  uint64_t duplicates = 0;         // extra terminal events for one order
  uint64_t unanswered = 0;         // submits never answered at all
  uint64_t foreign_events = 0;     // terminal events for orders this run did not submit
  uint64_t duplicate_accepts = 0;  // one order id accepted twice
  uint64_t event_gaps = 0;         // sequence numbers the feed skipped
  uint64_t recovered = 0;          // terminal events fetched from the event log to fill gaps
  uint64_t window_slots_released = 0;  // slow orders whose window slot was given back after --timeout
  bool drained = false;            // every reply and terminal event arrived before --drain-timeout
  bool ok() const {
    return missing == 0 && duplicates == 0 && unanswered == 0 && duplicate_accepts == 0;
  }
};

struct CpuUse {
  std::string who;    // "bench", "broker", "node-0"
  double cores = 0;   // CPU seconds / wall seconds of the load phase
};

// Broker counters over the run (differences of two STATS), when the target answers STATS.
struct BrokerDelta {
  uint64_t accepted = 0, retries = 0, late_results = 0, bad_frames = 0, rejected = 0;
  uint64_t backlog_end = 0, in_flight_end = 0;
  size_t nodes = 0;
};

// One interval of the run (a --report-interval, or a second when there are
// no progress lines): the per-second series of --csv.
struct IntervalSample {
  double t_s = 0;          // end of the interval, seconds since the first send
  double interval_s = 0;
  std::string phase;       // "warm-up", "" (measured), "drain"
  uint64_t sent = 0, accepted = 0, completed = 0, errors = 0;  // in this interval
  int64_t accept_p50_us = -1, accept_p99_us = -1;             // of this interval; -1: none
  int64_t completion_p50_us = -1, completion_p99_us = -1;
  int64_t in_flight = 0;   // at the end of the interval
  uint64_t pending = 0;
};

struct RunResult {
  bool interrupted = false;  // Ctrl-C
  std::string fatal;         // why the run stopped early (a spawned program died), "" if it did not
  double wall_s = 0;         // start of sending to the end of the drain
  double sending_s = 0;      // start of sending to the last send
  double measured_s = 0;     // end of warm-up to the last completion (or last accept)
  double accepted_per_s = 0;
  double completed_per_s = 0;
  Counters counters;
  SelfCheck check;
  Histogram accept_latency;      // µs, intended send -> ACCEPTED
  Histogram completion_latency;  // µs, intended send -> terminal event
  Histogram send_lag;            // µs, intended -> actual send (open loop)
  std::vector<CpuUse> cpu;
  std::optional<BrokerDelta> broker;
  std::vector<IntervalSample> series;  // one per interval, in order
  uint64_t chaos_kills = 0;            // --chaos: nodes killed and restarted
  int exit_status = 0;
};

}  // namespace om::bench
