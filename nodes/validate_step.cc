#include "nodes/validate_step.h"

namespace om::node {

const proto::CatalogEntry* FindEntry(const OrderContext& ctx, const std::string& product_id) {
  auto it = ctx.catalog.find(product_id);
  return it == ctx.catalog.end() ? nullptr : &it->second;
}

StepResult UnknownProduct(const std::string& product_id) {
  return StepResult::Terminal(kUnknownProduct, "product '" + product_id + "' is not in the catalog");
}

StepResult ValidateStep::Run(OrderContext& ctx) {
  std::string currency = ctx.order.currency;
  for (const auto& item : ctx.order.items) {
    const proto::CatalogEntry* entry = FindEntry(ctx, item.product_id);
    if (!entry) return UnknownProduct(item.product_id);
    if (item.quantity < 1 || item.quantity > max_quantity_) {
      return StepResult::Terminal(kInvalidQuantity, "product '" + item.product_id + "': quantity " +
                                                        std::to_string(item.quantity) + " is outside 1.." +
                                                        std::to_string(max_quantity_));
    }
    if (currency.empty()) currency = entry->currency;
    if (entry->currency != currency) {
      return StepResult::Terminal(kCurrencyMismatch, "product '" + item.product_id + "' is priced in '" +
                                                         entry->currency + "', the order is in '" + currency + "'");
    }
  }
  ctx.order.currency = currency;
  ctx.outputs["currency"] = currency;
  return StepResult::Ok();
}

}  // namespace om::node
