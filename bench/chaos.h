// --chaos: churn injected into a --spawn run, so the numbers show what it
// costs while the self-check shows that nothing was lost.
//
//   kill-node:10s   every 10 s, SIGKILL one node (round robin) and start it
//                   again with the same flags (its id may be reused)
//
// Intervals take a unit suffix (ms, s, m) or are seconds; the runner checks
// the schedule about once a second, so shorter intervals fire once a second.
// ParseChaos and ChaosSchedule are pure (no clock, no processes): main wires
// the schedule to LocalMesh::KillAndRestartNode.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace om::bench {

struct ChaosSpec {
  enum class Action : uint8_t { kKillNode };
  Action action = Action::kKillNode;
  int64_t interval_ns = 0;
};

// "kill-node:10s" -> {kKillNode, 10 s}. Errors quote the text and the grammar.
[[nodiscard]] Result<ChaosSpec> ParseChaos(const std::string& text);

// "250ms", "10s", "2m", "1.5" (seconds) -> nanoseconds; false if malformed or <= 0.
bool ParseInterval(const std::string& text, int64_t* ns);

// Which node to hit, and when: the first kill one interval after start,
// then one per interval, nodes in turn.
class ChaosSchedule {
 public:
  ChaosSchedule(const ChaosSpec& spec, int nodes, int64_t start_ns);
  // The node to kill now, or -1 if none is due (at most one per call).
  int Due(int64_t now_ns);

 private:
  ChaosSpec spec_;
  int nodes_;
  int64_t next_ns_;
  int next_node_ = 0;
};

}  // namespace om::bench
