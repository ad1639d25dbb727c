// The catalog file: the products a broker starts with (config/catalog.toml).
//
//   currency = "USD"            # every product's currency unless it says otherwise
//   [[products]]
//   id = "sku-1"                # 1..256 bytes, unique
//   name = "Espresso beans"     # optional
//   unit_price_cents = 1999     # >= 0
//   stock = 500                 # units on hand, >= 0
//   currency = "EUR"            # optional, three upper-case letters
//
// The broker loads it once, on its first start on a data directory; the
// admin CLI's `ordermesh catalog import FILE` reads the same format. Unknown
// keys, wrong types, out-of-range values and duplicate ids are errors that
// name the file, the product and the key. Pure functions: any thread.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "protocol/types.h"

namespace om::config {

[[nodiscard]] Result<std::vector<proto::CatalogEntry>> LoadCatalogFile(const std::string& path);
// The same, from TOML text; `source` names it in errors.
[[nodiscard]] Result<std::vector<proto::CatalogEntry>> ParseCatalog(const std::string& text, const std::string& source);
// The rules every entry obeys, wherever it comes from (file, CLI, front
// socket). "" when valid, else what is wrong, naming the product.
std::string InvalidCatalogEntry(const proto::CatalogEntry& entry);

}  // namespace om::config
