// BrokerCore queries (orders, lists, events, stats, timers) and the
// dead-letter commands (list, show, redrive, purge).
#include "broker/broker_core_test_fixture.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace om::broker::testing {
namespace {

// ------------------------------------------------------------------ queries

TEST_F(BrokerCoreTest, GetOrderFoundAndNotFound) {
  Start();
  std::string id = SubmitOk();
  auto order = Query<proto::Order>(proto::GetOrder{id}).order;
  EXPECT_EQ(order.order_id, id);
  EXPECT_EQ(order.status, OrderStatus::kPending);
  uint64_t missing = SendQuery(proto::GetOrder{"0190aaaa-0000-7000-8000-000000000000"});
  Turn();
  EXPECT_EQ(ErrorOf(missing), ErrorCode::kNotFound);
}

TEST_F(BrokerCoreTest, ListOrdersPagesWithoutRepeatOrGap) {
  Start();
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(SubmitOk(Order("c" + std::to_string(i))));
  std::vector<std::string> listed;
  std::string cursor;
  int pages = 0;
  do {
    auto page = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 10, cursor});
    ++pages;
    EXPECT_LE(page.orders.size(), 10u);
    for (const auto& o : page.orders) {
      EXPECT_EQ(o.status, OrderStatus::kPending);
      listed.push_back(o.order_id);
    }
    cursor = page.next_cursor;
    if (!cursor.empty()) {
      ASSERT_FALSE(page.orders.empty());
      EXPECT_EQ(cursor, page.orders.back().order_id);
    }
    ASSERT_LE(pages, 5) << "pagination does not end";
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, ids);  // every order once, in id (= submit) order
  EXPECT_TRUE(Query<proto::OrderList>(proto::ListOrders{OrderStatus::kFailed, 10, ""}).orders.empty());
}

TEST_F(BrokerCoreTest, ListOrdersWithAnExactMultipleOfTheLimitEndsCleanly) {
  Start();
  for (int i = 0; i < 20; ++i) SubmitOk();
  auto p1 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 10, ""});
  ASSERT_EQ(p1.orders.size(), 10u);
  auto p2 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 10, p1.next_cursor});
  EXPECT_EQ(p2.orders.size(), 10u);
  if (!p2.next_cursor.empty()) {
    EXPECT_TRUE(Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 10, p2.next_cursor}).orders.empty());
  }
}

// Orders out for delivery are PROCESSING in memory only; the lists come from
// the index corrected by memory, so each order shows under one status.
TEST_F(BrokerCoreTest, ListOrdersShowsOrdersOutForDeliveryUnderProcessingOnly) {
  Start();
  Ready("node-a", 2);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(SubmitOk());
  ASSERT_EQ(TakeDeliveries("node-a").size(), 2u);

  auto pending = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 10, ""});
  std::vector<std::string> listed;
  for (const auto& o : pending.orders) {
    EXPECT_EQ(o.status, OrderStatus::kPending);
    listed.push_back(o.order_id);
  }
  EXPECT_EQ(listed, (std::vector<std::string>{ids[2], ids[3], ids[4]}));
  EXPECT_TRUE(pending.next_cursor.empty());

  // Paged, with the skipped orders before the first page.
  auto p1 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 2, ""});
  ASSERT_EQ(p1.orders.size(), 2u);
  EXPECT_EQ(p1.orders[0].order_id, ids[2]);
  EXPECT_EQ(p1.next_cursor, ids[3]);
  auto p2 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kPending, 2, p1.next_cursor});
  ASSERT_EQ(p2.orders.size(), 1u);
  EXPECT_EQ(p2.orders[0].order_id, ids[4]);
  EXPECT_TRUE(p2.next_cursor.empty());

  auto q1 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kProcessing, 1, ""});
  ASSERT_EQ(q1.orders.size(), 1u);
  EXPECT_EQ(q1.orders[0].order_id, ids[0]);
  EXPECT_EQ(q1.orders[0].status, OrderStatus::kProcessing);
  EXPECT_EQ(q1.orders[0].attempts, 1u);
  EXPECT_EQ(q1.next_cursor, ids[0]);
  auto q2 = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kProcessing, 1, q1.next_cursor});
  ASSERT_EQ(q2.orders.size(), 1u);
  EXPECT_EQ(q2.orders[0].order_id, ids[1]);
  EXPECT_TRUE(q2.next_cursor.empty());

  auto stats = Query<proto::StatsReply>(proto::GetStats{false}).stats;
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kPending)], 3u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kProcessing)], 2u);
  EXPECT_EQ(stats.in_flight, 2u);
}

