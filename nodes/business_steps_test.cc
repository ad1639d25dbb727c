// The rules of the validate, price and reserve steps, and the business
// pipeline end to end (validate -> price -> payment -> reserve), without sockets.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "nodes/payment_step.h"
#include "nodes/price_step.h"
#include "nodes/reserve_step.h"
#include "nodes/step_test_util.h"
#include "nodes/validate_step.h"

namespace om::node {
namespace {

using proto::AttemptEnd;
using testing::Entry;
using testing::Order;
using testing::RunStep;
using Kind = StepResult::Kind;

// ---- validate ----

ValidateStep Validate(int max_quantity = 1000) { return ValidateStep(ValidateOptions{max_quantity}); }

TEST(ValidateStep, KnownProductsPassAndAnEmptyCurrencyTakesTheCatalogs) {
  auto step = Validate();
  OrderContext ctx = Order({{"a", 1, std::nullopt}, {"b", 2, std::nullopt}}, {Entry("a", 100), Entry("b", 250)});
  ASSERT_TRUE(ctx.order.currency.empty());
  StepResult r = RunStep(step, ctx);
  EXPECT_EQ(r.kind, Kind::kOk) << r.error_code << " " << r.error_message;
  EXPECT_EQ(ctx.order.currency, "USD");
  EXPECT_EQ(ctx.outputs["currency"], "USD");
}

TEST(ValidateStep, UnknownProductIsTerminalAndNamesTheProduct) {
  auto step = Validate();
  OrderContext ctx = Order({{"a", 1, std::nullopt}, {"ghost", 1, std::nullopt}}, {Entry("a", 100)});
  StepResult r = RunStep(step, ctx);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "unknown_product");
  EXPECT_NE(r.error_message.find("ghost"), std::string::npos) << r.error_message;
}

TEST(ValidateStep, QuantityMustBeWithinOneAndMax) {
  constexpr int kMax = 5;
  auto step = Validate(kMax);
  for (uint32_t q : {0u, 1u, 5u, 6u}) {
    OrderContext ctx = Order({{"a", q, std::nullopt}}, {Entry("a", 100)});
    StepResult r = RunStep(step, ctx);
    const bool valid = q >= 1 && q <= kMax;
    EXPECT_EQ(r.kind, valid ? Kind::kOk : Kind::kTerminal) << "quantity " << q;
    EXPECT_EQ(r.error_code, valid ? "" : "invalid_quantity") << "quantity " << q;
  }
}

TEST(ValidateStep, DefaultMaxQuantityIsOneThousand) {
  NodeOptions o;
  auto step = MakeStep("validate", o);
  ASSERT_NE(step, nullptr);
  OrderContext at = Order({{"a", 1000, std::nullopt}}, {Entry("a", 1)});
  OrderContext over = Order({{"a", 1001, std::nullopt}}, {Entry("a", 1)});
  EXPECT_EQ(RunStep(*step, at).kind, Kind::kOk);
  EXPECT_EQ(RunStep(*step, over).error_code, "invalid_quantity");
}

TEST(ValidateStep, OrderCurrencyMustMatchTheCatalogs) {
  auto step = Validate();
  OrderContext same = Order({{"a", 1, std::nullopt}}, {Entry("a", 100, 10, "EUR")});
  same.order.currency = "EUR";
  EXPECT_EQ(RunStep(step, same).kind, Kind::kOk);

  OrderContext other = Order({{"a", 1, std::nullopt}}, {Entry("a", 100, 10, "EUR")});
  other.order.currency = "USD";
  StepResult r = RunStep(step, other);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "currency_mismatch");
  EXPECT_NE(r.error_message.find("EUR"), std::string::npos) << r.error_message;
  EXPECT_NE(r.error_message.find("USD"), std::string::npos) << r.error_message;
}

TEST(ValidateStep, WithoutAnOrderCurrencyProductsInTwoCurrenciesMismatch) {
  auto step = Validate();
  OrderContext ctx =
      Order({{"a", 1, std::nullopt}, {"b", 1, std::nullopt}}, {Entry("a", 100, 10, "USD"), Entry("b", 100, 10, "EUR")});
  EXPECT_EQ(RunStep(step, ctx).error_code, "currency_mismatch");
}

