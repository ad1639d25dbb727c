// Tests of protocol/json.h: the order-body validator (one test per rule, with
// the exact path and a message that says what is wrong) and the JSON shapes
// every program prints.
#include "protocol/json.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

namespace om::proto {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------- helpers

// The outcome of one ParseOrderJson call.
struct Parsed {
  Result<OrderRequest> result;
  std::vector<FieldError> errors;
};

Parsed Parse(std::string_view body, const OrderLimits& limits = {}) {
  std::vector<FieldError> errors;
  auto result = ParseOrderJson(body, limits, &errors);
  return {std::move(result), std::move(errors)};
}

Parsed Parse(const std::string& body, const OrderLimits& limits = {}) { return Parse(std::string_view(body), limits); }
Parsed Parse(const json& body, const OrderLimits& limits = {}) { return Parse(body.dump(), limits); }

// A valid body to break one field of.
json ValidBody() {
  return {{"customer_id", "cust-1"}, {"items", {{{"product_id", "sku-1"}, {"quantity", 2}}}}};
}

::testing::AssertionResult Contains(const std::string& text, const std::string& fragment) {
  if (text.find(fragment) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << fragment << "\"";
}

std::string Describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) out += "\n  " + e.path + ": " + e.message;
  return out;
}

// Asserts that p failed with exactly one problem, at path, whose message
// contains every one of the fragments.
void ExpectOneProblem(const Parsed& p, const std::string& path, std::initializer_list<std::string> fragments) {
  ASSERT_FALSE(p.result.ok());
  EXPECT_EQ(p.result.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(p.errors.size(), 1u) << Describe(p.errors);
  EXPECT_EQ(p.errors[0].path, path);
  for (const std::string& f : fragments) EXPECT_TRUE(Contains(p.errors[0].message, f));
}

std::set<std::string> Keys(const json& j) {
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  return keys;
}

// ---------------------------------------------------------------- accepted bodies

TEST(ParseOrderJson, AcceptsMinimalOrderAndDefaultsCurrencyToUsd) {
  auto p = Parse(ValidBody());
  ASSERT_TRUE(p.result.ok()) << p.result.status().ToString();
  EXPECT_TRUE(p.errors.empty());
  EXPECT_EQ(p.result->customer_id, "cust-1");
  ASSERT_EQ(p.result->items.size(), 1u);
  EXPECT_EQ(p.result->items[0].product_id, "sku-1");
  EXPECT_EQ(p.result->items[0].quantity, 2u);
  EXPECT_FALSE(p.result->items[0].unit_price_cents.has_value());
  EXPECT_EQ(p.result->currency, "USD");
  EXPECT_EQ(p.result->metadata_json, "");
  EXPECT_EQ(p.result->idempotency_key, "");
  EXPECT_EQ(p.result->traceparent, "");
}

TEST(ParseOrderJson, AcceptsEveryOptionalField) {
  auto p = Parse(std::string_view(R"({"customer_id": "c", "currency": "EUR",
      "items": [{"product_id": "a", "quantity": 1, "unit_price_cents": 0},
                {"product_id": "b", "quantity": 3, "unit_price_cents": 1250}],
      "metadata": {"gift": true}})"));
  ASSERT_TRUE(p.result.ok()) << p.result.status().ToString();
  EXPECT_EQ(p.result->currency, "EUR");
  ASSERT_EQ(p.result->items.size(), 2u);
  EXPECT_EQ(p.result->items[0].unit_price_cents, 0);
  EXPECT_EQ(p.result->items[1].quantity, 3u);
  EXPECT_EQ(p.result->items[1].unit_price_cents, 1250);
  EXPECT_EQ(p.result->metadata_json, R"({"gift":true})");
}

TEST(ParseOrderJson, KeepsMetadataCompactAndInTheClientsKeyOrder) {
  auto p = Parse(std::string_view(
      R"({"customer_id":"c","items":[{"product_id":"a","quantity":1}],
          "metadata": { "zeta": [1, 2, {"x": null}], "alpha": "é", "mid": {"n": -1.5} }})"));
  ASSERT_TRUE(p.result.ok()) << p.result.status().ToString();
  EXPECT_EQ(p.result->metadata_json, R"({"zeta":[1,2,{"x":null}],"alpha":"é","mid":{"n":-1.5}})");
}

TEST(ParseOrderJson, NullErrorsPointerIsAllowed) {
  EXPECT_TRUE(ParseOrderJson(ValidBody().dump(), {}, nullptr).ok());
  auto r = ParseOrderJson("{}", {}, nullptr);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(ParseOrderJson, ClearsErrorsFromAnEarlierCall) {
  std::vector<FieldError> errors{{"stale", "left over"}};
  EXPECT_TRUE(ParseOrderJson(ValidBody().dump(), {}, &errors).ok());
  EXPECT_TRUE(errors.empty());
}

// ---------------------------------------------------------------- the body as a whole

TEST(ParseOrderJson, MalformedJsonNamesTheByteOffset) {
  // '}' is byte 16 (0-based).
  auto p = Parse(std::string_view(R"({"customer_id": })"));
  ExpectOneProblem(p, "", {"malformed JSON at byte 16: ", "unexpected '}'"});
}

TEST(ParseOrderJson, TruncatedBodyIsMalformedAtItsEnd) {
  std::string body = R"({"customer_id": "c")";
  ExpectOneProblem(Parse(std::string_view(body)), "",
                   {"malformed JSON at byte " + std::to_string(body.size()) + ":", "end of input"});
}

TEST(ParseOrderJson, EmptyBodyIsMalformed) {
  ExpectOneProblem(Parse(std::string_view("")), "", {"malformed JSON at byte 0:"});
}

TEST(ParseOrderJson, TrailingGarbageIsMalformed) {
  ExpectOneProblem(Parse(ValidBody().dump() + " x"), "", {"malformed JSON at byte", "expected end of input"});
}

TEST(ParseOrderJson, NumberOverflowIsMalformedWithAnOffset) {
  // The offset is that of the number's last byte: where the parser stopped.
  ExpectOneProblem(Parse(std::string_view(R"({"customer_id": 1e999})")), "",
                   {"malformed JSON at byte 20:", "number overflow"});
}

TEST(ParseOrderJson, InvalidUtf8IsMalformedAndTheMessageStaysAscii) {
  auto p = Parse(std::string_view("{\"customer_id\": \"\xff\xfe\"}"));
  ExpectOneProblem(p, "", {"malformed JSON at byte 17:"});
  for (char c : p.errors[0].message) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << p.errors[0].message;
  EXPECT_NO_THROW(json(p.errors[0].message).dump());
}

TEST(ParseOrderJson, RefusesDeepNestingInsteadOfOverflowingTheStack) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto p = Parse(R"({"customer_id":"c","items":[{"product_id":"a","quantity":1}],"metadata":{"x":)" + deep + "}}");
  ExpectOneProblem(p, "", {"nested deeper than 64 levels"});
}

TEST(ParseOrderJson, BodyThatIsNotAnObjectIsRejected) {
  ExpectOneProblem(Parse(std::string_view("[1, 2]")), "", {"expected a JSON object, got array"});
  ExpectOneProblem(Parse(std::string_view("\"order\"")), "", {"expected a JSON object, got string"});
}

TEST(ParseOrderJson, StatusCountsTheProblemsAndNamesTheFirst) {
  auto one = Parse(std::string_view(R"({"items": [{"product_id": "a", "quantity": 1}]})"));
  EXPECT_EQ(one.result.status().message(), "1 problem in the order: customer_id: missing required field");
  auto three = Parse(std::string_view(R"({"colour": 1})"));
  EXPECT_EQ(three.result.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(three.result.status().message(), "3 problems in the order, the first: colour: unknown field"));
}

TEST(ParseOrderJson, UnknownTopLevelFieldIsAnError) {
  json body = ValidBody();
  body["priority"] = "high";
  ExpectOneProblem(Parse(body), "priority", {"unknown field", "customer_id, items, currency, metadata"});
}

TEST(ParseOrderJson, ReportsEveryProblemAtOnceInDocumentOrder) {
  auto p = Parse(std::string_view(R"({
      "currency": "usd",
      "items": [
        {"product_id": "", "quantity": 1.5, "colour": "red"},
        {"product_id": "ok", "quantity": 1},
        "sku-3",
        {"unit_price_cents": -1}
      ],
      "extra": true,
      "metadata": []
    })"));
  ASSERT_FALSE(p.result.ok());
  std::vector<std::string> paths;
  for (const FieldError& e : p.errors) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"currency", "items[0].product_id", "items[0].quantity",
                                             "items[0].colour", "items[2]", "items[3].unit_price_cents",
                                             "items[3].product_id", "items[3].quantity", "extra", "metadata",
                                             "customer_id"}));
  EXPECT_TRUE(Contains(p.result.status().message(), "11 problems")) << Describe(p.errors);
}

