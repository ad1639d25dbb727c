#include "gateway/auth.h"

#include <gtest/gtest.h>

namespace om::gateway {
namespace {

HttpRequest WithHeaders(std::vector<Header> headers) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/orders/x";
  r.headers = std::move(headers);
  return r;
}

TEST(ConstantTimeEquals, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("secret-key-0123456789", "secret-key-0123456789"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key-0123456788", "secret-key-0123456789"));
  EXPECT_FALSE(ConstantTimeEquals("Secret-key-0123456789", "secret-key-0123456789"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key-012345678", "secret-key-0123456789"));   // a prefix
  EXPECT_FALSE(ConstantTimeEquals("secret-key-01234567890", "secret-key-0123456789"));  // longer
  EXPECT_FALSE(ConstantTimeEquals("", "secret-key-0123456789"));
  // A key that repeats the secret must not match by wrapping around.
  EXPECT_FALSE(ConstantTimeEquals("abcabc", "abc"));
}

TEST(PresentedKey, ReadsBearerTokensAnyCaseOfTheScheme) {
  std::string why;
  EXPECT_EQ(PresentedKey("Bearer k1", "", &why), "k1");
  EXPECT_EQ(PresentedKey("bearer   k2  ", "", &why), "k2");
  EXPECT_EQ(PresentedKey("BEARER k3", "", &why), "k3");
  EXPECT_TRUE(why.empty());
}

TEST(PresentedKey, FallsBackToXApiKey) {
  std::string why;
  EXPECT_EQ(PresentedKey("", "k4", &why), "k4");
  EXPECT_EQ(PresentedKey("", " k5 ", &why), "k5");
  EXPECT_EQ(PresentedKey("", "", &why), "");
  EXPECT_TRUE(why.empty());
}

TEST(PresentedKey, RejectsOtherSchemesAndMissingTokens) {
  std::string why;
  EXPECT_EQ(PresentedKey("Basic dXNlcjpwYXNz", "k", &why), "");
  EXPECT_NE(why.find("Bearer"), std::string::npos);
  EXPECT_EQ(PresentedKey("Bearer", "", &why), "");
  EXPECT_FALSE(why.empty());
  EXPECT_EQ(PresentedKey("Bearer a b", "", &why), "");
  EXPECT_FALSE(why.empty());
}

TEST(Authenticator, WithoutKeysLetsEverythingThrough) {
  Authenticator auth({});
  EXPECT_FALSE(auth.enabled());
  EXPECT_TRUE(auth.Check(WithHeaders({})).ok);
}

TEST(Authenticator, AcceptsAnyConfiguredKeyInEitherHeader) {
  Authenticator auth({"first-key-0123456789", "second-key-0123456789"});
  EXPECT_TRUE(auth.Check(WithHeaders({{"Authorization", "Bearer first-key-0123456789"}})).ok);
  EXPECT_TRUE(auth.Check(WithHeaders({{"authorization", "Bearer second-key-0123456789"}})).ok);
  EXPECT_TRUE(auth.Check(WithHeaders({{"X-API-Key", "second-key-0123456789"}})).ok);
  EXPECT_TRUE(auth.Check(WithHeaders({{"x-api-key", "first-key-0123456789"}})).ok);
}

TEST(Authenticator, RefusesMissingWrongAndMalformedKeysWithoutQuotingThem) {
  Authenticator auth({"first-key-0123456789"});
  auto missing = auth.Check(WithHeaders({}));
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.detail.find("required"), std::string::npos);
  auto wrong = auth.Check(WithHeaders({{"Authorization", "Bearer nope-nope-nope"}}));
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.detail.find("nope"), std::string::npos);
  auto basic = auth.Check(WithHeaders({{"Authorization", "Basic first-key-0123456789"}}));
  EXPECT_FALSE(basic.ok);
  EXPECT_EQ(basic.detail.find("first-key"), std::string::npos);
  // Authorization wins over X-API-Key: a bad Authorization is not rescued.
  EXPECT_FALSE(auth.Check(WithHeaders({{"Authorization", "Bearer wrong-wrong-wrong"},
                                       {"X-API-Key", "first-key-0123456789"}}))
                   .ok);
}

}  // namespace
}  // namespace om::gateway