// ---- price ----

TEST(PriceStep, TotalIsQuantityTimesTheCatalogPrice) {
  PriceStep step;
  // One client price equal to the catalog's, one missing: both fine.
  OrderContext ctx = Order({{"a", 3, 100}, {"b", 2, std::nullopt}, {"a", 1, std::nullopt}},
                           {Entry("a", 100), Entry("b", 1250)});
  StepResult r = RunStep(step, ctx);
  ASSERT_EQ(r.kind, Kind::kOk) << r.error_message;
  EXPECT_EQ(ctx.outputs["total_cents"], "2900");  // 3*100 + 2*1250 + 1*100
}

TEST(PriceStep, ClientPriceThatDiffersIsPriceMismatchNamingProductAndBothPrices) {
  PriceStep step;
  OrderContext ctx = Order({{"a", 1, 100}, {"b", 1, 999}}, {Entry("a", 100), Entry("b", 1250)});
  StepResult r = RunStep(step, ctx);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "price_mismatch");
  for (const char* part : {"'b'", "999", "1250"}) {
    EXPECT_NE(r.error_message.find(part), std::string::npos) << part << " in " << r.error_message;
  }
  EXPECT_EQ(ctx.outputs.count("total_cents"), 0u);
}

TEST(PriceStep, UnknownProductIsTerminal) {
  PriceStep step;
  OrderContext ctx = Order({{"ghost", 1, std::nullopt}}, {});
  EXPECT_EQ(RunStep(step, ctx).error_code, "unknown_product");
}

TEST(PriceStep, TotalThatOverflowsIsTerminal) {
  PriceStep step;
  constexpr int64_t kHuge = std::numeric_limits<int64_t>::max() / 2;
  OrderContext line = Order({{"a", 3, std::nullopt}}, {Entry("a", kHuge)});  // one line overflows
  EXPECT_EQ(RunStep(step, line).error_code, "total_overflow");
  OrderContext sum = Order({{"a", 1, std::nullopt}, {"b", 1, std::nullopt}, {"c", 1, std::nullopt}},
                           {Entry("a", kHuge), Entry("b", kHuge), Entry("c", kHuge)});  // the sum does
  EXPECT_EQ(RunStep(step, sum).error_code, "total_overflow");
  OrderContext fits = Order({{"a", 2, std::nullopt}}, {Entry("a", kHuge)});
  EXPECT_EQ(RunStep(step, fits).kind, Kind::kOk);
}

// ---- reserve ----

TEST(ReserveStep, OneEffectPerProductWithItsQuantitiesSummed) {
  ReserveStep step;
  OrderContext ctx = Order({{"b", 2, std::nullopt}, {"a", 1, std::nullopt}, {"b", 3, std::nullopt}},
                           {Entry("a", 1, 10), Entry("b", 1, 10)});
  ASSERT_EQ(RunStep(step, ctx).kind, Kind::kOk);
  ASSERT_EQ(ctx.effects.size(), 2u);
  EXPECT_EQ(ctx.effects[0].kind, proto::kEffectReserve);
  EXPECT_EQ(ctx.effects[0].key, "a");
  EXPECT_EQ(ctx.effects[0].amount, 1);
  EXPECT_EQ(ctx.effects[1].kind, proto::kEffectReserve);
  EXPECT_EQ(ctx.effects[1].key, "b");
  EXPECT_EQ(ctx.effects[1].amount, 5);
}

TEST(ReserveStep, StockSnapshotBelowTheSummedQuantityFailsEarly) {
  ReserveStep step;
  OrderContext exact = Order({{"a", 2, std::nullopt}, {"a", 3, std::nullopt}}, {Entry("a", 1, 5)});
  EXPECT_EQ(RunStep(step, exact).kind, Kind::kOk);

  OrderContext short_by_one = Order({{"a", 2, std::nullopt}, {"a", 3, std::nullopt}}, {Entry("a", 1, 4)});
  StepResult r = RunStep(step, short_by_one);
  EXPECT_EQ(r.kind, Kind::kTerminal);
  EXPECT_EQ(r.error_code, "insufficient_stock");
  EXPECT_TRUE(short_by_one.effects.empty()) << "no partial effects";
}