// ---------------------------------------------------------------- customer_id

TEST(ParseOrderJson, MissingCustomerIdIsAnError) {
  json body = ValidBody();
  body.erase("customer_id");
  ExpectOneProblem(Parse(body), "customer_id", {"missing required field"});
}

TEST(ParseOrderJson, CustomerIdMustBeAString) {
  json body = ValidBody();
  body["customer_id"] = 42;
  ExpectOneProblem(Parse(body), "customer_id", {"expected a string, got number 42"});
}

TEST(ParseOrderJson, CustomerIdMustNotBeEmpty) {
  json body = ValidBody();
  body["customer_id"] = "";
  ExpectOneProblem(Parse(body), "customer_id", {"must not be empty"});
}

TEST(ParseOrderJson, CustomerIdMayBeExactlyTheMaximumLength) {
  OrderLimits limits;
  limits.max_id_length = 8;
  json body = ValidBody();
  body["customer_id"] = std::string(8, 'c');
  EXPECT_TRUE(Parse(body, limits).result.ok());
  body["customer_id"] = std::string(9, 'c');
  ExpectOneProblem(Parse(body, limits), "customer_id", {"at most 8 bytes", "got 9"});
}

// ---------------------------------------------------------------- items

TEST(ParseOrderJson, MissingItemsIsAnError) {
  json body = ValidBody();
  body.erase("items");
  ExpectOneProblem(Parse(body), "items", {"missing required field"});
}

