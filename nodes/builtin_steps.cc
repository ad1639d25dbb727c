// The step registry (MakeStep, KnownSteps) and the small built-in steps: a
// placeholder that completes the order, and steps for tests and demos. The
// business steps (validate, price, payment, reserve) live in their own files.
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "nodes/payment_step.h"
#include "nodes/pipeline.h"
#include "nodes/price_step.h"
#include "nodes/reserve_step.h"
#include "nodes/validate_step.h"

namespace om::node {
namespace {

// Completes every order: the default pipeline until the business steps exist.
class CompleteStep final : public Step {
 public:
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext&) override { return StepResult::Ok(); }

 private:
  std::string name_ = "complete";
};

// Waits delay_ms without blocking the node: models work or a remote call.
class DelayStep final : public Step {
 public:
  explicit DelayStep(int64_t delay_ms) : delay_us_(delay_ms * 1000) {}
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override {
    if (auto wait = WaitOnce(ctx, "delay.until", delay_us_)) return *wait;
    return StepResult::Ok();
  }

 private:
  std::string name_ = "delay";
  int64_t delay_us_;
};

// Reads metadata[key] from the order's metadata JSON object, or null.
nlohmann::json MetadataValue(const OrderContext& ctx, const std::string& key) {
  if (ctx.order.metadata_json.empty()) return nullptr;
  auto meta = nlohmann::json::parse(ctx.order.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains(key)) return nullptr;
  return meta[key];
}

// Test step: the node process exits at once when metadata[crash_marker] is
// true, as a poison order that crashes every node would.
class CrashIfMarkedStep final : public Step {
 public:
  explicit CrashIfMarkedStep(std::string marker) : marker_(std::move(marker)) {}
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override {
    if (MetadataValue(ctx, marker_) == true) {
      spdlog::critical("order {} carries the crash marker '{}': exiting (crash_if_marked step)", ctx.order_id, marker_);
      spdlog::default_logger()->flush();
      _exit(3);
    }
    return StepResult::Ok();
  }

 private:
  std::string name_ = "crash_if_marked";
  std::string marker_;
};

// Test step: metadata {"fail": "retryable"} or {"fail": "terminal"} fails
// the order that way (with error code "test_failure"); {"fail_until_attempt": N}
// fails retryably on attempts before N.
class FailIfMarkedStep final : public Step {
 public:
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override {
    auto fail = MetadataValue(ctx, "fail");
    if (fail == "terminal") return StepResult::Terminal("test_failure", "metadata asked for a terminal failure");
    if (fail == "retryable") return StepResult::Retryable("test_failure", "metadata asked for a retryable failure");
    auto until = MetadataValue(ctx, "fail_until_attempt");
    if (until.is_number_integer() && ctx.attempt < until.get<int64_t>()) {
      return StepResult::Retryable("test_failure", "failing until attempt " + until.dump());
    }
    return StepResult::Ok();
  }

 private:
  std::string name_ = "fail_if_marked";
};

}  // namespace

std::vector<std::string> KnownSteps() {
  return {"validate", "price", "payment", "reserve", "complete", "delay", "crash_if_marked", "fail_if_marked"};
}

std::unique_ptr<Step> MakeStep(const std::string& name, const NodeOptions& options) {
  if (name == "validate") return std::make_unique<ValidateStep>(options.validate);
  if (name == "price") return std::make_unique<PriceStep>();
  if (name == "payment") return std::make_unique<PaymentStep>(options.payment);
  if (name == "reserve") return std::make_unique<ReserveStep>();
  if (name == "complete") return std::make_unique<CompleteStep>();
  if (name == "delay") return std::make_unique<DelayStep>(options.delay_ms);
  if (name == "crash_if_marked") return std::make_unique<CrashIfMarkedStep>(options.crash_marker);
  if (name == "fail_if_marked") return std::make_unique<FailIfMarkedStep>();
  return nullptr;
}

}  // namespace om::node
