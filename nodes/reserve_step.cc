#include "nodes/reserve_step.h"

#include <map>

#include "nodes/validate_step.h"

namespace om::node {

StepResult ReserveStep::Run(OrderContext& ctx) {
  std::map<std::string, int64_t> wanted;  // product id -> units; at most 10,000 items of 2^32 each: no overflow
  for (const auto& item : ctx.order.items) wanted[item.product_id] += item.quantity;
  for (const auto& [product, units] : wanted) {
    const proto::CatalogEntry* entry = FindEntry(ctx, product);
    if (entry && entry->stock < units) {
      return StepResult::Terminal(kInsufficientStock, "product '" + product + "': " + std::to_string(units) +
                                                          " wanted, " + std::to_string(entry->stock) + " in stock");
    }
  }
  for (const auto& [product, units] : wanted) ctx.effects.push_back({proto::kEffectReserve, product, units});
  return StepResult::Ok();
}

}  // namespace om::node