TEST(ParseOrderJson, ItemsMustBeAnArray) {
  json body = ValidBody();
  body["items"] = {{"product_id", "a"}};
  ExpectOneProblem(Parse(body), "items", {"expected an array, got object"});
}

TEST(ParseOrderJson, ItemsMustNotBeEmpty) {
  json body = ValidBody();
  body["items"] = json::array();
  ExpectOneProblem(Parse(body), "items", {"at least 1 item"});
}

TEST(ParseOrderJson, ItemsMayNumberExactlyTheMaximum) {
  OrderLimits limits;
  limits.max_items = 3;
  json body = ValidBody();
  json item = body["items"][0];
  body["items"] = {item, item, item};
  auto ok = Parse(body, limits);
  ASSERT_TRUE(ok.result.ok()) << ok.result.status().ToString();
  EXPECT_EQ(ok.result->items.size(), 3u);
  body["items"].push_back(item);
  ExpectOneProblem(Parse(body, limits), "items", {"at most 3 items, got 4"});
}

TEST(ParseOrderJson, EachItemMustBeAnObject) {
  json body = ValidBody();
  body["items"].push_back("sku-2");
  ExpectOneProblem(Parse(body), "items[1]", {"expected an object, got string"});
}

TEST(ParseOrderJson, UnknownItemFieldIsAnError) {
  json body = ValidBody();
  body["items"][0]["colour"] = "red";
  ExpectOneProblem(Parse(body), "items[0].colour", {"unknown field", "product_id, quantity, unit_price_cents"});
}

