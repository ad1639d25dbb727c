#include "nodes/price_step.h"

#include "nodes/validate_step.h"

namespace om::node {

StepResult PriceStep::Run(OrderContext& ctx) {
  int64_t total = 0;
  for (const auto& item : ctx.order.items) {
    const proto::CatalogEntry* entry = FindEntry(ctx, item.product_id);
    if (!entry) return UnknownProduct(item.product_id);
    if (item.unit_price_cents && *item.unit_price_cents != entry->unit_price_cents) {
      return StepResult::Terminal(kPriceMismatch, "product '" + item.product_id + "': the order says " +
                                                      std::to_string(*item.unit_price_cents) +
                                                      " cents, the catalog " +
                                                      std::to_string(entry->unit_price_cents) + " cents");
    }
    int64_t line = 0;
    if (__builtin_mul_overflow(static_cast<int64_t>(item.quantity), entry->unit_price_cents, &line) ||
        __builtin_add_overflow(total, line, &total)) {
      return StepResult::Terminal(kTotalOverflow, "the order's total does not fit in 64 bits");
    }
  }
  ctx.outputs[kOutputTotalCents] = std::to_string(total);
  return StepResult::Ok();
}

}  // namespace om::node
