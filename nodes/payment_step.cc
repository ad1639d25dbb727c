#include "nodes/payment_step.h"

#include "nodes/price_step.h"

namespace om::node {
namespace {

uint64_t SeedOf(int64_t seed) { return seed != 0 ? static_cast<uint64_t>(seed) : std::random_device{}(); }

// The amount to authorize: the priced total, or 0 when nothing priced the order.
int64_t AmountCents(const OrderContext& ctx) {
  auto total = ctx.outputs.find(kOutputTotalCents);
  return total == ctx.outputs.end() ? 0 : std::stoll(total->second);
}

}  // namespace

PaymentStep::PaymentStep(const PaymentOptions& options)
    : latency_us_(options.latency_ms * 1000),
      max_amount_cents_(options.max_amount_cents),
      blocked_customers_(options.blocked_customers.begin(), options.blocked_customers.end()),
      transient_failure_rate_(options.transient_failure_rate),
      rng_(SeedOf(options.seed)) {}

StepResult PaymentStep::Run(OrderContext& ctx) {
  if (auto wait = WaitOnce(ctx, "payment.until", latency_us_)) return *wait;
  return Decide(ctx);
}

StepResult PaymentStep::Decide(OrderContext& ctx) {
  // Draw even at rate 0 so that a seed gives the same sequence whatever the rate.
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  if (draw < transient_failure_rate_) {
    return StepResult::Retryable(kPaymentUnavailable, "the payment service did not answer (simulated)");
  }
  if (blocked_customers_.count(ctx.order.customer_id)) {
    return StepResult::Terminal(kPaymentDeclined, "customer '" + ctx.order.customer_id + "' is blocked");
  }
  const int64_t amount = AmountCents(ctx);
  if (max_amount_cents_ > 0 && amount > max_amount_cents_) {
    return StepResult::Terminal(kPaymentDeclined, "amount " + std::to_string(amount) + " cents is above the limit of " +
                                                      std::to_string(max_amount_cents_) + " cents");
  }
  ctx.outputs[kOutputAuthorizationId] = AuthorizationId(ctx.order_id);
  return StepResult::Ok();
}

CompensationResult PaymentStep::Compensate(OrderContext& ctx) {
  auto authorized = ctx.outputs.find(kOutputAuthorizationId);
  if (authorized == ctx.outputs.end()) return CompensationResult::Nothing();
  const std::string id = authorized->second;
  ctx.outputs.erase(authorized);
  ctx.outputs[kOutputVoidedAuthorizationId] = id;
  ctx.outputs["voided_by"] = "node";
  return CompensationResult::Done(proto::kTopicPaymentVoided, "authorization " + id + " voided");
}

}  // namespace om::node
