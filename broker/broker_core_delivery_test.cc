// BrokerCore delivery: submit, dispatch by credit, results, retries and
// visibility timeouts, and node liveness.
#include "broker/broker_core_test_fixture.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace om::broker::testing {
namespace {

// ------------------------------------------------------------------ submit

TEST_F(BrokerCoreTest, SubmitIsAcceptedOnlyAfterCommit) {
  Start();
  uint64_t id = SendSubmit(Order());
  core_->OnTick();
  core_->Dispatch();
  EXPECT_TRUE(core_->outbox().front.empty()) << "a reply left before the batch was durable";
  EXPECT_TRUE(core_->outbox().pub.empty()) << "an event left before the batch was durable";
  EXPECT_TRUE(Indexed(OrderStatus::kPending).empty()) << "staged writes are not yet in the store";

  ASSERT_TRUE(core_->Commit().ok());
  auto replies = TakeFront();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].to, "client-1");
  EXPECT_EQ(replies[0].id, id);
  auto* acc = std::get_if<proto::Accepted>(&replies[0].msg);
  ASSERT_NE(acc, nullptr);
  EXPECT_FALSE(acc->duplicate);
  EXPECT_TRUE(IsCanonicalUuid(acc->order_id)) << acc->order_id;

  proto::OrderRecord rec = Stored(acc->order_id);
  EXPECT_EQ(rec.status, OrderStatus::kPending);
  EXPECT_EQ(rec.attempts, 0u);
  EXPECT_EQ(rec.request.customer_id, "c1");
  EXPECT_EQ(rec.created_us, clock_.WallMicros());
  EXPECT_EQ(IndexEntriesOf(acc->order_id), std::vector<OrderStatus>{OrderStatus::kPending});

  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].seq, 1u);
  EXPECT_EQ(evs[0].order_id, acc->order_id);
  EXPECT_EQ(evs[0].status, OrderStatus::kPending);
  EXPECT_EQ(core_->outbox().pub.size(), 0u);
  auto logged = store_->EventsSince(0, 10);
  ASSERT_TRUE(logged.ok());
  ASSERT_EQ(logged->size(), 1u);
  EXPECT_EQ((*logged)[0].seq, 1u);
  EXPECT_EQ(core_->counters().accepted, 1u);
}

TEST_F(BrokerCoreTest, SubmitIsDurableWithSyncedStore) {
  Start(Durability::kSync);
  std::string id = SubmitOk();
  EXPECT_EQ(store_->durability(), Durability::kSync);
  Start(Durability::kSync);  // reopen: the accepted order is there, and queued again
  EXPECT_EQ(StatusOf(id), OrderStatus::kPending);
  EXPECT_EQ(core_->live_orders(), 1u);
  Ready("node-a", 1);
  Turn();
  EXPECT_EQ(TakeOneDelivery("node-a").order_id(), id);
}

// ------------------------------------------------------------------ dispatch

TEST_F(BrokerCoreTest, DispatchesByCreditAndNeverBeyondIt) {
  Start();
  Ready("node-a", 2);
  Ready("node-b", 1);
  for (int i = 0; i < 10; ++i) SendSubmit(Order());
  Turn();
  TakeFront();
  auto a = TakeDeliveries("node-a");
  auto b = TakeDeliveries("node-b");
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 1u);

  Turn();
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  EXPECT_TRUE(TakeDeliveries("node-b").empty());

  ASSERT_FALSE(a.empty());
  Result("node-a", a[0], AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(TakeDeliveries("node-a").size(), 1u);
  EXPECT_TRUE(TakeDeliveries("node-b").empty());
  auto stats = Query<proto::StatsReply>(proto::GetStats{true}).stats;
  EXPECT_EQ(stats.in_flight, 3u);
  EXPECT_EQ(stats.backlog, 6u);
}

TEST_F(BrokerCoreTest, NodeWithZeroCreditGetsNothing) {
  Start();
  Ready("node-a", 0);
  SubmitOk();
  Turn();
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  Ready("node-a", 1);  // credit offered later
  Turn();
  EXPECT_EQ(TakeDeliveries("node-a").size(), 1u);
}