TEST_F(BrokerCoreTest, RetryingOrderOutForDeliveryIsListedOnlyAsProcessing) {
  Start();
  Ready("node-a", 1);
  Ready("node-b", 1);
  std::string id = SubmitOk();
  TakeOneDelivery("node-a");
  core_->OnNodeUnreachable("node-a");
  Turn();  // RETRYING (stored), then out again to b: PROCESSING in memory
  TakeOneDelivery("node-b");
  EXPECT_EQ(Stored(id).status, OrderStatus::kRetrying);
  EXPECT_TRUE(Query<proto::OrderList>(proto::ListOrders{OrderStatus::kRetrying, 10, ""}).orders.empty());
  auto processing = Query<proto::OrderList>(proto::ListOrders{OrderStatus::kProcessing, 10, ""});
  ASSERT_EQ(processing.orders.size(), 1u);
  EXPECT_EQ(processing.orders[0].order_id, id);
  EXPECT_EQ(processing.orders[0].attempts, 2u);
}

TEST_F(BrokerCoreTest, EventsSinceReturnsExactlyTheEventsAfterASeq) {
  Start();
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(SubmitOk());
  auto reply = Query<proto::Events>(proto::EventsSince{20, 1000});
  ASSERT_EQ(reply.events.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(reply.events[i].seq, 21 + i);
    EXPECT_EQ(reply.events[i].order_id, ids[20 + i]);
  }
  EXPECT_EQ(reply.first_retained_seq, 1u);
  EXPECT_EQ(reply.last_seq, 25u);
  auto limited = Query<proto::Events>(proto::EventsSince{0, 3});
  ASSERT_EQ(limited.events.size(), 3u);
  EXPECT_EQ(limited.events[2].seq, 3u);
  EXPECT_TRUE(Query<proto::Events>(proto::EventsSince{25, 100}).events.empty());
}

TEST_F(BrokerCoreTest, EventLogIsTrimmedToItsRetention) {
  opts_.event_retention = 5;
  Start();
  for (int i = 0; i < 10; ++i) SubmitOk();
  ASSERT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{1, 10}));
  clock_.Advance(10 * kSec);  // the housekeeping period
  Turn();
  EXPECT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{6, 10}));
  auto reply = Query<proto::Events>(proto::EventsSince{0, 100});
  EXPECT_EQ(reply.first_retained_seq, 6u);
  EXPECT_EQ(reply.last_seq, 10u);
  ASSERT_EQ(reply.events.size(), 5u);
  EXPECT_EQ(reply.events[0].seq, 6u);
  // Seqs go on from the last one, trimmed or not.
  SubmitOk();
  auto evs = Events();
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().seq, 11u);
}

TEST_F(BrokerCoreTest, NextTimerIsTheEarliestOfHeartbeatVisibilityAndRetry) {
  opts_.visibility_timeout_ms = 500;
  opts_.heartbeat_interval_ms = 1'000;
  opts_.retry_base_ms = 100;
  Start();
  Turn();
  const int64_t t0 = clock_.MonoMicros();
  EXPECT_EQ(core_->NextTimerMono(), t0 + 1'000 * kMs);  // the next heartbeat
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  EXPECT_EQ(core_->NextTimerMono(), t0 + 500 * kMs);  // the delivery's visibility deadline
  Result("node-a", d, AttemptEnd::kRetryableError, "x");
  Turn();
  int64_t due = Stored(id).next_attempt_us - clock_.WallMicros();
  EXPECT_EQ(core_->NextTimerMono(), t0 + due);  // the retry, at most 100 ms away
}

TEST_F(BrokerCoreTest, PublishedEventsHaveGapFreeSeqs) {
  Start();
  Ready("node-a", 2);
  std::vector<proto::Event> all;
  for (int i = 0; i < 4; ++i) {
    SubmitOk();
    for (auto& d : TakeDeliveries("node-a")) Result("node-a", d, AttemptEnd::kOk);
    Turn();
    auto evs = Events();
    all.insert(all.end(), evs.begin(), evs.end());
  }
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, i + 1);
  auto logged = store_->EventsSince(0, 1000);
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ(logged->size(), all.size());
}

