// Unit tests of the admin CLI's pure parts: tables, argument parsing,
// rendering and exit codes. The commands themselves are exercised against a
// real broker by hand and by tests/.
#include <gtest/gtest.h>

#include "tools/cli/catalog_commands.h"
#include "tools/cli/commands.h"
#include "tools/cli/parse.h"
#include "tools/cli/render.h"
#include "tools/cli/table.h"

namespace om::cli {
namespace {

constexpr int64_t kT0 = 1'763'786'118'123'456;  // 2025-11-22T04:35:18.123456Z

// ---------------------------------------------------------------- Table

TEST(Table, AlignsEachColumnToItsWidestCell) {
  Table t({{"ID"}, {"NAME"}});
  t.AddRow({"1", "alpha"});
  t.AddRow({"200", "b"});
  EXPECT_EQ(t.Render(),
            "ID   NAME\n"
            "1    alpha\n"
            "200  b\n");
}

TEST(Table, RightAlignsNumericColumns) {
  Table t({{"NAME"}, {"COUNT", Align::kRight}});
  t.AddRow({"a", "5"});
  t.AddRow({"b", "12345"});
  EXPECT_EQ(t.Render(),
            "NAME  COUNT\n"
            "a         5\n"
            "b     12345\n");
}

TEST(Table, PrintsNoHeaderLineWhenEveryHeaderIsEmpty) {
  Table t({{""}, {""}});
  t.AddRow({"status", "PENDING"});
  t.AddRow({"customer id", "c1"});
  EXPECT_EQ(t.Render(),
            "status       PENDING\n"
            "customer id  c1\n");
}

TEST(Table, LeavesNoTrailingSpacesAfterEmptyLastCells) {
  Table t({{"A"}, {"B"}});
  t.AddRow({"x"});  // missing cell: empty
  t.AddRow({"y", "long"});
  EXPECT_EQ(t.Render(),
            "A  B\n"
            "x\n"
            "y  long\n");
}

TEST(Table, DropsCellsBeyondTheColumns) {
  Table t({{"A"}});
  t.AddRow({"x", "extra"});
  EXPECT_EQ(t.Render(), "A\nx\n");
}

TEST(Table, EscapesControlCharactersSoARowStaysOneLine) {
  Table t({{"REASON"}});
  t.AddRow({"line1\nline2\t\x01"});
  EXPECT_EQ(t.Render(), "REASON\nline1\\nline2\\t\\x01\n");
}

TEST(Table, CountsUtf8CodePointsNotBytesForWidth) {
  EXPECT_EQ(DisplayWidth("caf\xc3\xa9"), 4u);  // café
  Table t({{"NAME"}, {"N"}});
  t.AddRow({"caf\xc3\xa9", "1"});
  EXPECT_EQ(t.Render(), "NAME  N\ncaf\xc3\xa9  1\n");
}

// ---------------------------------------------------------------- ParseItem

TEST(ParseItem, ReadsProductAndQuantity) {
  auto item = ParseItem("sku-1:2");
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  EXPECT_EQ(item->product_id, "sku-1");
  EXPECT_EQ(item->quantity, 2u);
  EXPECT_FALSE(item->unit_price_cents.has_value());
}

TEST(ParseItem, ReadsAnOptionalPriceInCents) {
  auto item = ParseItem("sku-1:3:1999");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->quantity, 3u);
  EXPECT_EQ(item->unit_price_cents, 1999);
}

TEST(ParseItem, RejectsWhatIsNotProductColonQuantity) {
  for (const char* bad : {"sku-1", ":2", "sku-1:", "sku-1:two", "sku-1:-1", "sku-1:2:", "sku-1:2:1.5", "a:1:2:3",
                          "sku-1: 2", "sku-1:99999999999"}) {
    auto item = ParseItem(bad);
    ASSERT_FALSE(item.ok()) << bad;
    EXPECT_EQ(item.status().code(), Code::kInvalidArgument);
    EXPECT_NE(item.status().message().find("PRODUCT:QTY[:PRICE_CENTS]"), std::string::npos) << bad;
  }
}

TEST(ParseItem, LeavesQuantityRangeToTheOrderValidator) {
  auto item = ParseItem("sku-1:0");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->quantity, 0u);
}

