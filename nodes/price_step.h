// PriceStep ("price"): the order's total from the catalog's prices.
//
// total = sum(quantity * catalog unit_price_cents), put in
// outputs["total_cents"] (decimal). Terminal failures:
//   price_mismatch   a client-given unit_price_cents that differs from the
//                    catalog's (the message names the product and both prices)
//   unknown_product  a product the catalog lacks (when "validate" did not run)
//   total_overflow   the total does not fit in 64 bits
// A missing client price is fine: the catalog decides. Stateless; the node's
// loop thread only.
#pragma once

#include <string>

#include "nodes/step.h"

namespace om::node {

inline constexpr const char* kPriceMismatch = "price_mismatch";
inline constexpr const char* kTotalOverflow = "total_overflow";
inline constexpr const char* kOutputTotalCents = "total_cents";

class PriceStep final : public Step {
 public:
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override;

 private:
  std::string name_ = "price";
};

}  // namespace om::node