TEST_F(BrokerCoreTest, StatsCountOrdersByStatus) {
  Start();
  Ready("node-a", 3);
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(SubmitOk());
  auto ds = TakeDeliveries("node-a");
  ASSERT_EQ(ds.size(), 3u);
  Result("node-a", ds[0], AttemptEnd::kOk);
  Result("node-a", ds[1], AttemptEnd::kOk);
  Result("node-a", ds[2], AttemptEnd::kTerminalError, "bad");
  Ready("node-a", 0);
  Turn();
  auto s = Query<proto::StatsReply>(proto::GetStats{true}).stats;
  ASSERT_EQ(s.orders_by_status.size(), static_cast<size_t>(proto::kNumStatuses));
  EXPECT_EQ(s.orders_by_status[static_cast<int>(OrderStatus::kProcessed)], 2u);
  EXPECT_EQ(s.orders_by_status[static_cast<int>(OrderStatus::kFailed)], 1u);
  EXPECT_EQ(s.orders_by_status[static_cast<int>(OrderStatus::kPending)], 3u);
  EXPECT_EQ(s.orders_by_status[static_cast<int>(OrderStatus::kProcessing)], 0u);
  EXPECT_EQ(s.backlog, 3u);
  EXPECT_EQ(s.accepted_total, 6u);
  EXPECT_EQ(s.last_event_seq, 6u + 3u + 3u);
  ASSERT_EQ(s.nodes.size(), 1u);
  EXPECT_EQ(s.nodes[0].node_id, "node-a");
  EXPECT_EQ(s.nodes[0].completed, 3u);
  // The counts match the store's index.
  auto counts = store_->CountByStatus();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, s.orders_by_status);
}

// ------------------------------------------------------------------ dead letters

class DeadLetterTest : public BrokerCoreTest {
 protected:
  void SetUp() override {
    opts_.max_attempts = 1;
    opts_.visibility_timeout_ms = 600'000;
    Start();
    Ready("node-a", 10);
    // Three dead letters: two retryable failures, one lost node.
    for (int i = 0; i < 2; ++i) {
      std::string id = SubmitOk(Order("r" + std::to_string(i)));
      Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kRetryableError, "flaky", "payment", "try later");
      Turn();
      retryable_.push_back(id);
    }
    Ready("node-z", 10);
    Ready("node-a", 0);
    lost_ = SubmitOk(Order("lost"));
    TakeOneDelivery("node-z");
    core_->OnNodeUnreachable("node-z");
    Ready("node-a", 10);
    Turn();
    for (const auto& id : retryable_) ASSERT_EQ(StatusOf(id), OrderStatus::kDeadLettered);
    ASSERT_EQ(StatusOf(lost_), OrderStatus::kDeadLettered);
    TakeFront();
    Events();
  }
  std::vector<std::string> retryable_;
  std::string lost_;
};

TEST_F(DeadLetterTest, ListAndFilterByReason) {
  auto all = Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""});
  EXPECT_EQ(all.entries.size(), 3u);
  auto lost = Query<proto::DlqListReply>(proto::DlqList{{"", "node_lost", 0, 0}, 50, ""});
  ASSERT_EQ(lost.entries.size(), 1u);
  EXPECT_EQ(lost.entries[0].order_id, lost_);
  EXPECT_EQ(lost.entries[0].reason, "node_lost");
  EXPECT_EQ(lost.entries[0].attempts, 1u);
  auto flaky = Query<proto::DlqListReply>(proto::DlqList{{"", "retryable_error", 0, 0}, 50, ""});
  ASSERT_EQ(flaky.entries.size(), 2u);
  // Paged one at a time.
  auto p1 = Query<proto::DlqListReply>(proto::DlqList{{"", "retryable_error", 0, 0}, 1, ""});
  ASSERT_EQ(p1.entries.size(), 1u);
  ASSERT_FALSE(p1.next_cursor.empty());
  auto p2 = Query<proto::DlqListReply>(proto::DlqList{{"", "retryable_error", 0, 0}, 1, p1.next_cursor});
  ASSERT_EQ(p2.entries.size(), 1u);
  EXPECT_NE(p2.entries[0].order_id, p1.entries[0].order_id);
}

TEST_F(DeadLetterTest, ShowHasTheRecordAndItsAttempts) {
  auto entry = Query<proto::DlqEntry>(proto::DlqShow{retryable_[0]});
  EXPECT_EQ(entry.entry.order_id, retryable_[0]);
  EXPECT_EQ(entry.entry.reason, "retryable_error");
  EXPECT_EQ(entry.order.status, OrderStatus::kDeadLettered);
  ASSERT_EQ(entry.order.attempt_log.size(), 1u);
  EXPECT_EQ(entry.order.attempt_log[0].node_id, "node-a");
  EXPECT_EQ(entry.order.attempt_log[0].step, "payment");
  EXPECT_EQ(entry.order.attempt_log[0].error_code, "flaky");
  uint64_t missing = SendQuery(proto::DlqShow{"nope"});
  Turn();
  EXPECT_EQ(ErrorOf(missing), ErrorCode::kNotFound);
}

