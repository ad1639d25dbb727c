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

Pipeline Pipeline::FromSteps(std::vector<std::unique_ptr<Step>> steps) {
  Pipeline p;
  p.steps_ = std::move(steps);
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
    Step& step = *steps[next_step_];
    ctx_.now_mono_us = now_mono;
    if (step_started_ < 0) step_started_ = now_mono;
    StepResult r = step.Run(ctx_);
    switch (r.kind) {
      case StepResult::Kind::kOk:
        Trace(step.name(), kTraceOk, "", "", now_mono);
        ++next_step_;
        step_started_ = -1;
        break;
      case StepResult::Kind::kWait:
        wait_until_ = r.wait_until_us;
        return false;
      case StepResult::Kind::kRetryable:
      case StepResult::Kind::kTerminal: {
        const bool terminal = r.kind == StepResult::Kind::kTerminal;
        Trace(step.name(), terminal ? kTraceTerminal : kTraceRetryable, r.error_code, r.error_message, now_mono);
        failure_ = std::move(r);
        failed_step_ = step.name();
        if (terminal) Compensate(next_step_, now_mono);
        next_step_ = steps.size();
        return true;
      }
    }
  }
  return true;
}

void PipelineRun::Trace(const std::string& step, const char* outcome, std::string code, std::string message,
                        int64_t now) {
  const int64_t duration = step_started_ < 0 ? 0 : now - step_started_;
  ctx_.trace.push_back({step, outcome, std::move(code), std::move(message), duration});
}

void PipelineRun::Compensate(size_t failed, int64_t now) {
  const auto& steps = pipeline_->steps();
  step_started_ = -1;  // compensations run at once: duration 0
  for (size_t i = failed; i-- > 0;) {
    ctx_.now_mono_us = now;
    CompensationResult c = steps[i]->Compensate(ctx_);
    if (c.kind == CompensationResult::Kind::kNothing) continue;
    const bool done = c.kind == CompensationResult::Kind::kDone;
    Trace(steps[i]->name(), done ? kTraceCompensated : kTraceCompensationFailed, std::move(c.code),
          std::move(c.message), now);
  }
}

proto::NodeResult PipelineRun::result(int64_t now_mono) const {
  proto::NodeResult r;
  r.order_id = ctx_.order_id;
  r.duration_us = now_mono - started_mono_;
  r.outputs = ctx_.outputs;
  r.steps = ctx_.trace;
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