TEST_F(BrokerCoreTest, ChoosesTheNodeWithTheMostFreeCredit) {
  Start();
  Ready("node-a", 1);
  Ready("node-b", 3);
  Ready("node-c", 2);
  SubmitOk();
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  EXPECT_EQ(TakeDeliveries("node-b").size(), 1u);
  EXPECT_TRUE(TakeDeliveries("node-c").empty());
  // b has 2 free, c has 2 free, a has 1: two more go to b and c, none to a.
  SendSubmit(Order());
  SendSubmit(Order());
  Turn();
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  EXPECT_EQ(TakeDeliveries("node-b").size(), 1u);
  EXPECT_EQ(TakeDeliveries("node-c").size(), 1u);
}

// ------------------------------------------------------------------ results

TEST_F(BrokerCoreTest, OkResultMakesTheOrderProcessed) {
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  EXPECT_EQ(d.order_id(), id);
  EXPECT_EQ(d.msg.attempt, 1u);
  EXPECT_EQ(d.msg.order.customer_id, "c1");
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  auto delivered = Events();
  ASSERT_FALSE(delivered.empty());
  EXPECT_EQ(delivered.back().status, OrderStatus::kProcessing);
  EXPECT_EQ(delivered.back().node_id, "node-a");
  // PROCESSING lives in memory only: the store still holds the PENDING record.
  EXPECT_EQ(Stored(id).status, OrderStatus::kPending);
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kPending});

  Result("node-a", d, AttemptEnd::kOk);
  Turn();
  proto::OrderRecord rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessed);
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kProcessed});
  EXPECT_EQ(HistoryStatuses(rec),
            (std::vector<OrderStatus>{OrderStatus::kPending, OrderStatus::kProcessing, OrderStatus::kProcessed}));
  ASSERT_EQ(rec.attempt_log.size(), 1u);
  EXPECT_EQ(rec.attempt_log[0].end, AttemptEnd::kOk);
  EXPECT_EQ(rec.attempt_log[0].node_id, "node-a");
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].status, OrderStatus::kProcessed);
  EXPECT_EQ(evs[0].order_id, id);
  EXPECT_EQ(evs[0].seq, 3u);
  EXPECT_EQ(core_->live_orders(), 0u);
}

TEST_F(BrokerCoreTest, TerminalErrorFailsWithTheErrorCodeAndNoRetry) {
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  Result("node-a", d, AttemptEnd::kTerminalError, "payment_declined", "payment", "card declined");
  Turn();
  proto::OrderRecord rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kFailed);
  EXPECT_EQ(rec.reason, "payment_declined");
  EXPECT_EQ(rec.attempts, 1u);
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kFailed});
  ASSERT_EQ(rec.attempt_log.size(), 1u);
  EXPECT_EQ(rec.attempt_log[0].step, "payment");
  EXPECT_EQ(rec.attempt_log[0].error_code, "payment_declined");
  EXPECT_EQ(rec.attempt_log[0].error_message, "card declined");

  AdvanceKeepingAlive(5 * kSec, {"node-a"});
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  EXPECT_EQ(StatusOf(id), OrderStatus::kFailed);
  EXPECT_EQ(core_->counters().retries, 0u);
}

TEST_F(BrokerCoreTest, RetryableErrorIsRedeliveredOnlyAfterTheBackoff) {
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d1 = TakeOneDelivery("node-a");
  EXPECT_EQ(d1.msg.attempt, 1u);
  Events();

  Result("node-a", d1, AttemptEnd::kRetryableError, "gateway_timeout", "payment");
  Turn();
  proto::OrderRecord rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kRetrying);
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kRetrying});
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].status, OrderStatus::kRetrying);
  EXPECT_EQ(evs[0].reason, "retryable_error");

  int64_t delay = rec.next_attempt_us - clock_.WallMicros();
  EXPECT_GE(delay, 0);
  EXPECT_LE(delay, opts_.retry_base_ms * kMs);  // first retry: ceiling = base
  if (delay > 0) {
    clock_.Advance(delay - 1);
    Turn();
    EXPECT_TRUE(TakeDeliveries("node-a").empty()) << "redelivered before the backoff";
    clock_.Advance(1);
  }
  Turn();
  Delivery d2 = TakeOneDelivery("node-a");
  EXPECT_EQ(d2.order_id(), id);
  EXPECT_EQ(d2.msg.attempt, 2u);
  EXPECT_NE(d2.delivery_id, d1.delivery_id);
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);

  Result("node-a", d2, AttemptEnd::kOk);
  Turn();
  rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessed);
  EXPECT_EQ(rec.attempts, 2u);
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kProcessed});
  EXPECT_EQ(core_->counters().retries, 1u);
}

