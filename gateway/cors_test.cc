#include "gateway/cors.h"

#include <gtest/gtest.h>

namespace om::gateway {
namespace {

HttpRequest Preflight(std::string_view origin, std::string_view method) {
  HttpRequest r;
  r.method = "OPTIONS";
  r.path = "/orders";
  r.headers = {{"Origin", origin}, {"Access-Control-Request-Method", method},
               {"Access-Control-Request-Headers", "authorization, content-type, idempotency-key"}};
  return r;
}

TEST(CheckOrigin, AcceptsSchemeHostPortOnly) {
  EXPECT_TRUE(CheckOrigin("https://shop.example").ok());
  EXPECT_TRUE(CheckOrigin("http://localhost:3000").ok());
  EXPECT_FALSE(CheckOrigin("*").ok());
  EXPECT_FALSE(CheckOrigin("shop.example").ok());
  EXPECT_FALSE(CheckOrigin("https://shop.example/").ok());
  EXPECT_FALSE(CheckOrigin("https://shop.example/path").ok());
  EXPECT_FALSE(CheckOrigin("https://").ok());
  EXPECT_FALSE(CheckOrigin("https://a b").ok());
}

TEST(CorsPolicy, AllowsOnlyListedOriginsCaseInsensitively) {
  CorsPolicy cors({"https://Shop.Example", "http://localhost:3000"});
  EXPECT_TRUE(cors.enabled());
  EXPECT_TRUE(cors.Allows("https://shop.example"));
  EXPECT_TRUE(cors.Allows("http://localhost:3000"));
  EXPECT_FALSE(cors.Allows("http://localhost:3001"));
  EXPECT_FALSE(cors.Allows("https://shop.example.evil"));
  EXPECT_FALSE(cors.Allows("null"));
  EXPECT_FALSE(cors.Allows(""));
}

TEST(CorsPolicy, DecoratesResponsesForAllowedOriginsOnly) {
  CorsPolicy cors({"https://shop.example"});
  HttpResponse ok;
  cors.Decorate("https://shop.example", &ok);
  EXPECT_EQ(ok.Find("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(ok.Find("Vary"), "Origin");
  EXPECT_NE(ok.Find("Access-Control-Expose-Headers").find("Location"), std::string_view::npos);
  HttpResponse other;
  cors.Decorate("https://evil.example", &other);
  EXPECT_EQ(other.Find("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(other.Find("Vary"), "Origin");  // caches must key on Origin either way
  HttpResponse none;
  cors.Decorate("", &none);
  EXPECT_EQ(none.Find("Access-Control-Allow-Origin"), "");
}

TEST(CorsPolicy, DisabledAddsNothingAndNeverAWildcard) {
  CorsPolicy cors({});
  EXPECT_FALSE(cors.enabled());
  HttpResponse r;
  cors.Decorate("https://shop.example", &r);
  EXPECT_TRUE(r.headers.empty());
  HttpResponse pre = cors.Preflight(Preflight("https://shop.example", "POST"), "GET, POST");
  EXPECT_EQ(pre.status, 403);
  EXPECT_EQ(pre.Find("Access-Control-Allow-Origin"), "");
}

TEST(CorsPolicy, RecognisesPreflights) {
  EXPECT_TRUE(CorsPolicy::IsPreflight(Preflight("https://shop.example", "POST")));
  HttpRequest plain;
  plain.method = "OPTIONS";
  plain.headers = {{"Origin", "https://shop.example"}};
  EXPECT_FALSE(CorsPolicy::IsPreflight(plain));
  HttpRequest get = Preflight("https://shop.example", "POST");
  get.method = "GET";
  EXPECT_FALSE(CorsPolicy::IsPreflight(get));
}

TEST(CorsPolicy, AnswersAnAllowedPreflightWith204) {
  CorsPolicy cors({"https://shop.example"});
  HttpResponse r = cors.Preflight(Preflight("https://shop.example", "POST"), "GET, POST");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Find("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(r.Find("Access-Control-Allow-Methods"), "GET, POST");
  EXPECT_NE(r.Find("Access-Control-Allow-Headers").find("Authorization"), std::string_view::npos);
  EXPECT_NE(r.Find("Access-Control-Allow-Headers").find("Idempotency-Key"), std::string_view::npos);
  EXPECT_EQ(r.Find("Access-Control-Max-Age"), "600");
  EXPECT_NE(r.Find("Vary").find("Origin"), std::string_view::npos);
  EXPECT_TRUE(r.body.empty());
}

TEST(CorsPolicy, RefusesPreflightsFromOtherOriginsAndForOtherMethods) {
  CorsPolicy cors({"https://shop.example"});
  HttpResponse origin = cors.Preflight(Preflight("https://evil.example", "POST"), "GET, POST");
  EXPECT_EQ(origin.status, 403);
  EXPECT_EQ(origin.Find("Content-Type"), "application/problem+json");
  EXPECT_EQ(origin.Find("Access-Control-Allow-Origin"), "");
  HttpResponse method = cors.Preflight(Preflight("https://shop.example", "DELETE"), "GET");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.Find("Allow"), "GET");
}

TEST(MethodListed, MatchesWholeMethodNames) {
  EXPECT_TRUE(MethodListed("GET, POST", "POST"));
  EXPECT_TRUE(MethodListed("GET", "GET"));
  EXPECT_FALSE(MethodListed("GET, POST", "POS"));
  EXPECT_FALSE(MethodListed("GET, POST", "get"));
  EXPECT_FALSE(MethodListed("GET", ""));
}

}  // namespace
}  // namespace om::gateway