TEST_F(DeadLetterTest, RedriveOneThenProcessIt) {
  const std::string id = retryable_[0];
  Ready("node-a", 0);  // hold the redriven order to look at it
  auto count = Query<proto::DlqCount>(proto::DlqRedrive{{id, "", 0, 0}, 1000});
  EXPECT_EQ(count.count, 1u);
  EXPECT_EQ(count.remaining, 0u);
  proto::OrderRecord rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kPending);
  EXPECT_EQ(rec.attempts, 0u);
  EXPECT_EQ(rec.redrives, 1u);
  EXPECT_TRUE(rec.reason.empty());
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kPending});
  EXPECT_EQ(store_->GetDeadLetter(id).status().code(), Code::kNotFound);
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].status, OrderStatus::kPending);
  EXPECT_EQ(evs[0].reason, "redriven");

  Ready("node-a", 1);
  Turn();
  Delivery d = TakeOneDelivery("node-a");
  EXPECT_EQ(d.order_id(), id);
  EXPECT_EQ(d.msg.attempt, 1u);  // a fresh budget of attempts
  Result("node-a", d, AttemptEnd::kOk);
  Turn();
  rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessed);
  EXPECT_EQ(rec.redrives, 1u);
  EXPECT_EQ(Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""}).entries.size(), 2u);

  uint64_t unknown = SendQuery(proto::DlqRedrive{{id, "", 0, 0}, 1000});
  Turn();
  EXPECT_EQ(ErrorOf(unknown), ErrorCode::kNotFound);
}

TEST_F(DeadLetterTest, RedriveWithAFilter) {
  Ready("node-a", 0);
  auto count = Query<proto::DlqCount>(proto::DlqRedrive{{"", "retryable_error", 0, 0}, 1000});
  EXPECT_EQ(count.count, 2u);
  for (const auto& id : retryable_) EXPECT_EQ(StatusOf(id), OrderStatus::kPending);
  EXPECT_EQ(StatusOf(lost_), OrderStatus::kDeadLettered);
  auto left = Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""});
  ASSERT_EQ(left.entries.size(), 1u);
  EXPECT_EQ(left.entries[0].order_id, lost_);
}

TEST_F(DeadLetterTest, RedriveHonoursItsLimit) {
  Ready("node-a", 0);
  auto count = Query<proto::DlqCount>(proto::DlqRedrive{{}, 2});
  EXPECT_EQ(count.count, 2u);
  EXPECT_EQ(count.remaining, 1u);
  EXPECT_EQ(Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""}).entries.size(), 1u);
  EXPECT_EQ(core_->live_orders(), 2u);
}

TEST_F(DeadLetterTest, RedriveIsCappedByBatchMaxAndBacklogRoom) {
  Ready("node-a", 0);
  opts_.redrive_batch_max = 1;  // the core reads its options by reference
  auto one = Query<proto::DlqCount>(proto::DlqRedrive{{}, 1000});
  EXPECT_EQ(one.count, 1u);
  EXPECT_EQ(one.remaining, 2u);
  opts_.redrive_batch_max = 10'000;
  opts_.max_backlog = 2;  // one order is live: room for one more
  auto room = Query<proto::DlqCount>(proto::DlqRedrive{{}, 1000});
  EXPECT_EQ(room.count, 1u);
  EXPECT_EQ(room.remaining, 1u);
  EXPECT_EQ(core_->live_orders(), 2u);
  auto none = Query<proto::DlqCount>(proto::DlqRedrive{{}, 1000});
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.remaining, 1u);
  EXPECT_EQ(Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""}).entries.size(), 1u);
}

TEST_F(DeadLetterTest, PurgeDeletesTheRecordsOnly) {
  auto purged = Query<proto::DlqCount>(proto::DlqPurge{{"", "retryable_error", 0, 0}, 1000});
  EXPECT_EQ(purged.count, 2u);
  auto left = Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""});
  ASSERT_EQ(left.entries.size(), 1u);
  EXPECT_EQ(left.entries[0].order_id, lost_);
  for (const auto& id : retryable_) {
    EXPECT_EQ(store_->GetDeadLetter(id).status().code(), Code::kNotFound);
    EXPECT_EQ(StatusOf(id), OrderStatus::kDeadLettered);  // the order itself stays
  }
  auto rest = Query<proto::DlqCount>(proto::DlqPurge{{}, 1000});
  EXPECT_EQ(rest.count, 1u);
  EXPECT_TRUE(Query<proto::DlqListReply>(proto::DlqList{{}, 50, ""}).entries.empty());
}

}  // namespace
}  // namespace om::broker::testing
