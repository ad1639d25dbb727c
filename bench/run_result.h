// RunResult: everything one bench run measured, as plain data for the
// report (text and JSON). Counts cover the whole run, warm-up included;
// latencies and rates cover only the measured part (after the warm-up).
#pragma once

#include <array>
#include <cstdint>
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

  uint64_t error_total() const {
    uint64_t n = timeouts + bad_replies;
    for (uint64_t e : errors) n += e;
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
  int exit_status = 0;
};

}  // namespace om::bench
