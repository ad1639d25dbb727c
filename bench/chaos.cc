#include "bench/chaos.h"

#include <cmath>
#include <cstdlib>

namespace om::bench {

bool ParseInterval(const std::string& text, int64_t* ns) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  const std::string unit(end);
  double scale;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "m") {
    scale = 60e9;
  } else {
    return false;
  }
  if (!(v > 0) || !std::isfinite(v) || v * scale > 86400e9) return false;
  *ns = static_cast<int64_t>(v * scale);
  return *ns > 0;
}

Result<ChaosSpec> ParseChaos(const std::string& text) {
  const std::string kKillNode = "kill-node:";
  ChaosSpec spec;
  if (text.rfind(kKillNode, 0) == 0 && ParseInterval(text.substr(kKillNode.size()), &spec.interval_ns)) {
    spec.action = ChaosSpec::Action::kKillNode;
    return spec;
  }
  return Status::InvalidArgument("--chaos " + text + ": expected kill-node:INTERVAL, e.g. kill-node:10s");
}

ChaosSchedule::ChaosSchedule(const ChaosSpec& spec, int nodes, int64_t start_ns)
    : spec_(spec), nodes_(nodes), next_ns_(start_ns + spec.interval_ns) {}

int ChaosSchedule::Due(int64_t now_ns) {
  if (nodes_ <= 0 || now_ns < next_ns_) return -1;
  // A late check fires once, not once per missed interval.
  while (next_ns_ <= now_ns) next_ns_ += spec_.interval_ns;
  const int node = next_node_;
  next_node_ = (next_node_ + 1) % nodes_;
  return node;
}

}  // namespace om::bench
