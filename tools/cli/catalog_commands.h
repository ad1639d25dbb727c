// `ordermesh catalog list|set|import`: the broker's products and stock.
//
//   list [ID...]       every product (or the named ones): price, currency, stock
//   set ID [--name N] [--price CENTS] [--stock UNITS] [--currency XXX]
//                      changes the named fields of a product (a new product
//                      needs --price and --stock); stock is set, not added
//   import FILE        every product of a catalog file (config/catalog.toml's
//                      format), created or replaced in one atomic request
//
// Every change is a catalog.updated event. JSON (--json): {"products": [...]}
// with protocol/json.h's CatalogEntry fields. Main thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/cli/commands.h"

namespace om::cli {

struct CatalogSetArgs {
  std::string product_id;
  std::optional<std::string> name;
  std::optional<int64_t> price_cents;
  std::optional<int64_t> stock;
  std::optional<std::string> currency;
};

// The entry `set` sends: current (if the product exists) with the given
// fields replaced. InvalidArgument, naming the flag, for a new product
// without --price/--stock or for an invalid result.
[[nodiscard]] Result<proto::CatalogEntry> MergeCatalogEdit(const std::optional<proto::CatalogEntry>& current,
                                                           const CatalogSetArgs& args);

Status RunCatalogList(Context& ctx, const std::vector<std::string>& product_ids);
Status RunCatalogSet(Context& ctx, const CatalogSetArgs& args);
Status RunCatalogImport(Context& ctx, const std::string& path);

}  // namespace om::cli