TEST_F(BrokerCoreTest, RetryBackoffDoesNotFireBeforeItsTimeEvenWithManyTicks) {
  opts_.retry_base_ms = 60'000;  // a long ceiling: the drawn delay is almost surely > 1 s
  opts_.retry_cap_ms = 60'000;
  opts_.visibility_timeout_ms = 600'000;
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kRetryableError, "x");
  Turn();
  int64_t delay = Rec(id).next_attempt_us - clock_.WallMicros();
  ASSERT_GT(delay, 2 * kSec) << "unlucky draw; the seed is fixed so this is deterministic";
  AdvanceKeepingAlive(delay - kSec, {"node-a"});
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  EXPECT_EQ(StatusOf(id), OrderStatus::kRetrying);
  AdvanceKeepingAlive(kSec, {"node-a"});
  EXPECT_EQ(TakeDeliveries("node-a").size(), 1u);
}

TEST_F(BrokerCoreTest, GivesUpAfterMaxAttemptsIntoTheDeadLetterStore) {
  opts_.max_attempts = 3;
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  for (uint32_t attempt = 1; attempt <= 3; ++attempt) {
    Delivery d = TakeOneDelivery("node-a");
    ASSERT_EQ(d.msg.attempt, attempt);
    Result("node-a", d, AttemptEnd::kRetryableError, "err_" + std::to_string(attempt), "step_" + std::to_string(attempt),
           "message " + std::to_string(attempt));
    Turn();
    clock_.Advance(opts_.retry_cap_ms * kMs);
    Heartbeat("node-a");
    Turn();
  }
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  proto::OrderRecord rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kDeadLettered);
  EXPECT_EQ(rec.attempts, 3u);
  EXPECT_EQ(rec.reason, "retryable_error");
  EXPECT_EQ(IndexEntriesOf(id), std::vector<OrderStatus>{OrderStatus::kDeadLettered});
  auto dl = store_->GetDeadLetter(id);
  ASSERT_TRUE(dl.ok()) << dl.status().ToString();
  EXPECT_EQ(dl->reason, "retryable_error");
  EXPECT_EQ(dl->attempts, 3u);
  ASSERT_EQ(rec.attempt_log.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    const auto& a = rec.attempt_log[i];
    EXPECT_EQ(a.attempt, i + 1);
    EXPECT_EQ(a.node_id, "node-a");
    EXPECT_EQ(a.end, AttemptEnd::kRetryableError);
    EXPECT_EQ(a.step, "step_" + std::to_string(i + 1));
    EXPECT_EQ(a.error_code, "err_" + std::to_string(i + 1));
    EXPECT_EQ(a.error_message, "message " + std::to_string(i + 1));
    EXPECT_EQ(a.duration_us, 1234);
  }
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kDeadLettered), 1);
  EXPECT_EQ(core_->live_orders(), 0u);
}

