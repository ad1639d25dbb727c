#include "nodes/pipeline.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace om::node {
namespace {

using proto::AttemptEnd;

constexpr int64_t kStart = 5'000'000;

Pipeline MakePipeline(std::vector<std::string> steps, int64_t delay_ms = 10) {
  NodeOptions o;
  o.pipeline = std::move(steps);
  o.delay_ms = delay_ms;
  auto p = Pipeline::Make(o);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

OrderContext Context(const std::string& metadata_json = "", uint32_t attempt = 1) {
  OrderContext ctx;
  ctx.order_id = "order-1";
  ctx.attempt = attempt;
  ctx.order.customer_id = "c1";
  ctx.order.items.push_back({"sku", 1, std::nullopt});
  ctx.order.metadata_json = metadata_json;
  return ctx;
}

// Runs the pipeline to its end at one instant (no waiting steps).
proto::NodeResult RunAt(const Pipeline& p, OrderContext ctx, int64_t now = kStart) {
  PipelineRun run(&p, 9, std::move(ctx), now);
  EXPECT_TRUE(run.Advance(now));
  return run.result(now);
}

TEST(Pipeline, UnknownStepIsAnErrorListingTheKnownSteps) {
  NodeOptions o;
  o.pipeline = {"complete", "teleport"};
  auto p = Pipeline::Make(o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  const std::string m = p.status().message();
  EXPECT_NE(m.find("teleport"), std::string::npos) << m;
  for (const auto& known : KnownSteps()) EXPECT_NE(m.find(known), std::string::npos) << known << " in " << m;
  EXPECT_NE(m.find("fail_if_marked"), std::string::npos) << m;
}

TEST(Pipeline, EmptyPipelineIsAnError) {
  NodeOptions o;
  o.pipeline = {};
  EXPECT_FALSE(Pipeline::Make(o).ok());
}

TEST(Pipeline, DescribeNamesTheStepsInOrder) {
  EXPECT_EQ(MakePipeline({"fail_if_marked", "delay", "complete"}).Describe(), "fail_if_marked -> delay -> complete");
}

TEST(Pipeline, RunThroughCompleteIsOkWithEffects) {
  Pipeline p = MakePipeline({"complete"});
  OrderContext ctx = Context();
  ctx.effects.push_back({"reserve", "sku", 1});
  PipelineRun run(&p, 9, std::move(ctx), kStart);
  EXPECT_EQ(run.delivery_id(), 9u);
  ASSERT_TRUE(run.Advance(kStart + 100));
  proto::NodeResult r = run.result(kStart + 250);
  EXPECT_EQ(r.order_id, "order-1");
  EXPECT_EQ(r.end, AttemptEnd::kOk);
  EXPECT_TRUE(r.step.empty());
  EXPECT_TRUE(r.error_code.empty());
  EXPECT_EQ(r.duration_us, 250);
  ASSERT_EQ(r.effects.size(), 1u);
  EXPECT_EQ(r.effects[0].kind, "reserve");
  EXPECT_EQ(r.effects[0].key, "sku");
  EXPECT_EQ(r.effects[0].amount, 1);
}

TEST(Pipeline, FailIfMarkedWithoutMarkPasses) {
  Pipeline p = MakePipeline({"fail_if_marked", "complete"});
  EXPECT_EQ(RunAt(p, Context()).end, AttemptEnd::kOk);
  EXPECT_EQ(RunAt(p, Context(R"({"other": 1})")).end, AttemptEnd::kOk);
  EXPECT_EQ(RunAt(p, Context("not json")).end, AttemptEnd::kOk);
}

TEST(Pipeline, FailIfMarkedTerminal) {
  Pipeline p = MakePipeline({"complete", "fail_if_marked", "complete"});
  proto::NodeResult r = RunAt(p, Context(R"({"fail": "terminal"})"));
  EXPECT_EQ(r.end, AttemptEnd::kTerminalError);
  EXPECT_EQ(r.step, "fail_if_marked");
  EXPECT_EQ(r.error_code, "test_failure");
  EXPECT_FALSE(r.error_message.empty());
  EXPECT_TRUE(r.effects.empty());
}

TEST(Pipeline, FailIfMarkedRetryable) {
  Pipeline p = MakePipeline({"fail_if_marked"});
  proto::NodeResult r = RunAt(p, Context(R"({"fail": "retryable"})"));
  EXPECT_EQ(r.end, AttemptEnd::kRetryableError);
  EXPECT_EQ(r.step, "fail_if_marked");
  EXPECT_EQ(r.error_code, "test_failure");
}

TEST(Pipeline, FailUntilAttemptFailsRetryablyBeforeThatAttempt) {
  Pipeline p = MakePipeline({"fail_if_marked", "complete"});
  const std::string meta = R"({"fail_until_attempt": 3})";
  for (uint32_t attempt : {1u, 2u}) {
    proto::NodeResult r = RunAt(p, Context(meta, attempt));
    EXPECT_EQ(r.end, AttemptEnd::kRetryableError) << "attempt " << attempt;
    EXPECT_EQ(r.step, "fail_if_marked");
    EXPECT_EQ(r.error_code, "test_failure");
  }
  EXPECT_EQ(RunAt(p, Context(meta, 3)).end, AttemptEnd::kOk);
  EXPECT_EQ(RunAt(p, Context(meta, 4)).end, AttemptEnd::kOk);
}

TEST(Pipeline, FailureStopsTheRunBeforeLaterSteps) {
  // A delay after the failing step would make Advance wait; it must not run.
  Pipeline p = MakePipeline({"fail_if_marked", "delay"}, 50);
  PipelineRun run(&p, 1, Context(R"({"fail": "terminal"})"), kStart);
  EXPECT_TRUE(run.Advance(kStart));
  EXPECT_EQ(run.result(kStart).step, "fail_if_marked");
}

TEST(Pipeline, DelayWaitsThenFinishesAtItsTimeNeverEarlier) {
  constexpr int64_t kDelayMs = 50;
  Pipeline p = MakePipeline({"delay", "complete"}, kDelayMs);
  PipelineRun run(&p, 1, Context(), kStart);
  ASSERT_FALSE(run.Advance(kStart));
  const int64_t due = kStart + kDelayMs * 1000;
  EXPECT_EQ(run.wait_until(), due);

  // Woken early (another order's timer): still waiting, for the same time.
  ASSERT_FALSE(run.Advance(kStart + 1));
  EXPECT_EQ(run.wait_until(), due);
  ASSERT_FALSE(run.Advance(due - 1));
  EXPECT_EQ(run.wait_until(), due);

  ASSERT_TRUE(run.Advance(due));
  proto::NodeResult r = run.result(due);
  EXPECT_EQ(r.end, AttemptEnd::kOk);
  EXPECT_EQ(r.duration_us, kDelayMs * 1000);
}

// Two delay steps model two remote calls: the run waits for both.
TEST(Pipeline, EachDelayStepWaitsItsOwnDelay) {
  Pipeline p = MakePipeline({"delay", "complete", "delay"}, 10);
  PipelineRun run(&p, 1, Context(), kStart);
  ASSERT_FALSE(run.Advance(kStart));
  EXPECT_EQ(run.wait_until(), kStart + 10'000);
  ASSERT_FALSE(run.Advance(kStart + 10'000)) << "the second delay did not wait";
  EXPECT_EQ(run.wait_until(), kStart + 20'000);
  ASSERT_FALSE(run.Advance(kStart + 19'999));
  ASSERT_TRUE(run.Advance(kStart + 20'000));
  EXPECT_EQ(run.result(kStart + 20'000).end, AttemptEnd::kOk);
}

TEST(Pipeline, TwoRunsWaitIndependently) {
  Pipeline p = MakePipeline({"delay"}, 10);
  PipelineRun a(&p, 1, Context(), kStart);
  PipelineRun b(&p, 2, Context(), kStart + 4'000);
  ASSERT_FALSE(a.Advance(kStart));
  ASSERT_FALSE(b.Advance(kStart + 4'000));
  EXPECT_EQ(a.wait_until(), kStart + 10'000);
  EXPECT_EQ(b.wait_until(), kStart + 14'000);
  EXPECT_TRUE(a.Advance(kStart + 10'000));
  EXPECT_FALSE(b.Advance(kStart + 10'000));
  EXPECT_TRUE(b.Advance(kStart + 14'000));
}

// ---- compensation and the trace ----

// A step that records its runs and compensations in a shared log and ends as told.
class ScriptedStep final : public Step {
 public:
  ScriptedStep(std::string name, std::vector<std::string>* log, StepResult result,
               CompensationResult compensation = CompensationResult::Done("undone", ""))
      : name_(std::move(name)), log_(log), result_(std::move(result)), compensation_(std::move(compensation)) {}
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override {
    log_->push_back("run " + name_);
    ctx.outputs[name_] = "ran";
    return result_;
  }
  CompensationResult Compensate(OrderContext&) override {
    log_->push_back("undo " + name_);
    return compensation_;
  }

 private:
  std::string name_;
  std::vector<std::string>* log_;
  StepResult result_;
  CompensationResult compensation_;
};

struct Script {
  std::string name;
  StepResult result = StepResult::Ok();
  CompensationResult compensation = CompensationResult::Done("undone", "");
};

Pipeline Scripted(const std::vector<Script>& script, std::vector<std::string>* log) {
  std::vector<std::unique_ptr<Step>> steps;
  for (const auto& s : script) steps.push_back(std::make_unique<ScriptedStep>(s.name, log, s.result, s.compensation));
  return Pipeline::FromSteps(std::move(steps));
}

TEST(Pipeline, TerminalFailureCompensatesTheSucceededStepsInReverseBeforeReporting) {
  std::vector<std::string> log;
  Pipeline p = Scripted({{"a"}, {"b"}, {"c"}, {"d", StepResult::Terminal("nope", "d failed")}, {"e"}}, &log);
  proto::NodeResult r = RunAt(p, Context());
  EXPECT_EQ(r.end, AttemptEnd::kTerminalError);
  EXPECT_EQ(r.step, "d");
  EXPECT_EQ(log, (std::vector<std::string>{"run a", "run b", "run c", "run d", "undo c", "undo b", "undo a"}));
  std::vector<std::string> trace;
  for (const auto& t : r.steps) trace.push_back(t.step + ":" + t.outcome + ":" + t.code);
  EXPECT_EQ(trace, (std::vector<std::string>{"a:ok:", "b:ok:", "c:ok:", "d:terminal_error:nope", "c:compensated:undone",
                                             "b:compensated:undone", "a:compensated:undone"}));
  EXPECT_EQ(r.steps[3].message, "d failed");
}

TEST(Pipeline, RetryableFailureCompensatesNothing) {
  std::vector<std::string> log;
  Pipeline p = Scripted({{"a"}, {"b", StepResult::Retryable("busy", "")}}, &log);
  proto::NodeResult r = RunAt(p, Context());
  EXPECT_EQ(r.end, AttemptEnd::kRetryableError);
  EXPECT_EQ(log, (std::vector<std::string>{"run a", "run b"}));
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[1].outcome, "retryable_error");
  EXPECT_EQ(r.steps[1].code, "busy");
}

TEST(Pipeline, StepsWithNothingToUndoAreNotTracedAndAFailedUndoDoesNotStopTheOthers) {
  std::vector<std::string> log;
  Pipeline p = Scripted({{"a"},
                         {"b", StepResult::Ok(), CompensationResult::Nothing()},
                         {"c", StepResult::Ok(), CompensationResult::Failed("void_failed", "gateway down")},
                         {"d", StepResult::Terminal("nope", "")}},
                        &log);
  proto::NodeResult r = RunAt(p, Context());
  EXPECT_EQ(log, (std::vector<std::string>{"run a", "run b", "run c", "run d", "undo c", "undo b", "undo a"}));
  ASSERT_EQ(r.steps.size(), 6u);
  EXPECT_EQ(r.steps[4].step, "c");
  EXPECT_EQ(r.steps[4].outcome, "compensation_failed");
  EXPECT_EQ(r.steps[4].code, "void_failed");
  EXPECT_EQ(r.steps[4].message, "gateway down");
  EXPECT_EQ(r.steps[5].step, "a");
  EXPECT_EQ(r.steps[5].outcome, "compensated");
}

TEST(Pipeline, ResultCarriesOutputsAndTraceAlwaysButEffectsOnlyWhenOk) {
  std::vector<std::string> log;
  Pipeline ok = Scripted({{"a"}}, &log);
  OrderContext ctx = Context();
  ctx.effects.push_back({"reserve", "sku", 1});
  proto::NodeResult r = RunAt(ok, ctx);
  EXPECT_EQ(r.outputs, (std::map<std::string, std::string>{{"a", "ran"}}));
  EXPECT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.effects.size(), 1u);

  Pipeline failing = Scripted({{"a"}, {"b", StepResult::Terminal("nope", "")}}, &log);
  r = RunAt(failing, ctx);
  EXPECT_EQ(r.outputs, (std::map<std::string, std::string>{{"a", "ran"}, {"b", "ran"}}));
  EXPECT_EQ(r.steps.size(), 3u);
  EXPECT_TRUE(r.effects.empty()) << "a failed order's effects must not reach the ledger";
}

TEST(Pipeline, TraceTimesEachStepAcrossItsWaits) {
  Pipeline p = MakePipeline({"complete", "delay", "complete"}, 30);
  PipelineRun run(&p, 1, Context(), kStart);
  ASSERT_FALSE(run.Advance(kStart + 5));
  ASSERT_FALSE(run.Advance(kStart + 7));  // woken early
  ASSERT_TRUE(run.Advance(kStart + 5 + 30'000));
  proto::NodeResult r = run.result(kStart + 5 + 30'000);
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].duration_us, 0);
  EXPECT_EQ(r.steps[1].step, "delay");
  EXPECT_EQ(r.steps[1].duration_us, 30'000);
  EXPECT_EQ(r.steps[2].duration_us, 0);
}

TEST(Pipeline, EveryKnownStepCanBeMade) {
  NodeOptions o;
  for (const auto& name : KnownSteps()) {
    auto step = MakeStep(name, o);
    ASSERT_NE(step, nullptr) << name;
    EXPECT_EQ(step->name(), name);
  }
}

}  // namespace
}  // namespace om::node
