#include "config/catalog_file.h"

#include <gtest/gtest.h>

namespace om::config {
namespace {

TEST(CatalogFile, ReadsProductsWithTheFileCurrencyAsDefault) {
  auto c = ParseCatalog(R"(
currency = "EUR"
[[products]]
id = "sku-1"
name = "Beans"
unit_price_cents = 1999
stock = 10
[[products]]
id = "sku-2"
unit_price_cents = 0
stock = 0
currency = "USD"
)", "t.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].product_id, "sku-1");
  EXPECT_EQ((*c)[0].name, "Beans");
  EXPECT_EQ((*c)[0].unit_price_cents, 1999);
  EXPECT_EQ((*c)[0].stock, 10);
  EXPECT_EQ((*c)[0].currency, "EUR");
  EXPECT_EQ((*c)[1].currency, "USD");
  EXPECT_EQ((*c)[1].name, "");
}

TEST(CatalogFile, EmptyFileIsAnEmptyCatalogInUsd) {
  auto c = ParseCatalog("", "t.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
}

TEST(CatalogFile, ErrorsNameTheFileLineAndKey) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : {
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = 1\nstock = 1\ncolour = \"red\"\n", "unknown key 'colour'"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = \"1\"\nstock = 1\n", "'unit_price_cents' must be an integer"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = 1\n", "'stock' is missing"},
           Case{"[[products]]\nunit_price_cents = 1\nstock = 1\n", "'id' is missing"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = -1\nstock = 1\n", "unit_price_cents must be >= 0"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = 1\nstock = -5\n", "stock must be >= 0"},
           Case{"[[products]]\nid = \"\"\nunit_price_cents = 1\nstock = 1\n", "product id must be 1..256 bytes"},
           Case{"currency = \"usd\"\n", "three upper-case letters"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = 1\nstock = 1\ncurrency = \"DOLLARS\"\n", "ISO 4217"},
           Case{"[[products]]\nid = \"a\"\nunit_price_cents = 1\nstock = 1\n[[products]]\nid = \"a\"\nunit_price_cents = 2\nstock = 1\n",
                "'a' listed twice"},
           Case{"shop = 1\n", "unknown key 'shop'"},
           Case{"products = 3\n", "must be [[products]] tables"},
           Case{"[[products]\n", "t.toml:1"},
       }) {
    auto r = ParseCatalog(c.text, "t.toml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("t.toml"), std::string::npos) << r.status().message();
  }
}

TEST(CatalogFile, ShippedSampleCatalogLoads) {
  auto c = LoadCatalogFile(std::string(ORDERMESH_SOURCE_DIR) + "/config/catalog.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GE(c->size(), 3u);
  for (const auto& e : *c) EXPECT_EQ(InvalidCatalogEntry(e), "") << e.product_id;
}

TEST(CatalogFile, MissingFileIsNotFound) {
  EXPECT_EQ(LoadCatalogFile("/nonexistent/catalog.toml").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace om::config
