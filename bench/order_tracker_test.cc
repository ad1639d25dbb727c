#include "bench/order_tracker.h"

#include <gtest/gtest.h>

namespace om::bench {
namespace {

using proto::OrderStatus;

const OrderKey kA = MakeOrderKey("01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e");
const OrderKey kB = MakeOrderKey("01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9f");
const OrderKey kC = MakeOrderKey("01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8da0");

TEST(OrderKey, UuidTextMapsToItsBits) {
  OrderKey k = MakeOrderKey("01920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e");
  EXPECT_EQ(k.hi, 0x01920c5e7b3a7cc1ull);
  EXPECT_EQ(k.lo, 0x8d2e4f5a6b7c8d9eull);
  EXPECT_EQ(MakeOrderKey("01920C5E-7B3A-7CC1-8D2E-4F5A6B7C8D9E"), k);
}

TEST(OrderKey, OtherTextHashesApart) {
  EXPECT_EQ(MakeOrderKey("order-1"), MakeOrderKey("order-1"));
  EXPECT_NE(MakeOrderKey("order-1"), MakeOrderKey("order-2"));
  EXPECT_NE(MakeOrderKey("zz920c5e-7b3a-7cc1-8d2e-4f5a6b7c8d9e"), kA);
}

TEST(OrderTracker, AcceptThenEventCompletesWithBothTimes) {
  OrderTracker t;
  EXPECT_FALSE(t.OnAccepted(kA, 100, 150, true, true));
  auto c = t.OnTerminal(kA, OrderStatus::kProcessed, 400);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->intended_ns, 100);
  EXPECT_EQ(c->event_ns, 400);
  EXPECT_TRUE(c->measured);
  EXPECT_TRUE(c->held_window);
  EXPECT_EQ(t.pending(), 0u);
  TrackerTotals totals = t.Finish();
  EXPECT_EQ(totals.missing, 0u);
  EXPECT_EQ(totals.duplicates, 0u);
}

TEST(OrderTracker, EventBeforeAcceptCompletesOnAccept) {
  OrderTracker t;
  EXPECT_FALSE(t.OnTerminal(kA, OrderStatus::kFailed, 300));
  auto c = t.OnAccepted(kA, 100, 350, false, false);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->event_ns, 300);
  EXPECT_EQ(c->status, OrderStatus::kFailed);
  EXPECT_FALSE(c->measured);
  EXPECT_EQ(t.Finish().foreign_events, 0u);
}

TEST(OrderTracker, AcceptedWithoutEventIsMissing) {
  OrderTracker t;
  (void)t.OnAccepted(kA, 1, 2, true, false);
  (void)t.OnAccepted(kB, 1, 2, true, false);
  (void)t.OnTerminal(kB, OrderStatus::kProcessed, 5);
  EXPECT_EQ(t.Finish().missing, 1u);
}

TEST(OrderTracker, SecondEventAfterCompletionIsADuplicate) {
  OrderTracker t;
  (void)t.OnAccepted(kA, 1, 2, true, false);
  EXPECT_TRUE(t.OnTerminal(kA, OrderStatus::kProcessed, 5));
  EXPECT_FALSE(t.OnTerminal(kA, OrderStatus::kProcessed, 6));
  TrackerTotals totals = t.Finish();
  EXPECT_EQ(totals.duplicates, 1u);
  EXPECT_EQ(totals.foreign_events, 0u);
}

TEST(OrderTracker, TwoEventsBeforeAcceptCountOneDuplicate) {
  OrderTracker t;
  (void)t.OnTerminal(kA, OrderStatus::kProcessed, 5);
  (void)t.OnTerminal(kA, OrderStatus::kProcessed, 6);
  EXPECT_TRUE(t.OnAccepted(kA, 1, 7, true, false));
  TrackerTotals totals = t.Finish();
  EXPECT_EQ(totals.duplicates, 1u);
  EXPECT_EQ(totals.missing, 0u);
}

TEST(OrderTracker, EventsForOrdersNeverAcceptedAreForeign) {
  OrderTracker t;
  (void)t.OnTerminal(kC, OrderStatus::kProcessed, 5);
  (void)t.OnTerminal(kC, OrderStatus::kProcessed, 6);
  TrackerTotals totals = t.Finish();
  EXPECT_EQ(totals.foreign_events, 2u);
  EXPECT_EQ(totals.duplicates, 0u);
}

TEST(OrderTracker, SameIdAcceptedTwiceIsCounted) {
  OrderTracker t;
  (void)t.OnAccepted(kA, 1, 2, true, false);
  (void)t.OnAccepted(kA, 3, 4, true, false);
  EXPECT_EQ(t.Finish().duplicate_accepts, 1u);
}

TEST(OrderTracker, StaleWindowSlotsAreReleasedOnceAndOrdersStayPending) {
  OrderTracker t;
  (void)t.OnAccepted(kA, 0, 100, true, true);
  (void)t.OnAccepted(kB, 0, 200, true, true);
  (void)t.OnAccepted(kC, 0, 300, true, true);
  (void)t.OnTerminal(kA, OrderStatus::kProcessed, 150);  // A gave its slot back by completing
  EXPECT_EQ(t.ReleaseStaleWindowSlots(250), 1u);         // B is stale, C is not
  EXPECT_EQ(t.ReleaseStaleWindowSlots(250), 0u);
  auto c = t.OnTerminal(kB, OrderStatus::kProcessed, 1000);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->held_window);  // its slot is already free
  EXPECT_EQ(t.ReleaseStaleWindowSlots(10'000), 1u);  // C
  EXPECT_EQ(t.pending(), 1u);
}

}  // namespace
}  // namespace om::bench
