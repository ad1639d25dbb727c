// Pipeline: the ordered list of steps a node runs for each order, and
// PipelineRun, one order's resumable progress through it.
//
// Run::Advance() runs steps until one waits, fails, or all succeed. It never
// blocks: a waiting step returns its wake-up time and the node calls Advance
// again then. When a step fails terminally, the run compensates the steps
// that had succeeded, last first, before it reports; a retryable failure
// compensates nothing (the retry runs the steps again, and a step with an
// outside effect, like payment, is idempotent per order). Every step that
// finished and every compensation that did something is recorded in the
// context's trace, which the result carries as `steps`.
// Single-threaded, like the node loop that owns it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "nodes/node_options.h"
#include "nodes/step.h"
#include "protocol/messages.h"

namespace om::node {

class Pipeline {
 public:
  // Builds the steps named in options.pipeline; an unknown name is an error
  // that lists the known ones.
  static Result<Pipeline> Make(const NodeOptions& options);
  // A pipeline of the given steps, for tests and embedders.
  static Pipeline FromSteps(std::vector<std::unique_ptr<Step>> steps);
  const std::vector<std::unique_ptr<Step>>& steps() const { return steps_; }
  std::string Describe() const;  // "validate -> complete"

 private:
  std::vector<std::unique_ptr<Step>> steps_;
};

// Makes the step registered under name, or nullptr.
std::unique_ptr<Step> MakeStep(const std::string& name, const NodeOptions& options);
// Every registered step name, for error messages and --help.
std::vector<std::string> KnownSteps();

class PipelineRun {
 public:
  PipelineRun(const Pipeline* pipeline, uint64_t delivery_id, OrderContext ctx, int64_t started_mono)
      : pipeline_(pipeline), delivery_id_(delivery_id), ctx_(std::move(ctx)), started_mono_(started_mono) {}

  // Runs steps from where the run stopped. Returns true when the run is
  // finished (see result()), false when a step waits until wait_until().
  bool Advance(int64_t now_mono);
  int64_t wait_until() const { return wait_until_; }
  // REQUIRES: Advance() returned true. The RESULT to send to the broker:
  // outputs and steps always, effects only when every step succeeded.
  proto::NodeResult result(int64_t now_mono) const;
  uint64_t delivery_id() const { return delivery_id_; }
  const OrderContext& context() const { return ctx_; }

 private:
  void Trace(const std::string& step, const char* outcome, std::string code, std::string message, int64_t now);
  // Compensates steps [0, failed) in reverse order, tracing what each did.
  void Compensate(size_t failed, int64_t now);

  const Pipeline* pipeline_;
  uint64_t delivery_id_;
  OrderContext ctx_;
  int64_t started_mono_;
  size_t next_step_ = 0;
  int64_t step_started_ = -1;  // when steps[next_step_] first ran; -1: not yet
  int64_t wait_until_ = 0;
  StepResult failure_;
  std::string failed_step_;
};

}  // namespace om::node
