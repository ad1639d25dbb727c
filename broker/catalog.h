// Catalog: the broker's products and their stock, in memory.
//
// The store holds the same data (catalog family: the entries; ledger family:
// one stock counter per product); BrokerCore loads it at start and writes
// every change through the turn's StoreBatch, so memory is the newest state
// and the store catches up at each commit.
//
// PlanEffects is the ledger rule: every effect of one result applies, or
// none does, and no counter goes below zero. It only plans; the caller
// applies the plan (memory and batch) in the same turn, so two results in one
// turn see each other's reservations.
//
// Thread-safety: none; the broker loop owns it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "protocol/types.h"

namespace om::broker {

// What a result's effects would do to the ledger.
struct EffectPlan {
  std::string reason;  // "" when every effect applies; else insufficient_stock / unknown_effect / invalid_effect
  std::string detail;  // for people: which product, how many asked, how many left
  std::vector<std::pair<std::string, int64_t>> new_stock;  // product -> stock after the effects
  bool ok() const { return reason.empty(); }
};

class Catalog {
 public:
  // Creates or replaces an entry (stock included).
  void Put(const proto::CatalogEntry& entry) { entries_[entry.product_id] = entry; }
  void SetStock(const std::string& product_id, int64_t stock);
  const proto::CatalogEntry* Find(const std::string& product_id) const;
  size_t size() const { return entries_.size(); }

  // The entries of the order's products that are known, each once.
  std::vector<proto::CatalogEntry> EntriesFor(const proto::OrderRequest& order) const;
  // The named entries that are known (all of them when ids is empty), by id.
  std::vector<proto::CatalogEntry> List(const std::vector<std::string>& ids) const;

  [[nodiscard]] EffectPlan PlanEffects(const std::vector<proto::Effect>& effects) const;

 private:
  std::map<std::string, proto::CatalogEntry> entries_;
};

}  // namespace om::broker
