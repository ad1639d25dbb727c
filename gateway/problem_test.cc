#include "gateway/problem.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace om::gateway {
namespace {

using proto::ErrorCode;

TEST(ErrorMapping, FollowsTheSpecTable) {
  struct Row {
    ErrorCode code;
    int status;
    bool retry_after;
  };
  const Row rows[] = {
      {ErrorCode::kBadRequest, 400, false},           {ErrorCode::kNotFound, 404, false},
      {ErrorCode::kBacklogFull, 429, true},           {ErrorCode::kDraining, 503, true},
      {ErrorCode::kIdempotencyMismatch, 422, false},  {ErrorCode::kIdempotencyInProgress, 409, true},
      {ErrorCode::kUnsupportedVersion, 400, false},   {ErrorCode::kStorage, 503, true},
      {ErrorCode::kInternal, 500, false},
  };
  for (const auto& row : rows) {
    ErrorMapping m = MapErrorCode(row.code);
    EXPECT_EQ(m.status, row.status) << proto::ErrorCodeName(row.code);
    EXPECT_EQ(m.retry_after, row.retry_after) << proto::ErrorCodeName(row.code);
    EXPECT_FALSE(m.slug.empty());
    EXPECT_FALSE(m.title.empty());
  }
}

TEST(RetryAfter, RoundsUpToWholeSecondsAtLeastOne) {
  EXPECT_EQ(RetryAfterSeconds(0), 1);
  EXPECT_EQ(RetryAfterSeconds(1), 1);
  EXPECT_EQ(RetryAfterSeconds(999), 1);
  EXPECT_EQ(RetryAfterSeconds(1000), 1);
  EXPECT_EQ(RetryAfterSeconds(1001), 2);
  EXPECT_EQ(RetryAfterSeconds(4500), 5);
  EXPECT_EQ(RetryAfterSeconds(UINT32_MAX), 4294968);
}

TEST(Problem, BodyHasTheRfc9457MembersAndFieldErrors) {
  Problem p;
  p.status = 400;
  p.slug = "invalid-order";
  p.title = "The order is invalid";
  p.detail = "2 problems in the order";
  p.instance = "/orders";
  p.errors = {{"items[0].quantity", "must be at least 1, got 0"}, {"customer_id", "required"}};
  p.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  auto j = nlohmann::json::parse(ProblemBody(p));
  EXPECT_EQ(j["type"], "urn:ordermesh:problem:invalid-order");
  EXPECT_EQ(j["title"], "The order is invalid");
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["detail"], "2 problems in the order");
  EXPECT_EQ(j["instance"], "/orders");
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0]["field"], "items[0].quantity");
  EXPECT_EQ(j["errors"][0]["pointer"], "#/items/0/quantity");
  EXPECT_EQ(j["errors"][0]["detail"], "must be at least 1, got 0");
  EXPECT_EQ(j["errors"][1]["pointer"], "#/customer_id");
  EXPECT_EQ(j["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(j.contains("code"));
}

TEST(Problem, WithoutSlugIsAboutBlankWithTheReasonPhrase) {
  Problem p;
  p.status = 404;
  auto j = nlohmann::json::parse(ProblemBody(p));
  EXPECT_EQ(j["type"], "about:blank");
  EXPECT_EQ(j["title"], "Not Found");
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_FALSE(j.contains("errors"));
}

TEST(Problem, QueryAndHeaderErrorsCarryNoPointer) {
  Problem p;
  p.status = 400;
  p.errors = {{"limit", "expected an integer 1..1000, got 'x'"}};
  p.body_fields = false;
  auto j = nlohmann::json::parse(ProblemBody(p));
  EXPECT_EQ(j["errors"][0]["field"], "limit");
  EXPECT_FALSE(j["errors"][0].contains("pointer"));
}

TEST(Problem, InvalidUtf8InDetailIsReplacedNotThrown) {
  Problem p;
  p.status = 400;
  p.detail = std::string("bad \xff byte");
  EXPECT_NO_THROW(nlohmann::json::parse(ProblemBody(p)));
}

TEST(Problem, ResponseHasContentTypeAndRetryAfter) {
  Problem p;
  p.status = 429;
  p.retry_after_s = 3;
  HttpResponse r = MakeProblem(p);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Find("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.Find("Retry-After"), "3");
  p.retry_after_s = 0;
  EXPECT_EQ(MakeProblem(p).Find("Retry-After"), "");
}

TEST(Problem, FromBrokerErrorKeepsCodeDetailAndRetryHint) {
  proto::Error e{ErrorCode::kBacklogFull, "backlog is full (10 orders not yet terminal)", 1500};
  Problem p = FromBrokerError(e);
  EXPECT_EQ(p.status, 429);
  EXPECT_EQ(p.code, "backlog_full");
  EXPECT_EQ(p.detail, e.detail);
  EXPECT_EQ(p.retry_after_s, 2);
  Problem internal = FromBrokerError({ErrorCode::kInternal, "bug", 0});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.retry_after_s, 0);
}

TEST(JsonPointer, TurnsFieldPathsIntoPointers) {
  EXPECT_EQ(JsonPointer(""), "#");
  EXPECT_EQ(JsonPointer("customer_id"), "#/customer_id");
  EXPECT_EQ(JsonPointer("items[12].product_id"), "#/items/12/product_id");
  EXPECT_EQ(JsonPointer("metadata"), "#/metadata");
  EXPECT_EQ(JsonPointer("a~b/c"), "#/a~0b~1c");
}

TEST(SerializeResponse, WritesStatusHeadersLengthAndConnection) {
  HttpResponse r;
  r.status = 202;
  r.Add("Location", "/orders/x");
  r.body = "{}";
  std::string out = "left over";
  SerializeResponse(r, true, "Sun, 06 Nov 1994 08:49:37 GMT", &out);
  EXPECT_EQ(out,
            "HTTP/1.1 202 Accepted\r\nLocation: /orders/x\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 2\r\nConnection: keep-alive\r\n\r\n{}");
  std::string head;
  SerializeResponse(r, true, "D", &head, /*head_only=*/true);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
  EXPECT_NE(head.find("Content-Length: 2"), std::string::npos);
  HttpResponse none;
  none.status = 204;
  std::string empty;
  SerializeResponse(none, false, "D", &empty);
  EXPECT_EQ(empty.find("Content-Length"), std::string::npos);
  EXPECT_NE(empty.find("Connection: close"), std::string::npos);
}

}  // namespace
}  // namespace om::gateway
