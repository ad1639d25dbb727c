#include "nodes/pipeline.h"

namespace om::node {

Result<Pipeline> Pipeline::Make(const NodeOptions& options) {
  if (options.pipeline.empty()) return Status::InvalidArgument("[node] pipeline: needs at least one step");
  Pipeline p;
  for (const auto& name : options.pipeline) {
    auto step = MakeStep(name, options);
    if (!step) {
      std::string known;
      for (const auto& k : KnownSteps()) known += (known.empty() ? "" : ", ") + k;
      return Status::InvalidArgument("[node] pipeline: unknown step '" + name + "' (known: " + known + ")");
    }
    p.steps_.push_back(std::move(step));
  }
  return p;
}

std::string Pipeline::Describe() const {
  std::string s;
  for (const auto& step : steps_) s += (s.empty() ? "" : " -> ") + step->name();
  return s;
}

bool PipelineRun::Advance(int64_t now_mono) {
  const auto& steps = pipeline_->steps();
  while (next_step_ < steps.size()) {
    ctx_.now_mono_us = now_mono;
    StepResult r = steps[next_step_]->Run(ctx_);
    switch (r.kind) {
      case StepResult::Kind::kOk:
        ++next_step_;
        break;
      case StepResult::Kind::kWait:
        wait_until_ = r.wait_until_us;
        return false;
      case StepResult::Kind::kRetryable:
      case StepResult::Kind::kTerminal:
        failure_ = std::move(r);
        failed_step_ = steps[next_step_]->name();
        next_step_ = steps.size();
        return true;
    }
  }
  return true;
}

proto::NodeResult PipelineRun::result(int64_t now_mono) const {
  proto::NodeResult r;
  r.order_id = ctx_.order_id;
  r.duration_us = now_mono - started_mono_;
  if (failed_step_.empty()) {
    r.end = proto::AttemptEnd::kOk;
    r.effects = ctx_.effects;
    return r;
  }
  r.end = failure_.kind == StepResult::Kind::kTerminal ? proto::AttemptEnd::kTerminalError
                                                       : proto::AttemptEnd::kRetryableError;
  r.step = failed_step_;
  r.error_code = failure_.error_code;
  r.error_message = failure_.error_message;
  return r;
}

}  // namespace om::node
