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
// When a later step fails terminally, the runner calls Compensate() on every
// step that had succeeded, last first, so that a step with a side effect
// outside the broker (a payment authorization) can undo it. Compensate() runs
// to its end at once (it does not wait); the default has nothing to undo.
//
// Steps hold no state across orders that matters for correctness (nodes are
// stateless); per-order state lives in the OrderContext. A step object is
// shared by every order of the node and used from the node's one loop thread
// only.
//
// Adding a step: derive from Step, implement name() and Run() (and
// Compensate() if it has something to undo), and register it in MakeStep()
// and KnownSteps() (nodes/builtin_steps.cc) under the name the config uses.
// nodes/example_step.h is a complete example (README.md quotes it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

// What a Compensate() call did. kNothing is not traced.
struct CompensationResult {
  enum class Kind { kNothing, kDone, kFailed };
  Kind kind = Kind::kNothing;
  std::string code;  // what was done ("payment.voided") or why it failed
  std::string message;

  static CompensationResult Nothing() { return {}; }
  static CompensationResult Done(std::string code, std::string message) {
    return {Kind::kDone, std::move(code), std::move(message)};
  }
  static CompensationResult Failed(std::string code, std::string message) {
    return {Kind::kFailed, std::move(code), std::move(message)};
  }
};

// StepTrace outcomes (protocol/types.h).
inline constexpr const char* kTraceOk = "ok";
inline constexpr const char* kTraceRetryable = "retryable_error";
inline constexpr const char* kTraceTerminal = "terminal_error";
inline constexpr const char* kTraceCompensated = "compensated";
inline constexpr const char* kTraceCompensationFailed = "compensation_failed";

// One order as it moves through the pipeline.
struct OrderContext {
  std::string order_id;
  uint32_t attempt = 0;
  proto::OrderRequest order;
  // The delivery's catalog entries of the order's products, by product id,
  // stock as at delivery. A product the broker's catalog lacks is absent.
  std::map<std::string, proto::CatalogEntry> catalog;
  int64_t now_mono_us = 0;                     // set by the runner before each Run()
  std::map<std::string, std::string> values;   // per-order scratch space shared by steps
  std::map<std::string, std::string> outputs;  // reported to the broker, kept in the order record
  std::vector<proto::Effect> effects;          // ledger changes for the broker to apply (ok results only)
  std::vector<proto::StepTrace> trace;         // filled by the runner, not by steps
};

class Step {
 public:
  virtual ~Step() = default;
  virtual const std::string& name() const = 0;
  virtual StepResult Run(OrderContext& ctx) = 0;
  // Undoes what a successful Run() did outside the broker. Called at most
  // once per attempt, only after Run() returned ok, and only when a later
  // step failed terminally.
  virtual CompensationResult Compensate(OrderContext&) { return CompensationResult::Nothing(); }
};

// For a step that waits delay_us once per run (a modelled remote call):
// returns the wait to hand back while the delay is running, or nullopt once it
// has passed (the step then goes on). `key` names the wait in ctx.values;
// it is cleared when the wait ends, so a later step (or a second instance of
// the same step) starts a wait of its own.
inline std::optional<StepResult> WaitOnce(OrderContext& ctx, const std::string& key, int64_t delay_us) {
  auto& until = ctx.values[key];
  if (until.empty()) {
    if (delay_us <= 0) {
      ctx.values.erase(key);
      return std::nullopt;
    }
    until = std::to_string(ctx.now_mono_us + delay_us);
    return StepResult::WaitUntil(ctx.now_mono_us + delay_us);
  }
  const int64_t due = std::stoll(until);
  if (ctx.now_mono_us < due) return StepResult::WaitUntil(due);
  ctx.values.erase(key);
  return std::nullopt;
}

}  // namespace om::node
