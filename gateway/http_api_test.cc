// HttpApi against a scripted fake broker: every route, every status, every
// error shape, without a server or a socket.
#include "gateway/http_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>

#include "gateway/traceparent.h"

namespace om::gateway {
namespace {

using nlohmann::json;
using proto::ErrorCode;

class FakeBroker final : public BrokerCaller {
 public:
  Result<proto::FrontReply> Call(const proto::FrontRequest& req, std::chrono::milliseconds) override {
    calls.push_back(req);
    if (replies.empty()) return Status::Timeout("the broker did not answer within 5000 ms");
    auto r = std::move(replies.front());
    replies.pop_front();
    return r;
  }
  std::deque<Result<proto::FrontReply>> replies;
  std::vector<proto::FrontRequest> calls;
};

class StringBody final : public BodySource {
 public:
  explicit StringBody(std::string s) : s_(std::move(s)) {}
  Outcome Read(size_t max, std::string* out) override {
    if (s_.size() > max) return Outcome::kTooLarge;
    *out = s_;
    return Outcome::kOk;
  }

 private:
  std::string s_;
};

constexpr const char* kOrder = R"({"customer_id":"c-1","items":[{"product_id":"sku-1","quantity":2,"unit_price_cents":1250}]})";
constexpr const char* kKey = "key-for-tests-0123456789";

class HttpApiTest : public ::testing::Test {
 protected:
  void Make(GatewayOptions o = {}) {
    options_ = std::move(o);
    api_ = std::make_unique<HttpApi>(options_, &broker_, &metrics_, "openapi: 3.1.0\n");
  }
  void SetUp() override { Make(); }

