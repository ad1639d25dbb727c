#include "config/catalog_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace om::config {
namespace {

constexpr size_t kMaxIdLength = 256;

bool IsCurrency(const std::string& c) {
  if (c.size() != 3) return false;
  for (char ch : c) {
    if (ch < 'A' || ch > 'Z') return false;
  }
  return true;
}

std::string Where(const std::string& source, const toml::source_region& at) {
  return source + ":" + std::to_string(at.begin.line);
}

// Reads one [[products]] table into entry, or says what is wrong with it.
std::string ReadProduct(const toml::table& t, const std::string& default_currency, proto::CatalogEntry* entry) {
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    if (k == "id" || k == "name" || k == "currency") {
      if (!node.is_string()) return "'" + std::string(k) + "' must be a string";
    } else if (k == "unit_price_cents" || k == "stock") {
      if (!node.is_integer()) return "'" + std::string(k) + "' must be an integer";
    } else {
      return "unknown key '" + std::string(k) + "' (known: id, name, unit_price_cents, stock, currency)";
    }
  }
  if (!t.contains("id")) return "'id' is missing";
  if (!t.contains("unit_price_cents")) return "'unit_price_cents' is missing";
  if (!t.contains("stock")) return "'stock' is missing";
  entry->product_id = t["id"].value_or(std::string());
  entry->name = t["name"].value_or(std::string());
  entry->unit_price_cents = t["unit_price_cents"].value_or(int64_t{0});
  entry->stock = t["stock"].value_or(int64_t{0});
  entry->currency = t["currency"].value_or(default_currency);
  return InvalidCatalogEntry(*entry);
}

}  // namespace

std::string InvalidCatalogEntry(const proto::CatalogEntry& e) {
  const std::string who = "product '" + e.product_id + "': ";
  if (e.product_id.empty() || e.product_id.size() > kMaxIdLength) return "product id must be 1..256 bytes";
  if (e.unit_price_cents < 0) return who + "unit_price_cents must be >= 0";
  if (e.stock < 0) return who + "stock must be >= 0";
  if (!IsCurrency(e.currency)) return who + "currency must be three upper-case letters (ISO 4217), got '" + e.currency + "'";
  if (e.name.size() > 1024) return who + "name must be at most 1024 bytes";
  return "";
}

Result<std::vector<proto::CatalogEntry>> ParseCatalog(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(Where(source, e.source()) + ": " + std::string(e.description()));
  }
  std::string currency = "USD";
  for (const auto& [key, node] : root) {
    if (key.str() == "currency") {
      if (!node.is_string()) return Status::InvalidArgument(Where(source, node.source()) + ": 'currency' must be a string");
      currency = node.as_string()->get();
      if (!IsCurrency(currency)) {
        return Status::InvalidArgument(Where(source, node.source()) + ": currency must be three upper-case letters");
      }
    } else if (key.str() != "products") {
      return Status::InvalidArgument(Where(source, node.source()) + ": unknown key '" + std::string(key.str()) +
                                     "' (known: currency, [[products]])");
    }
  }
  std::vector<proto::CatalogEntry> out;
  const toml::node* products = root.get("products");
  if (products == nullptr) return out;
  const toml::array* array = products->as_array();
  if (array == nullptr) return Status::InvalidArgument(Where(source, products->source()) + ": 'products' must be [[products]] tables");
  std::set<std::string> seen;
  for (const toml::node& node : *array) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return Status::InvalidArgument(Where(source, node.source()) + ": each product must be a table");
    proto::CatalogEntry entry;
    if (std::string why = ReadProduct(*t, currency, &entry); !why.empty()) {
      return Status::InvalidArgument(Where(source, node.source()) + ": " + why);
    }
    if (!seen.insert(entry.product_id).second) {
      return Status::InvalidArgument(Where(source, node.source()) + ": product '" + entry.product_id + "' listed twice");
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<proto::CatalogEntry>> LoadCatalogFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read catalog file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCatalog(text.str(), path);
}

}  // namespace om::config
