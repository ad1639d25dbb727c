#include "tools/cli/catalog_commands.h"

#include "config/catalog_file.h"
#include "protocol/json.h"
#include "tools/cli/ask.h"
#include "tools/cli/render.h"

namespace om::cli {
namespace {

void PrintCatalog(Context& ctx, const std::vector<proto::CatalogEntry>& entries) {
  if (ctx.json) {
    nlohmann::json products = nlohmann::json::array();
    for (const auto& e : entries) products.push_back(proto::ToJson(e));
    PrintJson(ctx, {{"products", std::move(products)}});
  } else {
    *ctx.out << CatalogText(entries);
  }
}

}  // namespace

Result<proto::CatalogEntry> MergeCatalogEdit(const std::optional<proto::CatalogEntry>& current,
                                             const CatalogSetArgs& args) {
  proto::CatalogEntry e;
  if (current) {
    e = *current;
  } else {
    if (!args.price_cents) return Status::InvalidArgument("product " + args.product_id + " is new: give --price");
    if (!args.stock) return Status::InvalidArgument("product " + args.product_id + " is new: give --stock");
    e.product_id = args.product_id;
    e.currency = "USD";
  }
  if (args.name) e.name = *args.name;
  if (args.price_cents) e.unit_price_cents = *args.price_cents;
  if (args.stock) e.stock = *args.stock;
  if (args.currency) e.currency = *args.currency;
  if (std::string why = config::InvalidCatalogEntry(e); !why.empty()) return Status::InvalidArgument(why);
  return e;
}

Status RunCatalogList(Context& ctx, const std::vector<std::string>& product_ids) {
  auto reply = Ask<proto::Catalog>(ctx, proto::CatalogList{product_ids});
  if (!reply.ok()) return reply.status();
  if (!product_ids.empty() && reply->entries.size() < product_ids.size()) {
    PrintCatalog(ctx, reply->entries);
    return Status::NotFound("not in the catalog: " + std::to_string(product_ids.size() - reply->entries.size()) +
                            " of the products named");
  }
  PrintCatalog(ctx, reply->entries);
  return Status::Ok();
}

Status RunCatalogSet(Context& ctx, const CatalogSetArgs& args) {
  auto current = Ask<proto::Catalog>(ctx, proto::CatalogList{{args.product_id}});
  if (!current.ok()) return current.status();
  std::optional<proto::CatalogEntry> existing;
  if (!current->entries.empty()) existing = current->entries[0];
  auto entry = MergeCatalogEdit(existing, args);
  if (!entry.ok()) return entry.status();
  auto reply = Ask<proto::Catalog>(ctx, proto::CatalogSet{{*entry}});
  if (!reply.ok()) return reply.status();
  PrintCatalog(ctx, reply->entries);
  return Status::Ok();
}

Status RunCatalogImport(Context& ctx, const std::string& path) {
  auto entries = config::LoadCatalogFile(path);
  if (!entries.ok()) return Status::InvalidArgument(entries.status().message());
  if (entries->empty()) return Status::InvalidArgument(path + " lists no [[products]]");
  auto reply = Ask<proto::Catalog>(ctx, proto::CatalogSet{*entries});
  if (!reply.ok()) return reply.status();
  PrintCatalog(ctx, reply->entries);
  return Status::Ok();
}

}  // namespace om::cli