  HttpResponse Post(std::string body, std::vector<Header> extra = {}, std::string_view ct = "application/json") {
    body_ = std::make_unique<StringBody>(std::move(body));
    HttpRequest r;
    r.method = "POST";
    r.path = "/orders";
    if (!ct.empty()) r.headers.push_back({"Content-Type", ct});
    for (auto& h : extra) r.headers.push_back(h);
    r.body = body_.get();
    return api_->Handle(r);
  }
  HttpResponse Get(std::string_view path, std::string_view query = "", std::vector<Header> headers = {},
                   std::string_view method = "GET") {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.headers = std::move(headers);
    return api_->Handle(r);
  }
  static json Body(const HttpResponse& r) { return json::parse(r.body); }
  static void ExpectProblem(const HttpResponse& r, int status, const std::string& slug) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Find("Content-Type"), "application/problem+json");
    json j = Body(r);
    EXPECT_EQ(j["status"], status);
    EXPECT_EQ(j["type"], "urn:ordermesh:problem:" + slug) << r.body;
    EXPECT_TRUE(j["title"].is_string());
  }
  proto::OrderRecord Record(const std::string& id, proto::OrderStatus st) {
    proto::OrderRecord rec;
    rec.order_id = id;
    rec.status = st;
    rec.request.customer_id = "c-1";
    rec.request.items = {{"sku-1", 2, 1250}};
    rec.history = {{1'700'000'000'000'000, proto::OrderStatus::kPending, 0, "", "accepted"}};
    return rec;
  }

  GatewayOptions options_;
  FakeBroker broker_;
  Metrics metrics_;
  std::unique_ptr<HttpApi> api_;
  std::unique_ptr<StringBody> body_;
};

TEST_F(HttpApiTest, PostAnswers202WithLocationAfterTheBrokerAccepts) {
  broker_.replies.push_back(proto::FrontReply{proto::Accepted{"0192-a", false}});
  HttpResponse r = Post(kOrder);
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.Find("Location"), "/orders/0192-a");
  EXPECT_EQ(r.Find("Idempotent-Replayed"), "");
  EXPECT_EQ(Body(r), json({{"order_id", "0192-a"}, {"status", "PENDING"}}));
  ASSERT_EQ(broker_.calls.size(), 1u);
  const auto& sent = std::get<proto::Submit>(broker_.calls[0]).order;
  EXPECT_EQ(sent.customer_id, "c-1");
  EXPECT_EQ(sent.idempotency_key, "");
  EXPECT_TRUE(ParseTraceparent(sent.traceparent)) << "a new trace is started";
  EXPECT_EQ(r.route, Route::kOrders);
}

TEST_F(HttpApiTest, PostCarriesIdempotencyKeyAndContinuesTheTrace) {
  broker_.replies.push_back(proto::FrontReply{proto::Accepted{"0192-a", true}});
  HttpResponse r = Post(kOrder, {{"Idempotency-Key", "k-1"},
                                 {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}});
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.Find("Idempotent-Replayed"), "true");
  const auto& sent = std::get<proto::Submit>(broker_.calls.at(0)).order;
  EXPECT_EQ(sent.idempotency_key, "k-1");
  auto trace = ParseTraceparent(sent.traceparent);
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(trace->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(r.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_F(HttpApiTest, PostRefusesOtherContentTypesWith415) {
  ExpectProblem(Post(kOrder, {}, ""), 415, "unsupported-media-type");
  ExpectProblem(Post(kOrder, {}, "text/plain"), 415, "unsupported-media-type");
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(HttpApiTest, PostRefusesLargeBodiesWith413AndClosesTheConnection) {
  GatewayOptions o;
  o.max_body_bytes = 300;
  Make(o);
  HttpResponse by_length = [&] {
    HttpRequest r;
    r.method = "POST";
    r.path = "/orders";
    r.headers = {{"Content-Type", "application/json"}};
    r.content_length = 301;
    return api_->Handle(r);
  }();
  ExpectProblem(by_length, 413, "body-too-large");
  EXPECT_TRUE(by_length.close);
  HttpResponse chunked = Post(std::string(301, ' '));  // no length: found while reading
  ExpectProblem(chunked, 413, "body-too-large");
  EXPECT_TRUE(chunked.close);
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(HttpApiTest, PostReportsMalformedJsonWithItsOffset) {
  HttpResponse r = Post(R"({"customer_id": )");
  ExpectProblem(r, 400, "malformed-json");
  EXPECT_NE(Body(r)["detail"].get<std::string>().find("at byte"), std::string::npos);
  EXPECT_FALSE(Body(r).contains("errors"));
}

TEST_F(HttpApiTest, PostReportsEveryValidationProblemByField) {
  GatewayOptions o;
  o.max_quantity = 10;
  Make(o);
  HttpResponse r = Post(R"({"items":[{"product_id":"","quantity":11},{"quantity":"2"}],"currency":"usd","extra":1})");
  ExpectProblem(r, 400, "invalid-order");
  json errors = Body(r)["errors"];
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    fields.push_back(e["field"]);
    EXPECT_TRUE(e["detail"].is_string());
    EXPECT_EQ(e["pointer"].get<std::string>().substr(0, 2), "#/");
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"items[0].product_id", "items[0].quantity", "items[1].quantity",
                                              "items[1].product_id", "currency", "extra", "customer_id"}));
  EXPECT_EQ(Body(r)["detail"], "7 problems in the order");
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(HttpApiTest, PostRefusesAnUnusableIdempotencyKey) {
  HttpResponse r = Post(kOrder, {{"Idempotency-Key", std::string(300, 'k')}});
  ExpectProblem(r, 400, "invalid-request");
  EXPECT_EQ(Body(r)["errors"][0]["field"], "Idempotency-Key");
  EXPECT_FALSE(Body(r)["errors"][0].contains("pointer"));
  ExpectProblem(Post(kOrder, {{"Idempotency-Key", ""}}), 400, "invalid-request");
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(HttpApiTest, PostMapsEveryBrokerErrorToItsStatus) {
  struct Row {
    ErrorCode code;
    int status;
    const char* slug;
    const char* retry_after;
  };
  const Row rows[] = {
      {ErrorCode::kBadRequest, 400, "invalid-request", ""},
      {ErrorCode::kBacklogFull, 429, "backlog-full", "2"},
      {ErrorCode::kDraining, 503, "broker-draining", "2"},
      {ErrorCode::kIdempotencyMismatch, 422, "idempotency-mismatch", ""},
      {ErrorCode::kIdempotencyInProgress, 409, "idempotency-in-progress", "2"},
      {ErrorCode::kStorage, 503, "storage-error", "2"},
      {ErrorCode::kInternal, 500, "internal-error", ""},
  };
  for (const auto& row : rows) {
    broker_.replies.push_back(proto::FrontReply{proto::Error{row.code, "broker says no", 1200}});
    HttpResponse r = Post(kOrder, {{"Idempotency-Key", "k"}});
    ExpectProblem(r, row.status, row.slug);
    EXPECT_EQ(r.Find("Retry-After"), row.retry_after) << row.slug;
    EXPECT_EQ(Body(r)["code"], std::string(proto::ErrorCodeName(row.code)));
  }
}

TEST_F(HttpApiTest, PostAnswers503WhenTheBrokerIsSilentOrAway) {
  HttpResponse timeout = Post(kOrder);  // no scripted reply: Timeout
  ExpectProblem(timeout, 503, "broker-unavailable");
  EXPECT_EQ(timeout.Find("Retry-After"), "1");
  EXPECT_NE(Body(timeout)["detail"].get<std::string>().find("Idempotency-Key"), std::string::npos);
  broker_.replies.push_back(Status::Unavailable("the broker at tcp://x is not reachable"));
  ExpectProblem(Post(kOrder), 503, "broker-unavailable");
  broker_.replies.push_back(Status::Corruption("undecodable reply"));
  ExpectProblem(Post(kOrder), 502, "bad-broker-reply");
  broker_.replies.push_back(proto::FrontReply{proto::StatsReply{}});
  ExpectProblem(Post(kOrder), 502, "bad-broker-reply");
}

TEST_F(HttpApiTest, ApiKeysGuardTheOrderRoutesOnly) {
  GatewayOptions o;
  o.api_keys = {kKey};
  Make(o);
  HttpResponse missing = Post(kOrder);
  ExpectProblem(missing, 401, "unauthorized");
  EXPECT_EQ(missing.Find("WWW-Authenticate"), "Bearer realm=\"ordermesh\"");
  ExpectProblem(Post(kOrder, {{"Authorization", "Bearer wrong-key-0123456789"}}), 401, "unauthorized");
  ExpectProblem(Get("/orders/x"), 401, "unauthorized");
  ExpectProblem(Get("/orders", "status=PENDING"), 401, "unauthorized");
  EXPECT_TRUE(broker_.calls.empty());

  broker_.replies.push_back(proto::FrontReply{proto::Accepted{"id-1", false}});
  EXPECT_EQ(Post(kOrder, {{"Authorization", std::string("Bearer ") + kKey}}).status, 202);
  broker_.replies.push_back(proto::FrontReply{proto::Order{Record("id-1", proto::OrderStatus::kPending)}});
  EXPECT_EQ(Get("/orders/id-1", "", {{"X-API-Key", kKey}}).status, 200);
  EXPECT_EQ(Get("/livez").status, 200);
  EXPECT_EQ(Get("/openapi.yaml").status, 200);
}

TEST_F(HttpApiTest, GetOrderShowsTotalStatusAttemptsAndHistory) {
  auto rec = Record("0192-a", proto::OrderStatus::kProcessed);
  rec.attempts = 1;
  broker_.replies.push_back(proto::FrontReply{proto::Order{rec}});
  HttpResponse r = Get("/orders/0192-a");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Find("Content-Type"), "application/json");
  json j = Body(r);
  EXPECT_EQ(j["order_id"], "0192-a");
  EXPECT_EQ(j["status"], "PROCESSED");
  EXPECT_EQ(j["total_cents"], 2500);
  EXPECT_EQ(j["attempts"], 1);
  ASSERT_EQ(j["history"].size(), 1u);
  EXPECT_EQ(j["history"][0]["reason"], "accepted");
  EXPECT_EQ(std::get<proto::GetOrder>(broker_.calls.at(0)).order_id, "0192-a");
  EXPECT_EQ(r.route, Route::kOrder);
}

TEST_F(HttpApiTest, GetOrderIs404WhenUnknown) {
  broker_.replies.push_back(proto::FrontReply{proto::Error{ErrorCode::kNotFound, "no order x", 0}});
  ExpectProblem(Get("/orders/unknown"), 404, "not-found");
  ExpectProblem(Get("/orders/bad%20id"), 404, "not-found");  // never a valid id: the broker is not asked
  ExpectProblem(Get("/orders/" + std::string(200, 'a')), 404, "not-found");
  EXPECT_EQ(broker_.calls.size(), 1u);
}

TEST_F(HttpApiTest, ListOrdersPagesWithALinkHeader) {
  proto::OrderList page{{Record("a", proto::OrderStatus::kPending), Record("b", proto::OrderStatus::kPending)}, "b"};
  broker_.replies.push_back(proto::FrontReply{page});
  HttpResponse r = Get("/orders", "status=pending&limit=2");
  EXPECT_EQ(r.status, 200);
  json j = Body(r);
  ASSERT_EQ(j["orders"].size(), 2u);
  EXPECT_EQ(j["next_cursor"], "b");
  EXPECT_EQ(r.Find("Link"), "</orders?status=PENDING&limit=2&cursor=b>; rel=\"next\"");
  auto sent = std::get<proto::ListOrders>(broker_.calls.at(0));
  EXPECT_EQ(sent.status, proto::OrderStatus::kPending);
  EXPECT_EQ(sent.limit, 2u);
  EXPECT_EQ(sent.cursor, "");

  broker_.replies.push_back(proto::FrontReply{proto::OrderList{{}, ""}});
  HttpResponse last = Get("/orders", "status=PENDING&limit=2&cursor=b");
  EXPECT_TRUE(Body(last)["next_cursor"].is_null());
  EXPECT_EQ(last.Find("Link"), "");
  EXPECT_EQ(std::get<proto::ListOrders>(broker_.calls.at(1)).cursor, "b");
}

TEST_F(HttpApiTest, ListOrdersRefusesBadStatusOrLimitWith400) {
  HttpResponse r = Get("/orders", "status=NOPE&limit=5000");
  ExpectProblem(r, 400, "invalid-request");
  ASSERT_EQ(Body(r)["errors"].size(), 2u);
  EXPECT_EQ(Body(r)["errors"][0]["field"], "status");
  EXPECT_EQ(Body(r)["errors"][1]["field"], "limit");
  ExpectProblem(Get("/orders"), 400, "invalid-request");
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(HttpApiTest, UnknownPathsAre404AndOtherMethods405WithAllow) {
  ExpectProblem(Get("/nope"), 404, "not-found");
  ExpectProblem(Get("/orders/a/b"), 404, "not-found");
  HttpResponse del = Get("/orders", "", {}, "DELETE");
  ExpectProblem(del, 405, "method-not-allowed");
  EXPECT_EQ(del.Find("Allow"), "GET, POST, OPTIONS");
  HttpResponse post = Get("/orders/x", "", {}, "POST");
  ExpectProblem(post, 405, "method-not-allowed");
  EXPECT_EQ(post.Find("Allow"), "GET, OPTIONS");
  HttpResponse options = Get("/orders", "", {}, "OPTIONS");
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.Find("Allow"), "GET, POST, OPTIONS");
}

TEST_F(HttpApiTest, CorsPreflightAndResponseHeaders) {
  GatewayOptions o;
  o.cors_origins = {"https://shop.example"};
  o.api_keys = {kKey};
  Make(o);
  HttpResponse pre = Get("/orders", "",
                         {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}}, "OPTIONS");
  EXPECT_EQ(pre.status, 204) << "a preflight needs no API key";
  EXPECT_EQ(pre.Find("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(pre.Find("Access-Control-Allow-Methods"), "GET, POST");
  HttpResponse evil = Get("/orders", "",
                          {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}, "OPTIONS");
  ExpectProblem(evil, 403, "origin-not-allowed");
  HttpResponse live = Get("/livez", "", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(live.Find("Access-Control-Allow-Origin"), "https://shop.example");
  HttpResponse denied = Get("/orders/x", "", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Find("Access-Control-Allow-Origin"), "https://shop.example") << "browsers must see the 401";
}

TEST_F(HttpApiTest, ReadyzAsksTheBrokerAndTurns503WhenDraining) {
  broker_.replies.push_back(proto::FrontReply{proto::StatsReply{}});
  HttpResponse ok = Get("/readyz", "verbose");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(Body(ok)["status"], "ready");
  ASSERT_EQ(Body(ok)["checks"].size(), 2u);
  EXPECT_EQ(Body(ok)["checks"][1]["name"], "broker");
  EXPECT_EQ(Body(ok)["checks"][1]["ok"], true);

  HttpResponse down = Get("/readyz");  // no reply scripted: timeout
  EXPECT_EQ(down.status, 503);
  EXPECT_FALSE(Body(down).contains("checks"));

  api_->BeginDrain();
  size_t calls = broker_.calls.size();
  HttpResponse draining = Get("/readyz", "verbose");
  EXPECT_EQ(draining.status, 503);
  EXPECT_EQ(Body(draining)["checks"][0]["name"], "draining");
  EXPECT_EQ(Body(draining)["checks"][0]["ok"], false);
  EXPECT_EQ(broker_.calls.size(), calls);
  EXPECT_TRUE(draining.close);
  EXPECT_EQ(Get("/livez").status, 200);
}

TEST_F(HttpApiTest, MetricsAndOpenapiAreServed) {
  proto::StatsReply stats;
  stats.stats.orders_by_status = std::vector<uint64_t>(7, 0);
  broker_.replies.push_back(proto::FrontReply{stats});
  HttpResponse m = Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.Find("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("ordermesh_broker_up 1"), std::string::npos);
  HttpResponse y = Get("/openapi.yaml");
  EXPECT_EQ(y.Find("Content-Type"), "application/yaml");
  EXPECT_EQ(y.body, "openapi: 3.1.0\n");
}

}  // namespace
}  // namespace om::gateway
