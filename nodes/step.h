// Step: one named stage of a node's order pipeline.
//
// A step looks at the order (and what earlier steps left in the context) and
// says what happened: ok, a retryable failure (the broker tries the order
// again later), a terminal failure (the order is FAILED with the step's error
// code), or "wait": call me again at a later time. Waiting is how a step
// models a remote call without blocking the node's other orders: the node
// runs up to `credit` orders at once on one thread and resumes each when its
// time comes.
//
// Steps hold no state across orders that matters for correctness (nodes are
// stateless); per-order state lives in the OrderContext. A step object is
// used from the node's one loop thread only.
//
// Adding a step: derive from Step, implement name() and Run(), and register
// it in MakeStep() (nodes/pipeline.cc) under the name the config uses.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocol/types.h"

namespace om::node {

struct StepResult {
  enum class Kind { kOk, kRetryable, kTerminal, kWait };
  Kind kind = Kind::kOk;
  std::string error_code;     // for kRetryable / kTerminal: machine-readable
  std::string error_message;  // human-readable
  int64_t wait_until_us = 0;  // for kWait: monotonic time to run the step again

  static StepResult Ok() { return {}; }
  static StepResult Retryable(std::string code, std::string message) {
    return {Kind::kRetryable, std::move(code), std::move(message), 0};
  }
  static StepResult Terminal(std::string code, std::string message) {
    return {Kind::kTerminal, std::move(code), std::move(message), 0};
  }
  static StepResult WaitUntil(int64_t mono_us) { return {Kind::kWait, "", "", mono_us}; }
};

// One order as it moves through the pipeline.
struct OrderContext {
  std::string order_id;
  uint32_t attempt = 0;
  proto::OrderRequest order;
  int64_t now_mono_us = 0;                    // set by the runner before each Run()
  std::map<std::string, std::string> values;  // per-order scratch space shared by steps
  std::vector<proto::Effect> effects;         // ledger changes for the broker to apply
};

class Step {
 public:
  virtual ~Step() = default;
  virtual const std::string& name() const = 0;
  virtual StepResult Run(OrderContext& ctx) = 0;
};

}  // namespace om::node
