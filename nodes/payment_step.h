// PaymentStep ("payment"): a simulated payment authorization, configured by
// [node.payment] (PaymentOptions).
//
// Each run models one remote call: it waits latency_ms with
// StepResult::WaitUntil, so the node's other orders go on meanwhile, and then
// answers, in this order:
//   payment_unavailable (retryable)  with probability transient_failure_rate
//   payment_declined (terminal)      the customer is in blocked_customers, or
//                                    the amount is above max_amount_cents
//   ok                               outputs["authorization_id"] is set
// The amount is outputs["total_cents"] from "price"; without "price" in the
// pipeline it is 0 (the node trusts no client total), so only a blocked
// customer or a transient failure fails the order then.
//
// The authorization id is "auth-" + order id: it is the idempotency key a
// real payment API would take, so a retried or redelivered order
// re-authorizes the same authorization instead of charging twice. That is
// also why a retryable failure after payment needs no void.
//
// Compensate() voids the authorization: outputs lose authorization_id and
// gain voided_authorization_id (and voided_by = "node"), which makes the
// broker publish payment.voided when the order ends FAILED.
//
// The random draws come from one generator seeded by `seed` (0: random).
// The node's loop thread only.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <string>

#include "nodes/node_options.h"
#include "nodes/step.h"

namespace om::node {

inline constexpr const char* kPaymentDeclined = "payment_declined";
inline constexpr const char* kPaymentUnavailable = "payment_unavailable";
inline constexpr const char* kOutputAuthorizationId = "authorization_id";
inline constexpr const char* kOutputVoidedAuthorizationId = "voided_authorization_id";

class PaymentStep final : public Step {
 public:
  explicit PaymentStep(const PaymentOptions& options);
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override;
  CompensationResult Compensate(OrderContext& ctx) override;

  // The authorization id of an order: stable across its attempts.
  static std::string AuthorizationId(const std::string& order_id) { return "auth-" + order_id; }

 private:
  StepResult Decide(OrderContext& ctx);

  std::string name_ = "payment";
  int64_t latency_us_;
  int64_t max_amount_cents_;
  std::set<std::string> blocked_customers_;
  double transient_failure_rate_;
  std::mt19937_64 rng_;
};

}  // namespace om::node