TEST(ReserveStep, ProductTheCatalogLacksStillGetsItsEffectForTheBrokerToJudge) {
  ReserveStep step;
  OrderContext ctx = Order({{"ghost", 1, std::nullopt}}, {});
  ASSERT_EQ(RunStep(step, ctx).kind, Kind::kOk);
  ASSERT_EQ(ctx.effects.size(), 1u);
  EXPECT_EQ(ctx.effects[0].key, "ghost");
}

// ---- the business pipeline ----

NodeOptions Business() {
  NodeOptions o;
  o.pipeline = {"validate", "price", "payment", "reserve"};
  o.payment.latency_ms = 20;
  o.payment.seed = 1;
  return o;
}

TEST(BusinessPipeline, OrderIsPricedPaidAndReserved) {
  Pipeline p = testing::MakePipelineOf(Business());
  proto::NodeResult r = testing::RunToEnd(p, Order({{"a", 2, 100}}, {Entry("a", 100, 10)}, "o-7"));
  ASSERT_EQ(r.end, AttemptEnd::kOk) << r.step << " " << r.error_code;
  EXPECT_EQ(r.duration_us, 20'000);
  EXPECT_EQ(r.outputs.at("total_cents"), "200");
  EXPECT_EQ(r.outputs.at("authorization_id"), "auth-o-7");
  EXPECT_EQ(r.outputs.at("currency"), "USD");
  ASSERT_EQ(r.effects.size(), 1u);
  EXPECT_EQ(r.effects[0].amount, 2);
  ASSERT_EQ(r.steps.size(), 4u);
  const char* names[] = {"validate", "price", "payment", "reserve"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.steps[i].step, names[i]);
    EXPECT_EQ(r.steps[i].outcome, "ok");
  }
  EXPECT_EQ(r.steps[2].duration_us, 20'000) << "payment's trace covers its wait";
  EXPECT_EQ(r.steps[3].duration_us, 0);
}

TEST(BusinessPipeline, OutOfStockAfterPaymentVoidsTheAuthorizationBeforeReporting) {
  Pipeline p = testing::MakePipelineOf(Business());
  proto::NodeResult r = testing::RunToEnd(p, Order({{"a", 3, std::nullopt}}, {Entry("a", 100, 2)}, "o-8"));
  EXPECT_EQ(r.end, AttemptEnd::kTerminalError);
  EXPECT_EQ(r.step, "reserve");
  EXPECT_EQ(r.error_code, "insufficient_stock");
  EXPECT_TRUE(r.effects.empty());
  EXPECT_EQ(r.outputs.count("authorization_id"), 0u);
  EXPECT_EQ(r.outputs.at("voided_authorization_id"), "auth-o-8");
  ASSERT_EQ(r.steps.size(), 5u);
  EXPECT_EQ(r.steps[3].step, "reserve");
  EXPECT_EQ(r.steps[3].outcome, "terminal_error");
  EXPECT_EQ(r.steps[3].code, "insufficient_stock");
  EXPECT_EQ(r.steps[4].step, "payment");
  EXPECT_EQ(r.steps[4].outcome, "compensated");
  EXPECT_EQ(r.steps[4].code, "payment.voided");
}

TEST(BusinessPipeline, FailureBeforePaymentHasNothingToVoid) {
  Pipeline p = testing::MakePipelineOf(Business());
  proto::NodeResult r = testing::RunToEnd(p, Order({{"a", 1, 5}}, {Entry("a", 100)}));
  EXPECT_EQ(r.end, AttemptEnd::kTerminalError);
  EXPECT_EQ(r.error_code, "price_mismatch");
  EXPECT_EQ(r.duration_us, 0) << "payment never waited";
  EXPECT_EQ(r.outputs.count("voided_authorization_id"), 0u);
  ASSERT_EQ(r.steps.size(), 2u) << "validate ok, price failed, no compensation traced";
}

}  // namespace
}  // namespace om::node
