// ReserveStep ("reserve"): the order's stock, as ledger effects.
//
// Emits one `reserve` effect (proto::kEffectReserve) per product, the
// quantities of its items summed, in product-id order, for the broker to
// apply atomically with the order's PROCESSED status. The broker's check at
// commit time is the authoritative one (it alone sees every order); this step
// only fails early, terminally with insufficient_stock, when the delivery's
// stock snapshot already holds fewer units than the order needs. A product
// the catalog lacks gets its effect anyway and the broker decides.
// Stateless; the node's loop thread only.
#pragma once

#include <string>

#include "nodes/step.h"

namespace om::node {

inline constexpr const char* kInsufficientStock = "insufficient_stock";

class ReserveStep final : public Step {
 public:
  const std::string& name() const override { return name_; }
  StepResult Run(OrderContext& ctx) override;

 private:
  std::string name_ = "reserve";
};

}  // namespace om::node
