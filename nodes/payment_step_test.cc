// The rules of the payment step: its wait, declines, transient failures,
// idempotent authorization ids and the void that compensates it.
#include <gtest/gtest.h>

#include <chrono>

#include "nodes/payment_step.h"
#include "nodes/step_test_util.h"

namespace om::node {
namespace {

using proto::AttemptEnd;
using testing::Entry;
using testing::kStart;
using testing::Order;
using testing::RunStep;
using Kind = StepResult::Kind;

PaymentOptions Options(int64_t latency_ms = 20) {
  PaymentOptions o;
  o.latency_ms = latency_ms;
  o.seed = 42;
  return o;
}

// An order whose price step said total_cents.
OrderContext Priced(int64_t total_cents, std::string order_id = "order-1") {
  OrderContext ctx = Order({{"a", 1, std::nullopt}}, {Entry("a", total_cents)}, std::move(order_id));
  ctx.outputs["total_cents"] = std::to_string(total_cents);
  return ctx;
}

TEST(PaymentStep, WaitsItsLatencyThenAuthorizesUnderAnIdFromTheOrderId) {
  PaymentStep step(Options(20));
  OrderContext ctx = Priced(500, "o-1");
  ctx.now_mono_us = kStart;
  StepResult first = step.Run(ctx);
  ASSERT_EQ(first.kind, Kind::kWait);
  EXPECT_EQ(first.wait_until_us, kStart + 20'000);
  ctx.now_mono_us = kStart + 19'999;
  EXPECT_EQ(step.Run(ctx).kind, Kind::kWait) << "answered before its latency";
  EXPECT_EQ(ctx.outputs.count("authorization_id"), 0u);
  ctx.now_mono_us = kStart + 20'000;
  ASSERT_EQ(step.Run(ctx).kind, Kind::kOk);
  EXPECT_EQ(ctx.outputs["authorization_id"], "auth-o-1");
}

TEST(PaymentStep, ZeroLatencyAnswersAtOnce) {
  PaymentStep step(Options(0));
  OrderContext ctx = Priced(500);
  ctx.now_mono_us = kStart;
  EXPECT_EQ(step.Run(ctx).kind, Kind::kOk);
}

TEST(PaymentStep, RetriedOrderReauthorizesUnderTheSameId) {
  PaymentStep step(Options());
  OrderContext first = Priced(500, "o-9");
  OrderContext retry = Priced(500, "o-9");
  retry.attempt = 2;
  OrderContext other = Priced(500, "o-10");
  ASSERT_EQ(RunStep(step, first).kind, Kind::kOk);
  ASSERT_EQ(RunStep(step, retry).kind, Kind::kOk);
  ASSERT_EQ(RunStep(step, other).kind, Kind::kOk);
  EXPECT_EQ(first.outputs["authorization_id"], retry.outputs["authorization_id"]);
  EXPECT_NE(first.outputs["authorization_id"], other.outputs["authorization_id"]);
}

TEST(PaymentStep, BlockedCustomerIsDeclined) {
  PaymentOptions o = Options();
  o.blocked_customers = {"mallory", "trudy"};
  PaymentStep step(o);
  OrderContext blocked = Priced(500);
  blocked.order.customer_id = "trudy";
  StepResult r = RunStep(step, blocked);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "payment_declined");
  EXPECT_NE(r.error_message.find("trudy"), std::string::npos) << r.error_message;
  EXPECT_EQ(blocked.outputs.count("authorization_id"), 0u);

  OrderContext fine = Priced(500);
  fine.order.customer_id = "alice";
  EXPECT_EQ(RunStep(step, fine).kind, Kind::kOk);
}

TEST(PaymentStep, AmountAtTheLimitIsAuthorizedAboveItDeclined) {
  PaymentOptions o = Options();
  o.max_amount_cents = 10'000;
  PaymentStep step(o);
  OrderContext exact = Priced(10'000);
  EXPECT_EQ(RunStep(step, exact).kind, Kind::kOk);
  OrderContext over = Priced(10'001);
  StepResult r = RunStep(step, over);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "payment_declined");
  EXPECT_NE(r.error_message.find("10001"), std::string::npos) << r.error_message;
}

TEST(PaymentStep, ZeroLimitMeansNoLimit) {
  PaymentOptions o = Options();
  o.max_amount_cents = 0;
  PaymentStep step(o);
  OrderContext big = Priced(int64_t{1} << 60);
  EXPECT_EQ(RunStep(step, big).kind, Kind::kOk);
}

TEST(PaymentStep, WithoutPriceTheAmountIsZero) {
  PaymentOptions o = Options();
  o.max_amount_cents = 1;
  PaymentStep step(o);
  // The client's prices say 1,000,000 cents, but nothing priced the order.
  OrderContext ctx = Order({{"a", 1000, 1000}}, {});
  EXPECT_EQ(RunStep(step, ctx).kind, Kind::kOk);
}

TEST(PaymentStep, TransientFailureRateZeroNeverFails) {
  PaymentStep step(Options(0));
  for (int i = 0; i < 2000; ++i) {
    OrderContext ctx = Priced(500, "o-" + std::to_string(i));
    ASSERT_EQ(RunStep(step, ctx).kind, Kind::kOk) << "order " << i;
  }
}

TEST(PaymentStep, TransientFailureRateOneAlwaysFailsRetryably) {
  PaymentOptions o = Options(0);
  o.transient_failure_rate = 1.0;
  PaymentStep step(o);
  for (int i = 0; i < 200; ++i) {
    OrderContext ctx = Priced(500);
    StepResult r = RunStep(step, ctx);
    ASSERT_EQ(r.kind, Kind::kRetryable) << "order " << i;
    EXPECT_EQ(r.error_code, "payment_unavailable");
    EXPECT_EQ(ctx.outputs.count("authorization_id"), 0u);
  }
}

TEST(PaymentStep, TransientFailureRateIsHonouredOnAverage) {
  PaymentOptions o = Options(0);
  o.transient_failure_rate = 0.3;
  PaymentStep step(o);
  int failed = 0;
  constexpr int kOrders = 4000;
  for (int i = 0; i < kOrders; ++i) {
    OrderContext ctx = Priced(500);
    if (RunStep(step, ctx).kind == Kind::kRetryable) ++failed;
  }
  EXPECT_GT(failed, kOrders * 0.25);
  EXPECT_LT(failed, kOrders * 0.35);
}

TEST(PaymentStep, TransientFailureEndsTheAttemptRetryableWithoutVoiding) {
  NodeOptions o;
  o.pipeline = {"payment", "reserve"};
  o.payment.latency_ms = 0;
  o.payment.transient_failure_rate = 1.0;
  Pipeline p = testing::MakePipelineOf(o);
  proto::NodeResult r = testing::RunToEnd(p, Priced(500));
  EXPECT_EQ(r.end, AttemptEnd::kRetryableError);
  EXPECT_EQ(r.step, "payment");
  EXPECT_EQ(r.error_code, "payment_unavailable");
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, "retryable_error");
}

// The payment's latency is a wait, not a sleep: many orders wait at once, and
// Advance() returns at once however long the latency.
TEST(PaymentStep, OrdersWaitForPaymentAtTheSameTimeWithoutBlocking) {
  NodeOptions o;
  o.pipeline = {"payment"};
  o.payment.latency_ms = 2'000;
  Pipeline p = testing::MakePipelineOf(o);
  PipelineRun a(&p, 1, Priced(500, "o-a"), kStart);
  PipelineRun b(&p, 2, Priced(500, "o-b"), kStart + 1'000);
  const auto wall_start = std::chrono::steady_clock::now();
  ASSERT_FALSE(a.Advance(kStart));
  ASSERT_FALSE(b.Advance(kStart + 1'000));
  EXPECT_LT(std::chrono::steady_clock::now() - wall_start, std::chrono::milliseconds(500)) << "payment blocked";
  EXPECT_EQ(a.wait_until(), kStart + 2'000'000);
  EXPECT_EQ(b.wait_until(), kStart + 2'001'000);
  ASSERT_TRUE(a.Advance(kStart + 2'000'000));
  ASSERT_FALSE(b.Advance(kStart + 2'000'000));
  ASSERT_TRUE(b.Advance(kStart + 2'001'000));
  EXPECT_EQ(a.result(kStart + 2'000'000).outputs.at("authorization_id"), "auth-o-a");
  EXPECT_EQ(b.result(kStart + 2'001'000).outputs.at("authorization_id"), "auth-o-b");
}

TEST(PaymentStep, CompensationVoidsTheAuthorization) {
  PaymentStep step(Options());
  OrderContext ctx = Priced(500, "o-3");
  ASSERT_EQ(RunStep(step, ctx).kind, Kind::kOk);
  CompensationResult c = step.Compensate(ctx);
  EXPECT_EQ(c.kind, CompensationResult::Kind::kDone);
  EXPECT_EQ(c.code, "payment.voided");
  EXPECT_EQ(ctx.outputs.count("authorization_id"), 0u);
  EXPECT_EQ(ctx.outputs["voided_authorization_id"], "auth-o-3");
  EXPECT_EQ(ctx.outputs["voided_by"], "node");
}

TEST(PaymentStep, CompensationWithoutAnAuthorizationDoesNothing) {
  PaymentStep step(Options());
  OrderContext ctx = Priced(500);
  EXPECT_EQ(step.Compensate(ctx).kind, CompensationResult::Kind::kNothing);
  EXPECT_EQ(ctx.outputs.count("voided_authorization_id"), 0u);
}

}  // namespace
}  // namespace om::node