// ---------------------------------------------------------------- ParseTime

TEST(ParseTime, ReadsRfc3339InUtc) {
  EXPECT_EQ(ParseTime("2025-11-22T04:35:18Z").value(), 1'763'786'118'000'000);
  EXPECT_EQ(ParseTime("1970-01-01T00:00:00Z").value(), 0);
}

TEST(ParseTime, ReadsFractionsToTheMicrosecond) {
  EXPECT_EQ(ParseTime("2025-11-22T04:35:18.123456Z").value(), kT0);
  EXPECT_EQ(ParseTime("2025-11-22T04:35:18.5Z").value(), 1'763'786'118'500'000);
  EXPECT_EQ(ParseTime("2025-11-22T04:35:18.1234569Z").value(), kT0);  // digits past µs dropped
}

TEST(ParseTime, AppliesNumericOffsets) {
  EXPECT_EQ(ParseTime("2025-11-22T06:35:18+02:00").value(), 1'763'786'118'000'000);
  EXPECT_EQ(ParseTime("2025-11-21T23:05:18-05:30").value(), 1'763'786'118'000'000);
}

TEST(ParseTime, AcceptsLowerCaseAndASpaceSeparator) {
  EXPECT_EQ(ParseTime("2025-11-22t04:35:18z").value(), 1'763'786'118'000'000);
  EXPECT_EQ(ParseTime("2025-11-22 04:35:18Z").value(), 1'763'786'118'000'000);
}

TEST(ParseTime, ReadsABareDateAsMidnightUtc) {
  EXPECT_EQ(ParseTime("2025-11-22").value(), 1'763'769'600'000'000);
}

TEST(ParseTime, ReadsUnixSeconds) {
  EXPECT_EQ(ParseTime("1763786118").value(), 1'763'786'118'000'000);
  EXPECT_EQ(ParseTime("1763786118.123456").value(), kT0);
  EXPECT_EQ(ParseTime("0").value(), 0);
}

TEST(ParseTime, KnowsLeapYears) {
  EXPECT_TRUE(ParseTime("2024-02-29").ok());
  EXPECT_FALSE(ParseTime("2025-02-29").ok());
}

TEST(ParseTime, RejectsMalformedOrImpossibleTimes) {
  for (const char* bad : {"", "yesterday", "2025-11-22T04:35:18", "2025-13-01", "2025-11-31", "2025-11-22T24:00:00Z",
                          "2025-11-22T04:60:00Z", "2025-11-22T04:35Z", "2025-11-22T04:35:18+0200", "1969-12-31",
                          "17637861x8", "1763786118.", "99999999999999", "2025-11-22T04:35:18Z junk"}) {
    auto t = ParseTime(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(ParseTime, SaysAZoneIsNeededWhenItIsMissing) {
  auto t = ParseTime("2025-11-22T04:35:18");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("needs a zone"), std::string::npos);
}

// ---------------------------------------------------------------- OrderFromFlags

SubmitFlags ValidFlags() {
  SubmitFlags f;
  f.customer = "c1";
  f.items = {"sku-1:2:1999", "sku-2:1"};
  return f;
}

TEST(OrderFromFlags, BuildsTheOrderTheFlagsDescribe) {
  SubmitFlags f = ValidFlags();
  f.currency = "EUR";
  f.metadata_json = R"({"z":1,"a":{"b":true}})";
  std::vector<proto::FieldError> errors;
  auto order = OrderFromFlags(f, proto::OrderLimits{}, &errors);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(order->customer_id, "c1");
  ASSERT_EQ(order->items.size(), 2u);
  EXPECT_EQ(order->items[0].unit_price_cents, 1999);
  EXPECT_FALSE(order->items[1].unit_price_cents.has_value());
  EXPECT_EQ(order->currency, "EUR");
  EXPECT_EQ(order->metadata_json, R"({"z":1,"a":{"b":true}})");  // key order kept
}

TEST(OrderFromFlags, ReportsEachBadItemByItsJsonPath) {
  SubmitFlags f = ValidFlags();
  f.items = {"ok:1", "bad", "also-bad:x"};
  std::vector<proto::FieldError> errors;
  auto order = OrderFromFlags(f, proto::OrderLimits{}, &errors);
  ASSERT_FALSE(order.ok());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "items[1]");
  EXPECT_EQ(errors[1].path, "items[2]");
}

TEST(OrderFromFlags, ReportsEveryProblemAtOnceInFlagOrder) {
  SubmitFlags f;
  f.customer = "";
  f.items = {"sku-1:0", "bad", "sku-3:1"};
  f.currency = "us";
  f.metadata_json = "{bad";
  std::vector<proto::FieldError> errors;
  auto order = OrderFromFlags(f, proto::OrderLimits{}, &errors);
  ASSERT_FALSE(order.ok());
  std::vector<std::string> paths;
  for (const auto& e : errors) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"customer_id", "items[0].quantity", "items[1]", "currency", "metadata"}));
  EXPECT_NE(order.status().message().find("5 problems"), std::string::npos) << order.status().message();
}

TEST(OrderFromFlags, ChecksRangesLikeTheGateway) {
  SubmitFlags f = ValidFlags();
  f.items = {"sku-1:0", "sku-2:1001"};
  f.currency = "usd";
  std::vector<proto::FieldError> errors;
  auto order = OrderFromFlags(f, proto::OrderLimits{}, &errors);
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].path, "items[0].quantity");
  EXPECT_EQ(errors[1].path, "items[1].quantity");
  EXPECT_EQ(errors[2].path, "currency");
}

TEST(OrderFromFlags, RejectsMetadataThatIsNotAJsonObject) {
  SubmitFlags f = ValidFlags();
  f.metadata_json = "{not json";
  std::vector<proto::FieldError> errors;
  EXPECT_FALSE(OrderFromFlags(f, proto::OrderLimits{}, &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "metadata");

  f.metadata_json = "[1,2]";
  EXPECT_FALSE(OrderFromFlags(f, proto::OrderLimits{}, &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "metadata");
}

TEST(OrderFromFlags, RequiresAtLeastOneItem) {
  SubmitFlags f = ValidFlags();
  f.items.clear();
  std::vector<proto::FieldError> errors;
  EXPECT_FALSE(OrderFromFlags(f, proto::OrderLimits{}, &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "items");
}

// ---------------------------------------------------------------- DlqFilterFrom

DlqSelection Select(std::string order_id, std::string reason = "", bool all = false) {
  DlqSelection s;
  s.order_id = std::move(order_id);
  s.reason = std::move(reason);
  s.all = all;
  return s;
}

DlqSelection Between(std::string since, std::string until) {
  DlqSelection s;
  s.since = std::move(since);
  s.until = std::move(until);
  return s;
}

TEST(DlqFilterFrom, RefusesAnActionWithoutASelector) {
  auto f = DlqFilterFrom(DlqSelection{}, /*require_selector=*/true);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Code::kInvalidArgument);
}

TEST(DlqFilterFrom, AcceptsExactlyOneKindOfSelector) {
  EXPECT_EQ(DlqFilterFrom(Select("o1"), true).value().order_id, "o1");
  EXPECT_EQ(DlqFilterFrom(Select("", "node_lost"), true).value().reason, "node_lost");
  EXPECT_EQ(DlqFilterFrom(Between("2025-11-22", ""), true).value().from_us, 1'763'769'600'000'000);
  auto all = DlqFilterFrom(Select("", "", true), true);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->order_id.empty() && all->reason.empty() && all->from_us == 0 && all->to_us == 0);

  EXPECT_FALSE(DlqFilterFrom(Select("o1", "x"), true).ok());
  EXPECT_FALSE(DlqFilterFrom(Select("", "x", true), true).ok());
  EXPECT_FALSE(DlqFilterFrom(Select("o1", "", true), true).ok());
}

TEST(DlqFilterFrom, TurnsSinceAndUntilIntoATimeRange) {
  auto f = DlqFilterFrom(Between("2025-11-22", "1763786118"), true);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->from_us, 1'763'769'600'000'000);
  EXPECT_EQ(f->to_us, 1'763'786'118'000'000);
}

TEST(DlqFilterFrom, RejectsAnEmptyOrBadTimeRange) {
  EXPECT_FALSE(DlqFilterFrom(Between("2025-11-23", "2025-11-22"), true).ok());
  auto bad = DlqFilterFrom(Between("soon", ""), true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("--since: ", 0), 0u);
}

TEST(DlqFilterFrom, ListsEverythingWhenNothingIsSelected) {
  auto f = DlqFilterFrom(DlqSelection{}, /*require_selector=*/false);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->reason.empty());
}

TEST(AsOf, LeavesOutWhatIsDeadLetteredAfterTheCommandStarts) {
  proto::DlqFilter all;
  EXPECT_EQ(AsOf(all, kT0).to_us, kT0);
  proto::DlqFilter until_earlier;
  until_earlier.to_us = kT0 - 5;
  EXPECT_EQ(AsOf(until_earlier, kT0).to_us, kT0 - 5);
  proto::DlqFilter until_later;
  until_later.to_us = kT0 + 5;
  EXPECT_EQ(AsOf(until_later, kT0).to_us, kT0);
}

TEST(AsOf, LeavesASingleOrderAlone) {
  proto::DlqFilter one;
  one.order_id = "o1";
  EXPECT_EQ(AsOf(one, kT0).to_us, 0);
}

// ---------------------------------------------------------------- rendering

TEST(Render, FormatsCentsAsMoney) {
  EXPECT_EQ(FormatCents(1999), "19.99");
  EXPECT_EQ(FormatCents(5), "0.05");
  EXPECT_EQ(FormatCents(0), "0.00");
  EXPECT_EQ(FormatCents(-250), "-2.50");
  EXPECT_EQ(FormatCents(INT64_MIN), "-92233720368547758.08");
}

TEST(Render, FormatsAgesInTheCoarsestUsefulUnit) {
  EXPECT_EQ(FormatAge(850'000), "850ms");
  EXPECT_EQ(FormatAge(4'250'000), "4.2s");
  EXPECT_EQ(FormatAge(187'000'000), "3m07s");
  EXPECT_EQ(FormatAge(7'500'000'000), "2h05m");
  EXPECT_EQ(FormatAge(273'600'000'000), "3d04h");
  EXPECT_EQ(FormatAge(-5'000'000), "0ms");  // clock skew
}

TEST(Render, FormatsNodeDurations) {
  EXPECT_EQ(FormatDuration(850), "850us");
  EXPECT_EQ(FormatDuration(12'345), "12.3ms");
  EXPECT_EQ(FormatDuration(1'250'000), "1.25s");
}

TEST(Render, ShortensTimesToTheMillisecond) { EXPECT_EQ(ShortTime(kT0), "2025-11-22T04:35:18.123Z"); }

TEST(Render, MarksAnIdempotentRepeat) {
  EXPECT_EQ(AcceptedText({"o1", false}), "o1\n");
  EXPECT_EQ(AcceptedText({"o1", true}), "o1 (duplicate)\n");
  EXPECT_EQ(AcceptedJson({"o1", true}), (nlohmann::json{{"order_id", "o1"}, {"duplicate", true}}));
}

proto::OrderRecord SampleOrder() {
  proto::OrderRecord o;
  o.order_id = "0192f3b4-0000-7000-8000-000000000001";
  o.request.customer_id = "c1";
  o.request.currency = "USD";
  o.request.items = {{"sku-1", 2, 1999}, {"sku-2", 1, 500}};
  o.status = proto::OrderStatus::kDeadLettered;
  o.reason = "retryable_error";
  o.attempts = 2;
  o.created_us = kT0;
  o.updated_us = kT0 + 1000;
  o.history = {{kT0, proto::OrderStatus::kPending, 0, "", "accepted"},
               {kT0 + 500, proto::OrderStatus::kDeadLettered, 2, "n1", "retryable_error"}};
  o.attempt_log = {{1, "n1", kT0 + 100, 1'500, proto::AttemptEnd::kRetryableError, "fail_if_marked", "test_failure",
                    "metadata asked\nfor it", {{"fail_if_marked", "retryable_error", "test_failure", "asked", 1'200}}}};
  return o;
}

TEST(Render, ShowsAnOrderAsSummaryAndTables) {
  const std::string text = OrderText(SampleOrder());
  EXPECT_NE(text.find("status    DEAD_LETTERED\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reason    retryable_error\n"), std::string::npos) << text;
  EXPECT_NE(text.find("total     44.98 USD\n"), std::string::npos) << text;
  EXPECT_NE(text.find("created   2025-11-22T04:35:18.123456Z\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sku-1      2       19.99   39.98\n"), std::string::npos) << text;
  EXPECT_NE(text.find("TIME                      STATUS         ATTEMPT  NODE  REASON\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fail_if_marked  test_failure: metadata asked\\nfor it\n"), std::string::npos) << text;
}

TEST(Render, ShowsEveryStepAndTheCatalogTotalWhenThePipelinePricedIt) {
  proto::OrderRecord o = SampleOrder();
  EXPECT_NE(OrderText(o).find("\nSteps\n"), std::string::npos);
  EXPECT_NE(OrderText(o).find("fail_if_marked  retryable_error     1.2ms  test_failure  asked\n"), std::string::npos)
      << OrderText(o);
  o.outputs = {{"total_cents", "4000"}, {"authorization_id", "auth-1"}};
  const std::string text = OrderText(o);
  EXPECT_NE(text.find("total             40.00 USD (priced from the catalog)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("authorization_id  auth-1\n"), std::string::npos) << text;
  o.attempt_log[0].steps.clear();
  EXPECT_EQ(OrderText(o).find("\nSteps\n"), std::string::npos);
}

TEST(Render, ShowsTheCatalogOneProductPerRow) {
  EXPECT_EQ(CatalogText({{"sku-1", "Beans", 1999, "USD", 12}, {"sku-22", "", 5, "EUR", 0}}),
            "PRODUCT  NAME   PRICE  CURRENCY  STOCK\n"
            "sku-1    Beans  19.99  USD          12\n"
            "sku-22           0.05  EUR           0\n");
  EXPECT_EQ(CatalogText({}), "(no products)\n");
}

TEST(CatalogSet, ChangesOnlyTheFieldsGiven) {
  CatalogSetArgs args;
  args.product_id = "sku-1";
  args.stock = 7;
  auto e = MergeCatalogEdit(proto::CatalogEntry{"sku-1", "Beans", 1999, "EUR", 100}, args);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->stock, 7);
  EXPECT_EQ(e->unit_price_cents, 1999);
  EXPECT_EQ(e->name, "Beans");
  EXPECT_EQ(e->currency, "EUR");
}

TEST(CatalogSet, ANewProductNeedsPriceAndStockAndValidFields) {
  CatalogSetArgs args;
  args.product_id = "sku-9";
  args.stock = 3;
  EXPECT_NE(MergeCatalogEdit(std::nullopt, args).status().message().find("--price"), std::string::npos);
  args.stock.reset();
  args.price_cents = 100;
  EXPECT_NE(MergeCatalogEdit(std::nullopt, args).status().message().find("--stock"), std::string::npos);
  args.stock = 3;
  auto e = MergeCatalogEdit(std::nullopt, args);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->currency, "USD");
  args.currency = "euro";
  EXPECT_EQ(MergeCatalogEdit(std::nullopt, args).status().code(), Code::kInvalidArgument);
}

TEST(Render, ShowsAnUnknownTotalWhenAnItemHasNoPrice) {
  proto::OrderRecord o = SampleOrder();
  o.request.items.push_back({"sku-3", 1, std::nullopt});
  EXPECT_NE(OrderText(o).find("total     unknown (an item has no price)\n"), std::string::npos);
}

TEST(Render, ListsOrdersOneRowEach) {
  const std::string text = OrderListText({SampleOrder()});
  EXPECT_EQ(text,
            "ORDER                                 STATUS         CUSTOMER  ITEMS  ATTEMPTS  UPDATED\n"
            "0192f3b4-0000-7000-8000-000000000001  DEAD_LETTERED  c1            2         2  2025-11-22T04:35:18.124Z\n");
  EXPECT_EQ(OrderListText({}), "(no orders)\n");
}

TEST(Render, WritesTheLastPageCursorAsNull) {
  auto last = OrderListJson({SampleOrder()}, "");
  EXPECT_TRUE(last["next_cursor"].is_null());
  EXPECT_EQ(last["orders"].size(), 1u);
  EXPECT_EQ(last["orders"][0]["status"], "DEAD_LETTERED");
  EXPECT_EQ(OrderListJson({}, "o9")["next_cursor"], "o9");
  EXPECT_TRUE(DeadLettersJson({}, "")["next_cursor"].is_null());
  EXPECT_TRUE(DeadLettersJson({}, "")["dead_letters"].is_array());
}

TEST(Render, ShowsNodesWithTheirHeartbeatAge) {
  proto::NodeInfo n{"node-a", "host1", 42, 16, 3, kT0, kT0 - 400'000, 1234};
  EXPECT_EQ(NodesText({n}, kT0),
            "NODE    HOST   PID  CREDIT  IN FLIGHT  COMPLETED  LAST HEARTBEAT\n"
            "node-a  host1   42      16          3       1234       400ms ago\n");
  EXPECT_EQ(NodesText({}, kT0), "(no nodes connected)\n");
  EXPECT_EQ(NodesJson({n})["nodes"][0]["node_id"], "node-a");
}

TEST(Render, ShowsStatsWithEveryStatusAndTheUptime) {
  proto::Stats s;
  s.orders_by_status = {0, 1, 2, 0, 1234, 0, 7};
  s.backlog = 1;
  s.max_backlog = 1000;
  s.started_us = kT0 - 187'000'000;
  const std::string text = StatsText(s, kT0);
  EXPECT_NE(text.find("PENDING           1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("PROCESSED      1234\n"), std::string::npos) << text;
  EXPECT_NE(text.find("DEAD_LETTERED     7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("backlog         1 of at most 1000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("uptime          3m07s"), std::string::npos) << text;
}

TEST(Render, ShowsADeadLetterWithItsAttempts) {
  proto::DeadLetter d{"0192f3b4-0000-7000-8000-000000000001", "retryable_error", kT0, 2, 0};
  const std::string text = DlqEntryText(d, SampleOrder());
  EXPECT_NE(text.find("reason         retryable_error\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Attempts\n#  NODE"), std::string::npos) << text;
  auto j = DlqEntryJson(d, SampleOrder());
  EXPECT_EQ(j["dead_letter"]["reason"], "retryable_error");
  EXPECT_EQ(j["order"]["order_id"], d.order_id);
}

TEST(Render, HintsAtTheNextPageOnlyWhenThereIsOne) {
  EXPECT_EQ(NextPageHint("ordermesh orders --status PENDING", "o9"),
            "next page: ordermesh orders --status PENDING --cursor o9\n");
  EXPECT_EQ(NextPageHint("ordermesh orders --status PENDING", ""), "");
}

// ---------------------------------------------------------------- exit codes

TEST(ExitCodeFor, MapsEachKindOfFailureToItsDocumentedCode) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(Status::Internal("x")), 1);
  EXPECT_EQ(ExitCodeFor(Status::ResourceExhausted("backlog full")), 1);
  EXPECT_EQ(ExitCodeFor(Status::Unavailable("draining")), 1);
  EXPECT_EQ(ExitCodeFor(Status::InvalidArgument("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::Timeout("x")), 3);
  EXPECT_EQ(ExitCodeFor(Status::NotFound("x")), 4);
}

}  // namespace
}  // namespace om::cli
