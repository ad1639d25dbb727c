#include "common/uuid.h"

#include <gtest/gtest.h>

namespace om {

TEST(Uuid7, IsCanonicalVersion7WithVariantBits) {
  Uuid7Generator gen;
  std::string id = gen.Next(1'700'000'000'123);
  EXPECT_TRUE(IsCanonicalUuid(id)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST(Uuid7, EncodesTheMillisecondsItWasGiven) {
  Uuid7Generator gen;
  EXPECT_EQ(Uuid7Millis(gen.Next(1'700'000'000'123)), 1'700'000'000'123);
}

TEST(Uuid7, StrictlyIncreasingWithinOneMillisecondAndWhenClockStepsBack) {
  Uuid7Generator gen;
  std::string prev = gen.Next(1000);
  for (int i = 0; i < 10'000; ++i) {
    std::string next = gen.Next(i % 3 == 0 ? 999 : 1000);  // the clock jitters back
    ASSERT_LT(prev, next);
    prev = next;
  }
}

TEST(Uuid7, RejectsNonCanonicalText) {
  EXPECT_FALSE(IsCanonicalUuid("0192F3B4-6C1E-7A3B-8F00-1C2D3E4F5A6B"));
  EXPECT_FALSE(IsCanonicalUuid("0192f3b4-6c1e-7a3b-8f00-1c2d3e4f5a6"));
  EXPECT_FALSE(IsCanonicalUuid("0192f3b4x6c1e-7a3b-8f00-1c2d3e4f5a6b"));
  EXPECT_FALSE(Uuid7Millis("0192f3b4-6c1e-4a3b-8f00-1c2d3e4f5a6b").has_value());
}

}  // namespace om
