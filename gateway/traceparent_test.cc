#include "gateway/traceparent.h"

#include <gtest/gtest.h>

namespace om::gateway {
namespace {

constexpr const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesAValidHeader) {
  auto t = ParseTraceparent(kValid);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(t->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(t->flags, "01");
  EXPECT_EQ(t->ToHeader(), kValid);
  EXPECT_TRUE(ParseTraceparent(std::string(" ") + kValid + "\t"));  // optional whitespace
}

TEST(Traceparent, RejectsMalformedValues) {
  const char* bad[] = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",           // no flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 is exactly 55
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper-case hex
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // zero parent id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // separator
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",        // not hex
      "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
  };
  for (const char* v : bad) EXPECT_FALSE(ParseTraceparent(v)) << v;
}

TEST(Traceparent, AcceptsAHigherVersionWithMoreFields) {
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"));
  EXPECT_FALSE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

TEST(Traceparent, ChildSpanKeepsTraceAndFlagsWithANewSpanId) {
  auto parent = ParseTraceparent(kValid);
  TraceContext child = StartSpan(parent);
  EXPECT_EQ(child.trace_id, parent->trace_id);
  EXPECT_EQ(child.flags, "01");
  EXPECT_NE(child.parent_id, parent->parent_id);
  EXPECT_TRUE(ParseTraceparent(child.ToHeader()));
}

TEST(Traceparent, StartsAValidNewTraceWhenThereIsNone) {
  TraceContext a = StartSpan(std::nullopt), b = StartSpan(std::nullopt);
  ASSERT_TRUE(ParseTraceparent(a.ToHeader())) << a.ToHeader();
  EXPECT_EQ(a.trace_id.size(), 32u);
  EXPECT_EQ(a.parent_id.size(), 16u);
  EXPECT_EQ(a.flags, "00");
  EXPECT_NE(a.trace_id, b.trace_id);
}

}  // namespace
}  // namespace om::gateway