TEST(ParseOrderJson, MissingProductIdIsAnError) {
  json body = ValidBody();
  body["items"][0].erase("product_id");
  ExpectOneProblem(Parse(body), "items[0].product_id", {"missing required field"});
}

TEST(ParseOrderJson, ProductIdMustBeAString) {
  json body = ValidBody();
  body["items"][0]["product_id"] = json::array();
  ExpectOneProblem(Parse(body), "items[0].product_id", {"expected a string, got array"});
}

TEST(ParseOrderJson, ProductIdMustNotBeEmpty) {
  json body = ValidBody();
  body["items"][0]["product_id"] = "";
  ExpectOneProblem(Parse(body), "items[0].product_id", {"must not be empty"});
}

TEST(ParseOrderJson, ProductIdMayBeExactlyTheMaximumLength) {
  OrderLimits limits;
  limits.max_id_length = 5;
  json body = ValidBody();
  body["customer_id"] = "c";
  body["items"][0]["product_id"] = "12345";
  EXPECT_TRUE(Parse(body, limits).result.ok());
  body["items"][0]["product_id"] = "123456";
  ExpectOneProblem(Parse(body, limits), "items[0].product_id", {"at most 5 bytes", "got 6"});
}

TEST(ParseOrderJson, MissingQuantityIsAnError) {
  json body = ValidBody();
  body["items"][0].erase("quantity");
  ExpectOneProblem(Parse(body), "items[0].quantity", {"missing required field"});
}

TEST(ParseOrderJson, FractionalQuantityIsAnError) {
  auto p = Parse(std::string_view(R"({"customer_id":"c","items":[{"product_id":"a","quantity":1.5}]})"));
  ExpectOneProblem(p, "items[0].quantity", {"expected an integer, got number 1.5"});
  p = Parse(std::string_view(R"({"customer_id":"c","items":[{"product_id":"a","quantity":2.0}]})"));
  ExpectOneProblem(p, "items[0].quantity", {"expected an integer, got number 2.0"});
}

TEST(ParseOrderJson, QuantityMustBeANumber) {
  json body = ValidBody();
  body["items"][0]["quantity"] = "2";
  ExpectOneProblem(Parse(body), "items[0].quantity", {"expected an integer, got string"});
  body["items"][0]["quantity"] = true;
  ExpectOneProblem(Parse(body), "items[0].quantity", {"expected an integer, got boolean true"});
  body["items"][0]["quantity"] = nullptr;
  ExpectOneProblem(Parse(body), "items[0].quantity", {"expected an integer, got null"});
}

TEST(ParseOrderJson, QuantityMustBeAtLeastOne) {
  json body = ValidBody();
  body["items"][0]["quantity"] = 0;
  ExpectOneProblem(Parse(body), "items[0].quantity", {"must be at least 1, got 0"});
  body["items"][0]["quantity"] = -3;
  ExpectOneProblem(Parse(body), "items[0].quantity", {"must be at least 1, got -3"});
  body["items"][0]["quantity"] = 1;
  EXPECT_TRUE(Parse(body).result.ok());
}

TEST(ParseOrderJson, QuantityMayBeExactlyTheMaximum) {
  OrderLimits limits;
  limits.max_quantity = 7;
  json body = ValidBody();
  body["items"][0]["quantity"] = 7;
  EXPECT_TRUE(Parse(body, limits).result.ok());
  body["items"][0]["quantity"] = 8;
  ExpectOneProblem(Parse(body, limits), "items[0].quantity", {"must be at most 7, got 8"});
  body["items"][0]["quantity"] = 18446744073709551615ull;  // does not wrap into range
  ExpectOneProblem(Parse(body, limits), "items[0].quantity", {"must be at most 7"});
}