TEST_F(BrokerCoreTest, TimedOutDeliveryHoldsItsSlotUntilTheLateResult) {
  opts_.visibility_timeout_ms = 2'000;
  Start();
  Ready("node-a", 1);
  std::string first = SubmitOk();
  Delivery d1 = TakeOneDelivery("node-a");
  clock_.Advance(opts_.visibility_timeout_ms * kMs);
  Heartbeat("node-a");
  Turn();
  EXPECT_EQ(StatusOf(first), OrderStatus::kRetrying);

  // The node may still be working on it: nothing more is sent to it.
  std::string second = SubmitOk();
  clock_.Advance(opts_.retry_cap_ms * kMs);
  Heartbeat("node-a");
  Turn();
  EXPECT_TRUE(TakeDeliveries("node-a").empty());

  // Its late result frees the slot (and is otherwise ignored).
  Result("node-a", d1, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(core_->counters().late_results, 1u);
  EXPECT_EQ(TakeDeliveries("node-a").size(), 1u);
}

TEST_F(BrokerCoreTest, VisibilityTimeoutRetriesAndTheLateResultIsIgnored) {
  opts_.visibility_timeout_ms = 2'000;  // shorter than heartbeat liveness (3 s)
  Start();
  Ready("node-a", 2);  // room for the retry while the timed-out delivery holds a slot
  std::string id = SubmitOk();
  Delivery d1 = TakeOneDelivery("node-a");

  clock_.Advance(opts_.visibility_timeout_ms * kMs - 1);
  Heartbeat("node-a");
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  clock_.Advance(1);
  Heartbeat("node-a");
  Turn();
  proto::OrderRecord rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kRetrying);
  ASSERT_EQ(rec.attempt_log.size(), 1u);
  EXPECT_EQ(rec.attempt_log[0].end, AttemptEnd::kVisibilityTimeout);
  EXPECT_EQ(core_->node_count(), 1u);

  clock_.Advance(opts_.retry_base_ms * kMs);  // first backoff ceiling
  Heartbeat("node-a");
  Turn();
  Delivery d2 = TakeOneDelivery("node-a");
  EXPECT_EQ(d2.order_id(), id);
  EXPECT_EQ(d2.msg.attempt, 2u);
  Events();

  // The slow node finally answers the timed-out delivery: ignored.
  Result("node-a", d1, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(core_->counters().late_results, 1u);

  Result("node-a", d2, AttemptEnd::kOk);
  Turn();
  Result("node-a", d1, AttemptEnd::kTerminalError, "late");  // after the end, still ignored
  Turn();
  rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessed);
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kProcessed), 1);
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kFailed), 0);
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].status, OrderStatus::kProcessed);
  auto stats = Query<proto::StatsReply>(proto::GetStats{false}).stats;
  EXPECT_EQ(stats.late_results_total, 2u);
}

TEST_F(BrokerCoreTest, DuplicateResultIsIgnoredAndCounted) {
  Start();
  Ready("node-a", 2);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  Result("node-a", d, AttemptEnd::kOk);
  Result("node-a", d, AttemptEnd::kOk);  // same turn
  Turn();
  Result("node-a", d, AttemptEnd::kRetryableError, "again");  // next turn
  Turn();
  proto::OrderRecord rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessed);
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kProcessed), 1);
  EXPECT_EQ(rec.attempt_log.size(), 1u);
  EXPECT_EQ(EventsOf(Events(), id).back().status, OrderStatus::kProcessed);
  EXPECT_EQ(core_->counters().late_results, 2u);
}

TEST_F(BrokerCoreTest, ResultWithAnotherOrdersIdIsIgnored) {
  Start();
  Ready("node-a", 2);
  std::string a = SubmitOk();
  std::string b = SubmitOk();
  auto ds = TakeDeliveries("node-a");
  ASSERT_EQ(ds.size(), 2u);
  Delivery forged = ds[0];
  forged.msg.order_id = ds[1].order_id();  // delivery id of one order, order id of the other
  Result("node-a", forged, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(a), OrderStatus::kProcessing);
  EXPECT_EQ(StatusOf(b), OrderStatus::kProcessing);
  EXPECT_EQ(core_->counters().late_results, 1u);
}

// ------------------------------------------------------------------ nodes

TEST_F(BrokerCoreTest, NodeMissingHeartbeatsIsDroppedAndItsOrdersGoToAnotherNode) {
  opts_.visibility_timeout_ms = 600'000;
  Start();
  Ready("node-a", 1);
  Ready("node-b", 1);
  std::string id = SubmitOk();
  // A tie in free credit: the first node by routing id.
  Delivery da = TakeOneDelivery("node-a");
  EXPECT_EQ(da.order_id(), id);
  EXPECT_TRUE(TakeDeliveries("node-b").empty());

  const int64_t liveness = opts_.heartbeat_interval_ms * kMs * opts_.heartbeat_liveness;
  AdvanceKeepingAlive(liveness, {"node-b"});  // exactly at the limit: still alive
  EXPECT_EQ(core_->node_count(), 2u);
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  EXPECT_TRUE(TakeDeliveries("node-b").empty());

  clock_.Advance(1);
  Heartbeat("node-b");
  Turn();  // a is dropped; its order retried at once, on b, in the same turn
  EXPECT_EQ(core_->node_count(), 1u);
  EXPECT_EQ(core_->counters().nodes_lost, 1u);
  Delivery db = TakeOneDelivery("node-b");
  EXPECT_EQ(db.order_id(), id);
  EXPECT_EQ(db.msg.attempt, 2u);  // the lost attempt counts
  proto::OrderRecord rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessing);
  ASSERT_EQ(rec.attempt_log.size(), 2u);
  EXPECT_EQ(rec.attempt_log[0].end, AttemptEnd::kNodeLost);
  EXPECT_EQ(rec.attempt_log[0].node_id, "node-a");
  EXPECT_EQ(rec.attempt_log[1].node_id, "node-b");
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kRetrying), 1);

  // The dropped node's result comes too late.
  Result("node-a", da, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  EXPECT_EQ(core_->counters().late_results, 1u);
  Result("node-b", db, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessed);
}

