#include "gateway/options.h"

#include <gtest/gtest.h>

namespace om::gateway {
namespace {

TEST(Options, LoopbackAddressesAreRecognised) {
  EXPECT_TRUE(IsLoopbackListen("127.0.0.1:8080"));
  EXPECT_TRUE(IsLoopbackListen("127.1.2.3:80"));
  EXPECT_TRUE(IsLoopbackListen("localhost:8080"));
  EXPECT_TRUE(IsLoopbackListen("[::1]:8080"));
  EXPECT_FALSE(IsLoopbackListen("0.0.0.0:8080"));
  EXPECT_FALSE(IsLoopbackListen("8080"));  // every interface
  EXPECT_FALSE(IsLoopbackListen("10.0.0.1:8080"));
  EXPECT_FALSE(IsLoopbackListen("[::]:8080"));
}

TEST(Options, WithoutKeysOnlyLoopbackServesAndSaysSo) {
  GatewayOptions o;
  std::string warning;
  ASSERT_TRUE(CheckOptions(o, &warning).ok());
  EXPECT_NE(warning.find("loopback"), std::string::npos);
  o.listen = "0.0.0.0:8080";
  Status refused = CheckOptions(o, &warning);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("allow_anonymous"), std::string::npos);
  o.allow_anonymous = true;
  ASSERT_TRUE(CheckOptions(o, &warning).ok());
  EXPECT_NE(warning.find("allow_anonymous"), std::string::npos);
}

TEST(Options, WithKeysAnyAddressServesQuietly) {
  GatewayOptions o;
  o.listen = "0.0.0.0:8080";
  o.api_keys = {"a-long-enough-key-123"};
  std::string warning = "x";
  EXPECT_TRUE(CheckOptions(o, &warning).ok());
  EXPECT_EQ(warning, "");
}

TEST(Options, RejectsShortKeysAndBadAddressesWithoutQuotingKeys) {
  GatewayOptions o;
  o.api_keys = {"short-secret"};
  std::string warning;
  Status st = CheckOptions(o, &warning);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message().find("short-secret"), std::string::npos);
  GatewayOptions bad;
  for (const char* listen : {"", "127.0.0.1:", "127.0.0.1:http", "::1:8080", "127.0.0.1:70000"}) {
    bad.listen = listen;
    EXPECT_FALSE(CheckOptions(bad, &warning).ok()) << listen;
  }
}

TEST(Options, RejectsWildcardAndMalformedCorsOrigins) {
  GatewayOptions o;
  std::string warning;
  o.cors_origins = {"https://shop.example", "http://localhost:3000"};
  EXPECT_TRUE(CheckOptions(o, &warning).ok());
  o.cors_origins = {"*"};
  EXPECT_FALSE(CheckOptions(o, &warning).ok());
  o.cors_origins = {"https://shop.example/"};
  EXPECT_FALSE(CheckOptions(o, &warning).ok());
}

}  // namespace
}  // namespace om::gateway