TEST(ParseOrderJson, UnitPriceMayBeZeroButNotNegative) {
  json body = ValidBody();
  body["items"][0]["unit_price_cents"] = 0;
  EXPECT_TRUE(Parse(body).result.ok());
  body["items"][0]["unit_price_cents"] = -1;
  ExpectOneProblem(Parse(body), "items[0].unit_price_cents", {"must be at least 0, got -1"});
}

TEST(ParseOrderJson, UnitPriceMustBeAnIntegerNumberOfCents) {
  json body = ValidBody();
  body["items"][0]["unit_price_cents"] = 12.5;
  ExpectOneProblem(Parse(body), "items[0].unit_price_cents", {"expected an integer, got number 12.5"});
  body["items"][0]["unit_price_cents"] = nullptr;
  ExpectOneProblem(Parse(body), "items[0].unit_price_cents", {"expected an integer, got null"});
}

TEST(ParseOrderJson, UnitPriceMustFitInASignedSixtyFourBitInteger) {
  json body = ValidBody();
  body["items"][0]["unit_price_cents"] = 9223372036854775807ull;
  EXPECT_TRUE(Parse(body).result.ok());
  body["items"][0]["unit_price_cents"] = 9223372036854775808ull;
  ExpectOneProblem(Parse(body), "items[0].unit_price_cents", {"must be at most 9223372036854775807"});
}

// ---------------------------------------------------------------- currency

TEST(ParseOrderJson, CurrencyMustBeThreeUpperCaseLetters) {
  json body = ValidBody();
  for (const char* bad : {"usd", "US", "USDX", "U$D", ""}) {
    body["currency"] = bad;
    ExpectOneProblem(Parse(body), "currency", {"three upper-case letters", std::string("got \"") + bad + "\""});
  }
  body["currency"] = "JPY";
  auto ok = Parse(body);
  ASSERT_TRUE(ok.result.ok());
  EXPECT_EQ(ok.result->currency, "JPY");
}

TEST(ParseOrderJson, CurrencyMustBeAString) {
  json body = ValidBody();
  body["currency"] = 978;
  ExpectOneProblem(Parse(body), "currency", {"expected a string, got number 978"});
}

// ---------------------------------------------------------------- metadata

TEST(ParseOrderJson, MetadataMustBeAnObject) {
  json body = ValidBody();
  body["metadata"] = json::array({1});
  ExpectOneProblem(Parse(body), "metadata", {"expected an object, got array"});
  body["metadata"] = "gift";
  ExpectOneProblem(Parse(body), "metadata", {"expected an object, got string"});
}

TEST(ParseOrderJson, MetadataMayBeExactlyTheMaximumSize) {
  OrderLimits limits;
  limits.max_metadata_bytes = 64;
  json body = ValidBody();
  body["metadata"] = {{"k", std::string(64 - 8, 'x')}};  // {"k":"..."} is 8 bytes plus the value
  ASSERT_EQ(body["metadata"].dump().size(), 64u);
  auto ok = Parse(body, limits);
  ASSERT_TRUE(ok.result.ok()) << ok.result.status().ToString();
  EXPECT_EQ(ok.result->metadata_json.size(), 64u);
  body["metadata"] = {{"k", std::string(64 - 7, 'x')}};
  ExpectOneProblem(Parse(body, limits), "metadata", {"at most 64 bytes", "got 65"});
}

TEST(ParseOrderJson, MetadataSizeIsMeasuredCompact) {
  OrderLimits limits;
  limits.max_metadata_bytes = 10;
  std::string body = R"({"customer_id":"c","items":[{"product_id":"a","quantity":1}],
                         "metadata":   {   "k"  :   "vv"    }   })";
  auto p = Parse(std::string_view(body), limits);
  ASSERT_TRUE(p.result.ok()) << p.result.status().ToString();
  EXPECT_EQ(p.result->metadata_json, R"({"k":"vv"})");
}

