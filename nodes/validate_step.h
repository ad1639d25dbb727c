// ValidateStep ("validate"): the order makes sense against the catalog.
//
// Terminal failures, first problem found, items in order:
//   unknown_product    a product the delivery's catalog does not hold
//   invalid_quantity   a quantity outside 1..max_quantity
//   currency_mismatch  a catalog entry priced in another currency than the
//                      order's (an order without a currency takes its first
//                      product's, and then every product must match it)
// On success the order's currency is settled: ctx.order.currency and
// outputs["currency"] hold it. The broker guarantees at least one item.
// Stateless; the node's loop thread only.
#pragma once

#include <string>

#include "nodes/node_options.h"
#include "nodes/step.h"

namespace om::node {

inline constexpr const char* kUnknownProduct = "unknown_product";
inline constexpr const char* kInvalidQuantity = "invalid_quantity";
inline constexpr const char* kCurrencyMismatch = "currency_mismatch";

class ValidateStep final : public Step {
 public:
  explicit ValidateStep(const ValidateOptions& options) : max_quantity_(options.max_quantity) {}
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override;

 private:
  std::string name_ = "validate";
  int64_t max_quantity_;
};

// The catalog entry of product_id, or nullptr. Shared by the steps that price
// or check against the catalog.
const proto::CatalogEntry* FindEntry(const OrderContext& ctx, const std::string& product_id);
// The terminal failure for a product the catalog lacks.
StepResult UnknownProduct(const std::string& product_id);

}  // namespace om::node
