#include "gateway/query.h"

#include <gtest/gtest.h>

namespace om::gateway {
namespace {

using proto::OrderStatus;

std::vector<proto::FieldError> Errors(std::string_view q) {
  std::vector<proto::FieldError> errors;
  EXPECT_FALSE(ParseListQuery(q, &errors)) << q;
  return errors;
}

TEST(ListQuery, ParsesStatusLimitAndCursor) {
  std::vector<proto::FieldError> errors;
  auto q = ParseListQuery("status=PROCESSED&limit=20&cursor=01a2-x", &errors);
  ASSERT_TRUE(q) << (errors.empty() ? "" : errors[0].message);
  EXPECT_EQ(q->status, OrderStatus::kProcessed);
  EXPECT_EQ(q->limit, 20u);
  EXPECT_EQ(q->cursor, "01a2-x");
}

TEST(ListQuery, DefaultsLimitAndCursorAndTakesLowerCaseStatus) {
  std::vector<proto::FieldError> errors;
  auto q = ParseListQuery("status=dead_lettered", &errors);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, OrderStatus::kDeadLettered);
  EXPECT_EQ(q->limit, kDefaultPageLimit);
  EXPECT_EQ(q->cursor, "");
}

TEST(ListQuery, DecodesPercentEscapes) {
  std::vector<proto::FieldError> errors;
  auto q = ParseListQuery("status=%50ENDING&cursor=a%2Db", &errors);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, OrderStatus::kPending);
  EXPECT_EQ(q->cursor, "a-b");
}

TEST(ListQuery, RequiresStatus) {
  auto e = Errors("");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].path, "status");
  EXPECT_NE(e[0].message.find("required"), std::string::npos);
}

TEST(ListQuery, RejectsBadStatusAndLimitTogether) {
  auto e = Errors("status=DONE&limit=0");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].path, "status");
  EXPECT_NE(e[0].message.find("'DONE'"), std::string::npos);
  EXPECT_EQ(e[1].path, "limit");
}

TEST(ListQuery, RejectsEveryBadLimit) {
  for (const char* q : {"status=PENDING&limit=0", "status=PENDING&limit=1001", "status=PENDING&limit=-1",
                        "status=PENDING&limit=ten", "status=PENDING&limit=", "status=PENDING&limit=99999999999"}) {
    auto e = Errors(q);
    ASSERT_EQ(e.size(), 1u) << q;
    EXPECT_EQ(e[0].path, "limit") << q;
  }
  std::vector<proto::FieldError> errors;
  EXPECT_TRUE(ParseListQuery("status=PENDING&limit=1000", &errors));
  EXPECT_TRUE(ParseListQuery("status=PENDING&limit=1", &errors));
}

TEST(ListQuery, RejectsUnknownRepeatedAndBadlyEncodedParameters) {
  auto unknown = Errors("status=PENDING&sort=asc");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].path, "sort");
  auto twice = Errors("status=PENDING&status=FAILED");
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_NE(twice[0].message.find("more than once"), std::string::npos);
  auto escape = Errors("status=PENDING&cursor=%zz");
  ASSERT_EQ(escape.size(), 1u);
  EXPECT_NE(escape[0].message.find("percent"), std::string::npos);
  auto cursor = Errors("status=PENDING&cursor=" + std::string(200, 'a'));
  ASSERT_EQ(cursor.size(), 1u);
  EXPECT_EQ(cursor[0].path, "cursor");
}

TEST(PercentCoding, RoundTrips) {
  EXPECT_EQ(PercentEncode("01a2-b_c.d~e"), "01a2-b_c.d~e");
  EXPECT_EQ(PercentEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(*PercentDecode(PercentEncode("a b&c=d/é")), "a b&c=d/é");
  EXPECT_EQ(*PercentDecode("a+b"), "a b");
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%4"));
  EXPECT_FALSE(PercentDecode("%g0"));
}

TEST(HasQueryParam, FindsNamesWithOrWithoutValues) {
  EXPECT_TRUE(HasQueryParam("verbose", "verbose"));
  EXPECT_TRUE(HasQueryParam("a=1&verbose=1", "verbose"));
  EXPECT_FALSE(HasQueryParam("verbosely=1", "verbose"));
  EXPECT_FALSE(HasQueryParam("", "verbose"));
}

TEST(ContentType, AcceptsJsonWithUtf8OnlyCharset) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON"));
  EXPECT_TRUE(IsJsonContentType("application/json; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("application/json;charset=\"UTF-8\""));
  EXPECT_FALSE(IsJsonContentType(""));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
  EXPECT_FALSE(IsJsonContentType("application/x-www-form-urlencoded"));
  EXPECT_FALSE(IsJsonContentType("application/json; charset=latin1"));
}

TEST(IdempotencyKey, TakesVisibleAsciiUpTo255Bytes) {
  EXPECT_EQ(CheckIdempotencyKey("order-2026-11-22-0001"), "");
  EXPECT_EQ(CheckIdempotencyKey(std::string(255, 'k')), "");
  EXPECT_NE(CheckIdempotencyKey(""), "");
  EXPECT_NE(CheckIdempotencyKey(std::string(256, 'k')), "");
  EXPECT_NE(CheckIdempotencyKey("has space"), "");
  EXPECT_NE(CheckIdempotencyKey("tab\there"), "");
  EXPECT_NE(CheckIdempotencyKey("caf\xc3\xa9"), "");
}

}  // namespace
}  // namespace om::gateway