TEST(ParseOrderJson, MetadataRoundTripsThroughTheOrderJson) {
  json metadata = {{"gift", true}, {"note", "leave at the door"}, {"tags", {"a", "b"}}, {"n", 3}};
  json body = ValidBody();
  body["metadata"] = metadata;
  auto p = Parse(body);
  ASSERT_TRUE(p.result.ok()) << p.result.status().ToString();
  OrderRecord record;
  record.request = *p.result;
  EXPECT_EQ(ToJson(record)["metadata"], metadata);
}

TEST(ParseOrderJson, NeverThrowsOnArbitraryInput) {
  std::mt19937 rng(7);
  const std::string alphabet = "{}[]\":,0123456789.-eE tfnrulasx\\\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string body(rng() % 40, ' ');
    for (char& c : body) c = alphabet[rng() % alphabet.size()];
    EXPECT_NO_THROW({ auto r = ParseOrderJson(body, {}, nullptr); (void)r; }) << body;
  }
}

// ---------------------------------------------------------------- shapes

TEST(FormatTime, WritesRfc3339UtcWithMicroseconds) {
  EXPECT_EQ(FormatTime(1795322118123456), "2026-11-22T04:35:18.123456Z");
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTime(1709251199999999), "2024-02-29T23:59:59.999999Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(FormatTime, ClampsInstantsOutsideFourDigitYears) {
  EXPECT_EQ(FormatTime(std::numeric_limits<int64_t>::max()), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTime(std::numeric_limits<int64_t>::min()), "0000-01-01T00:00:00.000000Z");
}

TEST(ToJson, OrderItemOmitsAnAbsentPrice) {
  EXPECT_EQ(ToJson(OrderItem{"sku-1", 2, 150}),
            json::parse(R"({"product_id":"sku-1","quantity":2,"unit_price_cents":150})"));
  EXPECT_EQ(ToJson(OrderItem{"sku-1", 2, std::nullopt}), json::parse(R"({"product_id":"sku-1","quantity":2})"));
}

TEST(ToJson, HistoryEntryOmitsEmptyNodeAndReason) {
  HistoryEntry full{1795322118123456, OrderStatus::kRetrying, 2, "node-a", "retryable_error"};
  EXPECT_EQ(ToJson(full), json::parse(R"({"status":"RETRYING","time":"2026-11-22T04:35:18.123456Z","attempt":2,
                                          "node_id":"node-a","reason":"retryable_error"})"));
  HistoryEntry bare{0, OrderStatus::kPending, 0, "", ""};
  EXPECT_EQ(Keys(ToJson(bare)), (std::set<std::string>{"status", "time", "attempt"}));
}

TEST(ToJson, AttemptRecordGivesMillisecondsAndOutcomeName) {
  AttemptRecord a{3, "node-b", 1795322118123456, 1234567, AttemptEnd::kTerminalError, "payment", "card_declined",
                  "the card was declined", {}};
  EXPECT_EQ(ToJson(a), json::parse(R"({"attempt":3,"node_id":"node-b","started_at":"2026-11-22T04:35:18.123456Z",
      "duration_ms":1234.567,"outcome":"terminal_error","step":"payment","error_code":"card_declined",
      "error_message":"the card was declined"})"));
  AttemptRecord running{1, "node-c", 0, 0, AttemptEnd::kInProgress, "", "", "", {}};
  json j = ToJson(running);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"attempt", "node_id", "started_at", "duration_ms", "outcome"}));
  EXPECT_EQ(j["outcome"], "in_progress");
  EXPECT_TRUE(j["duration_ms"].is_number_float());
}

