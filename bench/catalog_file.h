// The catalog a --spawn run gives its broker when the node pipeline prices or
// reserves (steps validate, price, reserve): every product id the bench
// sends (sku-1..sku-N), at the unit price it sends, with stock no run can
// exhaust, so a business rule never turns a load test into FAILED orders.
// Written as the broker's catalog_file TOML (top-level currency, then one
// [[products]] table per product). Pure: text out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace om::bench {

inline constexpr int64_t kBenchStock = 1'000'000'000'000;  // a trillion units of each product

// TOML text for products sku-1..sku-products at price_cents each.
std::string CatalogToml(int products, int64_t price_cents, const std::string& currency);

// True when a node pipeline (comma-separated step names) has a step that
// needs the catalog: validate, price or reserve.
bool PipelineNeedsCatalog(const std::string& pipeline);

// The value of --pipeline in node flags ("--pipeline X" or "--pipeline=X"), "" if none.
std::string PipelineOf(const std::vector<std::string>& node_flags);

}  // namespace om::bench
