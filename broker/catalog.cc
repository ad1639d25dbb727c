#include "broker/catalog.h"

#include <algorithm>

namespace om::broker {

void Catalog::SetStock(const std::string& product_id, int64_t stock) {
  if (auto it = entries_.find(product_id); it != entries_.end()) it->second.stock = stock;
}

const proto::CatalogEntry* Catalog::Find(const std::string& product_id) const {
  auto it = entries_.find(product_id);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<proto::CatalogEntry> Catalog::EntriesFor(const proto::OrderRequest& order) const {
  std::vector<proto::CatalogEntry> out;
  if (entries_.empty()) return out;
  for (const proto::OrderItem& item : order.items) {
    const proto::CatalogEntry* e = Find(item.product_id);
    if (e == nullptr) continue;
    bool listed = std::any_of(out.begin(), out.end(), [&](const auto& x) { return x.product_id == e->product_id; });
    if (!listed) out.push_back(*e);
  }
  return out;
}

std::vector<proto::CatalogEntry> Catalog::List(const std::vector<std::string>& ids) const {
  std::vector<proto::CatalogEntry> out;
  if (ids.empty()) {
    for (const auto& [id, e] : entries_) out.push_back(e);
    return out;
  }
  for (const std::string& id : ids) {
    if (const proto::CatalogEntry* e = Find(id)) out.push_back(*e);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.product_id < b.product_id; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.product_id == b.product_id; }),
            out.end());
  return out;
}

EffectPlan Catalog::PlanEffects(const std::vector<proto::Effect>& effects) const {
  EffectPlan plan;
  std::map<std::string, int64_t> wanted;  // product -> units, summed over the result's effects
  for (const proto::Effect& e : effects) {
    if (e.kind != proto::kEffectReserve) {
      plan.reason = "unknown_effect";
      plan.detail = "effect kind '" + e.kind + "' is not known (known: reserve)";
      return plan;
    }
    int64_t& sum = wanted[e.key];
    if (e.amount <= 0 || __builtin_add_overflow(sum, e.amount, &sum)) {
      plan.reason = "invalid_effect";
      plan.detail = "reserve of " + std::to_string(e.amount) + " units of '" + e.key + "'";
      return plan;
    }
  }
  for (const auto& [product, units] : wanted) {
    const proto::CatalogEntry* entry = Find(product);
    int64_t have = entry ? entry->stock : 0;
    if (units > have) {
      plan.reason = "insufficient_stock";
      plan.detail = entry ? "product '" + product + "': " + std::to_string(units) + " wanted, " +
                                std::to_string(have) + " in stock"
                          : "product '" + product + "' is not in the catalog";
      plan.new_stock.clear();
      return plan;
    }
    plan.new_stock.emplace_back(product, have - units);
  }
  return plan;
}

}  // namespace om::broker