OrderRecord SampleRecord() {
  OrderRecord r;
  r.order_id = "ord-1";
  r.request = {"cust-1", {{"a", 2, 150}, {"b", 3, 1000}}, "EUR", R"({"gift":true})", "idem-1", "00-trace-01"};
  r.status = OrderStatus::kRetrying;
  r.attempts = 2;
  r.redrives = 1;
  r.created_us = 1000000;
  r.updated_us = 2000000;
  r.next_attempt_us = 3000000;
  r.reason = "retryable_error";
  r.history = {{1000000, OrderStatus::kPending, 0, "", "accepted"}};
  r.attempt_log = {{1, "node-a", 1500000, 2500, AttemptEnd::kRetryableError, "", "", "", {}}};
  return r;
}

TEST(ToJson, OrderRecordHasEveryField) {
  json j = ToJson(SampleRecord());
  EXPECT_EQ(j, json::parse(R"({
      "order_id": "ord-1", "status": "RETRYING", "customer_id": "cust-1", "currency": "EUR",
      "items": [{"product_id": "a", "quantity": 2, "unit_price_cents": 150},
                {"product_id": "b", "quantity": 3, "unit_price_cents": 1000}],
      "total_cents": 3300, "metadata": {"gift": true}, "attempts": 2, "redrives": 1,
      "created_at": "1970-01-01T00:00:01.000000Z", "updated_at": "1970-01-01T00:00:02.000000Z",
      "next_attempt_at": "1970-01-01T00:00:03.000000Z", "reason": "retryable_error", "traceparent": "00-trace-01",
      "history": [{"status": "PENDING", "time": "1970-01-01T00:00:01.000000Z", "attempt": 0, "reason": "accepted"}],
      "attempt_log": [{"attempt": 1, "node_id": "node-a", "started_at": "1970-01-01T00:00:01.500000Z",
                       "duration_ms": 2.5, "outcome": "retryable_error"}]})"));
}

TEST(ToJson, OrderTotalIsNullUnlessEveryItemHasAPrice) {
  OrderRecord r = SampleRecord();
  r.request.items[1].unit_price_cents.reset();
  EXPECT_TRUE(ToJson(r)["total_cents"].is_null());
  r.request.items = {{"a", 4, 25}};
  EXPECT_EQ(ToJson(r)["total_cents"], 100);
}

TEST(ToJson, OrderTotalIsNullWhenItWouldOverflow) {
  OrderRecord r = SampleRecord();
  r.request.items = {{"a", 4, std::numeric_limits<int64_t>::max() / 2}};
  EXPECT_TRUE(ToJson(r)["total_cents"].is_null());
}

TEST(ToJson, OrderOmitsNextAttemptReasonAndTraceparentWhenNotApplicable) {
  OrderRecord r = SampleRecord();
  r.status = OrderStatus::kProcessing;
  r.reason.clear();
  r.request.traceparent.clear();
  json j = ToJson(r);
  EXPECT_FALSE(j.contains("next_attempt_at"));
  EXPECT_FALSE(j.contains("reason"));
  EXPECT_FALSE(j.contains("traceparent"));
  EXPECT_EQ(j["status"], "PROCESSING");
}

TEST(ToJson, OrderMetadataIsAnEmptyObjectWhenAbsentAndRawTextWhenNotAnObject) {
  OrderRecord r = SampleRecord();
  r.request.metadata_json = "";
  EXPECT_EQ(ToJson(r)["metadata"], json::object());
  r.request.metadata_json = "{not json";
  EXPECT_EQ(ToJson(r)["metadata"], "{not json");
  r.request.metadata_json = "[1,2]";
  EXPECT_EQ(ToJson(r)["metadata"], "[1,2]");
}