TEST_F(BrokerCoreTest, HeartbeatsKeepANodeAliveAndTheBrokerHeartbeatsToo) {
  Start();
  Ready("node-a", 1);
  Turn();
  auto first = TakeBack("node-a");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<proto::Heartbeat>(first[0].msg));
  AdvanceKeepingAlive(20 * kSec, {"node-a"});
  EXPECT_EQ(core_->node_count(), 1u);
  EXPECT_EQ(core_->counters().nodes_lost, 0u);
  size_t heartbeats = 0;
  for (auto& m : TakeBack("node-a")) heartbeats += std::holds_alternative<proto::Heartbeat>(m.msg);
  EXPECT_EQ(heartbeats, 20u);  // one per interval
}

TEST_F(BrokerCoreTest, DisconnectRequeuesAtOnce) {
  Start();
  Ready("node-a", 1);
  Ready("node-b", 1);
  std::string id = SubmitOk();
  TakeOneDelivery("node-a");
  core_->OnBackFrame("node-a", proto::Encode(0, proto::Disconnect{"node-a"}));
  Turn();
  EXPECT_EQ(core_->node_count(), 1u);
  EXPECT_EQ(TakeOneDelivery("node-b").order_id(), id);
}

TEST_F(BrokerCoreTest, UnreachableNodeIsLost) {
  Start();
  Ready("node-a", 1);
  Ready("node-b", 1);
  std::string id = SubmitOk();
  TakeOneDelivery("node-a");
  core_->OnNodeUnreachable("node-a");
  Turn();
  EXPECT_EQ(core_->counters().nodes_lost, 1u);
  EXPECT_EQ(TakeOneDelivery("node-b").order_id(), id);
}

TEST_F(BrokerCoreTest, ReleasedResultRequeuesWithoutCountingTheAttempt) {
  opts_.max_attempts = 1;  // a counted release would dead-letter the order
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  EXPECT_EQ(d.msg.attempt, 1u);
  // Draining: hands the order back and takes no more.
  Ready("node-a", 0);
  Result("node-a", d, AttemptEnd::kReleased);
  Ready("node-b", 1);
  Turn();
  Delivery again = TakeOneDelivery("node-b");
  EXPECT_EQ(again.order_id(), id);
  EXPECT_EQ(again.msg.attempt, 1u);
  EXPECT_TRUE(TakeDeliveries("node-a").empty());
  proto::OrderRecord rec = Rec(id);
  EXPECT_EQ(rec.status, OrderStatus::kProcessing);
  EXPECT_EQ(rec.attempts, 1u);
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kPending), 2);  // accepted, released
  EXPECT_EQ(CountInHistory(rec, OrderStatus::kRetrying), 0);
  ASSERT_EQ(rec.attempt_log.size(), 2u);
  EXPECT_EQ(rec.attempt_log[0].end, AttemptEnd::kReleased);
  EXPECT_EQ(core_->counters().retries, 0u);
  Result("node-b", again, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessed);
}

TEST_F(BrokerCoreTest, HeartbeatFromAnUnknownNodeAsksItToReconnect) {
  Start();
  Heartbeat("node-x");
  EXPECT_TRUE(core_->outbox().back.empty()) << "staged until the commit";
  Turn();
  auto msgs = TakeBack("node-x");
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<proto::Reconnect>(msgs[0].msg));
  EXPECT_EQ(core_->node_count(), 0u);
  // After READY it is known: a heartbeat gets no Reconnect.
  Ready("node-x", 1);
  Turn();
  TakeBack("node-x");
  Heartbeat("node-x");
  Turn();
  for (auto& m : TakeBack("node-x")) EXPECT_FALSE(std::holds_alternative<proto::Reconnect>(m.msg));
}

}  // namespace
}  // namespace om::broker::testing