TEST(ToJson, EventHasTopicAndOmitsEmptyStrings) {
  Event e{42, 1795322118123456, "ord-9", OrderStatus::kDeadLettered, 5, "node-z", "max_attempts", "00-t-01", "", ""};
  EXPECT_EQ(ToJson(e), json::parse(R"({"seq":42,"time":"2026-11-22T04:35:18.123456Z","topic":"order.dead_lettered",
      "order_id":"ord-9","status":"DEAD_LETTERED","attempt":5,"node_id":"node-z","reason":"max_attempts",
      "traceparent":"00-t-01"})"));
  Event bare{1, 0, "ord-1", OrderStatus::kPending, 0, "", "", "", "", ""};
  EXPECT_EQ(Keys(ToJson(bare)), (std::set<std::string>{"seq", "time", "topic", "order_id", "status", "attempt"}));
}

TEST(ToJson, DeadLetterShape) {
  DeadLetter d{"ord-3", "node_lost", 1795322118123456, 4, 2};
  EXPECT_EQ(ToJson(d), json::parse(R"({"order_id":"ord-3","reason":"node_lost",
      "dead_lettered_at":"2026-11-22T04:35:18.123456Z","attempts":4,"redrives":2})"));
}

TEST(ToJson, NodeInfoShape) {
  NodeInfo n{"node-a", "host-1", 4242, 8, 3, 1000000, 2000000, 77};
  EXPECT_EQ(ToJson(n), json::parse(R"({"node_id":"node-a","host":"host-1","pid":4242,"credit":8,"in_flight":3,
      "connected_at":"1970-01-01T00:00:01.000000Z","last_heartbeat_at":"1970-01-01T00:00:02.000000Z",
      "completed":77})"));
}

TEST(ToJson, StatsNamesEveryStatusAndListsNodes) {
  Stats s;
  s.orders_by_status = {0, 1, 2, 3, 4, 5, 6};
  s.backlog = 4;
  s.in_flight = 2;
  s.accepted_total = 100;
  s.retries_total = 7;
  s.late_results_total = 1;
  s.bad_frames_total = 2;
  s.rejected_total = 3;
  s.last_event_seq = 999;
  s.started_us = 1000000;
  s.max_backlog = 5000;
  s.nodes = {NodeInfo{"node-a", "h", 1, 2, 0, 0, 0, 5}};
  json j = ToJson(s);
  EXPECT_EQ(j["orders_by_status"], json::parse(R"({"PENDING":1,"PROCESSING":2,"RETRYING":3,"PROCESSED":4,
      "FAILED":5,"DEAD_LETTERED":6})"));
  EXPECT_EQ(Keys(j), (std::set<std::string>{"orders_by_status", "backlog", "in_flight", "accepted_total",
                                            "retries_total", "late_results_total", "bad_frames_total",
                                            "rejected_total", "last_event_seq", "started_at", "max_backlog",
                                            "nodes"}));
  EXPECT_EQ(j["backlog"], 4);
  EXPECT_EQ(j["in_flight"], 2);
  EXPECT_EQ(j["accepted_total"], 100);
  EXPECT_EQ(j["retries_total"], 7);
  EXPECT_EQ(j["late_results_total"], 1);
  EXPECT_EQ(j["bad_frames_total"], 2);
  EXPECT_EQ(j["rejected_total"], 3);
  EXPECT_EQ(j["last_event_seq"], 999);
  EXPECT_EQ(j["started_at"], "1970-01-01T00:00:01.000000Z");
  EXPECT_EQ(j["max_backlog"], 5000);
  ASSERT_EQ(j["nodes"].size(), 1u);
  EXPECT_EQ(j["nodes"][0], ToJson(s.nodes[0]));
}

TEST(ToJson, StatsWithAShortCountVectorShowsZeros) {
  Stats s;
  s.orders_by_status = {0, 9};
  json by_status = ToJson(s)["orders_by_status"];
  EXPECT_EQ(by_status.size(), 6u);
  EXPECT_EQ(by_status["PENDING"], 9);
  EXPECT_EQ(by_status["DEAD_LETTERED"], 0);
  EXPECT_EQ(ToJson(s)["nodes"], json::array());
}

}  // namespace
}  // namespace om::proto
