// BrokerCore across restarts and at its edges: recovery after a crash,
// idempotency keys, backlog and drain limits, and bad input.
#include "broker/broker_core_test_fixture.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace om::broker::testing {
namespace {

// ------------------------------------------------------------------ recovery

// A broker crash: orders PENDING, RETRYING and out for delivery (PROCESSING,
// in memory only: stored as PENDING or RETRYING) come back; terminal ones do
// not; uncommitted work is lost; event seqs continue.
TEST_F(BrokerCoreTest, RecoveryRequeuesEveryNonTerminalOrderAndContinuesTheEventSeq) {
  opts_.retry_base_ms = 60'000;  // the retried order stays RETRYING until the crash
  opts_.retry_cap_ms = 60'000;
  opts_.visibility_timeout_ms = 600'000;
  opts_.heartbeat_interval_ms = 600'000;
  Start(Durability::kSync);
  Ready("node-a", 2);
  std::string done = SubmitOk(Order("done"));
  Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kOk);
  std::string failed = SubmitOk(Order("failed"));
  Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kTerminalError, "nope");
  Turn();
  std::string retrying = SubmitOk(Order("retrying"));
  Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kRetryableError, "later");
  Turn();
  // Out for delivery after a lost node: stored RETRYING with one counted attempt.
  std::string redelivered = SubmitOk(Order("redelivered"));
  TakeOneDelivery("node-a");
  Ready("node-b", 1);
  core_->OnNodeUnreachable("node-a");
  Turn();
  ASSERT_EQ(TakeOneDelivery("node-b").order_id(), redelivered);
  // Out for delivery, first attempt: stored PENDING.
  Ready("node-c", 1);
  std::string processing = SubmitOk(Order("processing"));
  Delivery in_hand = TakeOneDelivery("node-c");
  ASSERT_EQ(in_hand.order_id(), processing);
  std::string pending = SubmitOk(Order("pending"));  // no credit left anywhere

  ASSERT_EQ(StatusOf(done), OrderStatus::kProcessed);
  ASSERT_EQ(StatusOf(failed), OrderStatus::kFailed);
  ASSERT_EQ(StatusOf(retrying), OrderStatus::kRetrying);
  ASSERT_EQ(StatusOf(redelivered), OrderStatus::kProcessing);
  ASSERT_EQ(StatusOf(processing), OrderStatus::kProcessing);
  ASSERT_EQ(StatusOf(pending), OrderStatus::kPending);
  const int64_t retry_due = Rec(retrying).next_attempt_us;
  ASSERT_GT(retry_due - clock_.WallMicros(), 2 * kSec) << "the seed is fixed: this draw is deterministic";
  const uint64_t last_seq = store_->EventRange().second;
  // 6 accepted, 5 delivered, 3 results, 1 node lost, 1 redelivered.
  EXPECT_EQ(last_seq, 16u);
  Events();

  // Work of the turn the crash interrupts is lost.
  Result("node-c", in_hand, AttemptEnd::kOk);
  core_.reset();  // crash: no Commit

  clock_.Advance(kSec);
  Start(Durability::kSync);
  EXPECT_EQ(core_->live_orders(), 4u);
  ASSERT_TRUE(core_->Commit().ok());  // recovery's own batch, as BrokerServer does
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(StatusOf(processing), OrderStatus::kPending);
  EXPECT_EQ(StatusOf(redelivered), OrderStatus::kRetrying);
  EXPECT_EQ(StatusOf(retrying), OrderStatus::kRetrying);
  EXPECT_EQ(StatusOf(pending), OrderStatus::kPending);

  Ready("node-d", 10);
  Turn();
  std::map<std::string, Delivery> got;
  for (auto& d : TakeDeliveries("node-d")) got[d.order_id()] = d;
  EXPECT_EQ(got.size(), 3u);
  ASSERT_EQ(got.count(pending), 1u);
  ASSERT_EQ(got.count(processing), 1u);
  ASSERT_EQ(got.count(redelivered), 1u);
  EXPECT_EQ(got[pending].msg.attempt, 1u);
  // The attempt in flight at the crash was never stored: it is not counted.
  EXPECT_EQ(got[processing].msg.attempt, 1u);
  EXPECT_EQ(got[redelivered].msg.attempt, 2u);
  auto evs = Events();
  ASSERT_EQ(evs.size(), 3u);
  for (size_t i = 0; i < evs.size(); ++i) {
    EXPECT_EQ(evs[i].seq, last_seq + 1 + i);
    EXPECT_EQ(evs[i].status, OrderStatus::kProcessing);
  }
  auto logged = store_->EventsSince(last_seq, 100);
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ(logged->size(), 3u);

  // The retrying order waits for its due time (wall time, kept across the restart).
  AdvanceKeepingAlive(retry_due - clock_.WallMicros() - 1, {"node-d"});
  EXPECT_TRUE(TakeDeliveries("node-d").empty());
  clock_.Advance(1);
  Turn();
  Delivery late = TakeOneDelivery("node-d");
  EXPECT_EQ(late.order_id(), retrying);
  EXPECT_EQ(late.msg.attempt, 2u);

  // Terminal orders are as they were.
  EXPECT_EQ(StatusOf(done), OrderStatus::kProcessed);
  EXPECT_EQ(StatusOf(failed), OrderStatus::kFailed);
  EXPECT_EQ(CountInHistory(Rec(done), OrderStatus::kProcessed), 1);
  EXPECT_EQ(CountInHistory(Rec(failed), OrderStatus::kFailed), 1);

  auto stats = Query<proto::StatsReply>(proto::GetStats{false}).stats;
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kProcessed)], 1u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kFailed)], 1u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kProcessing)], 4u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kPending)], 0u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kRetrying)], 0u);
  EXPECT_EQ(stats.last_event_seq, last_seq + 4);
}

// A store written by a broker that persisted PROCESSING: such an order comes
// back as a lost attempt, counted, or dead-lettered when it was the last.
class LegacyRecoveryTest : public BrokerCoreTest {
 protected:
  // Writes an order PROCESSING (attempt 1 on old-node) and its event seq 7.
  proto::OrderRecord WriteProcessingOrder() {
    proto::OrderRecord rec;
    rec.order_id = "0190aaaa-0000-7000-8000-000000000001";
    rec.request = Order("legacy");
    rec.status = OrderStatus::kProcessing;
    rec.attempts = 1;
    rec.history.push_back({clock_.WallMicros(), OrderStatus::kPending, 0, "", "accepted"});
    rec.history.push_back({clock_.WallMicros(), OrderStatus::kProcessing, 1, "old-node", "delivered"});
    rec.attempt_log.push_back({1, "old-node", clock_.WallMicros(), 0, AttemptEnd::kInProgress, "", "", "", {}});
    StoreBatch b = store_->NewBatch();
    b.PutOrder(rec, std::nullopt);
    b.PutEvent({7, clock_.WallMicros(), rec.order_id, OrderStatus::kProcessing, 1, "old-node", "delivered", "", "", ""});
    EXPECT_TRUE(store_->Commit(b).ok());
    return rec;
  }
};

TEST_F(LegacyRecoveryTest, StoredProcessingOrderIsALostAttempt) {
  Start();
  core_.reset();
  proto::OrderRecord rec = WriteProcessingOrder();
  Start();
  ASSERT_TRUE(core_->Commit().ok());
  auto evs = Events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].seq, 8u);
  EXPECT_EQ(evs[0].status, OrderStatus::kRetrying);
  proto::OrderRecord stored = Stored(rec.order_id);
  EXPECT_EQ(stored.status, OrderStatus::kRetrying);
  EXPECT_EQ(IndexEntriesOf(rec.order_id), std::vector<OrderStatus>{OrderStatus::kRetrying});
  ASSERT_EQ(stored.attempt_log.size(), 1u);
  EXPECT_EQ(stored.attempt_log[0].end, AttemptEnd::kNodeLost);
  EXPECT_EQ(stored.attempt_log[0].error_message, "broker restarted");
  Ready("node-a", 1);
  Turn();
  Delivery d = TakeOneDelivery("node-a");
  EXPECT_EQ(d.order_id(), rec.order_id);
  EXPECT_EQ(d.msg.attempt, 2u);
  auto stats = Query<proto::StatsReply>(proto::GetStats{false}).stats;
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kProcessing)], 1u);
  EXPECT_EQ(stats.orders_by_status[static_cast<int>(OrderStatus::kRetrying)], 0u);
}

TEST_F(LegacyRecoveryTest, StoredProcessingOrderWithNoAttemptsLeftIsDeadLettered) {
  opts_.max_attempts = 1;
  Start();
  core_.reset();
  proto::OrderRecord rec = WriteProcessingOrder();
  Start();
  ASSERT_TRUE(core_->Commit().ok());
  EXPECT_EQ(Stored(rec.order_id).status, OrderStatus::kDeadLettered);
  EXPECT_EQ(IndexEntriesOf(rec.order_id), std::vector<OrderStatus>{OrderStatus::kDeadLettered});
  auto dl = store_->GetDeadLetter(rec.order_id);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->reason, "node_lost");
  EXPECT_EQ(core_->live_orders(), 0u);
}

// ------------------------------------------------------------------ idempotency

TEST_F(BrokerCoreTest, SameKeySameRequestIsTheSameOrder) {
  Start();
  std::string first = SubmitOk(Order("c1", "key-1"));
  uint64_t again = SendSubmit(Order("c1", "key-1"));
  Turn();
  auto acc = ReplyAs<proto::Accepted>(again);
  EXPECT_EQ(acc.order_id, first);
  EXPECT_TRUE(acc.duplicate);
  EXPECT_EQ(core_->live_orders(), 1u);
  EXPECT_EQ(core_->counters().accepted, 1u);
  // Survives a restart too: the key is in the store.
  Start();
  uint64_t after_restart = SendSubmit(Order("c1", "key-1"));
  Turn();
  EXPECT_EQ(ReplyAs<proto::Accepted>(after_restart).order_id, first);
}

TEST_F(BrokerCoreTest, SameKeyDifferentRequestIsAMismatch) {
  Start();
  std::string first = SubmitOk(Order("c1", "key-1"));
  uint64_t other_customer = SendSubmit(Order("c2", "key-1"));
  proto::OrderRequest more = Order("c1", "key-1");
  more.items[0].quantity = 3;
  uint64_t other_quantity = SendSubmit(more);
  Turn();
  EXPECT_EQ(ErrorOf(other_customer), ErrorCode::kIdempotencyMismatch);
  EXPECT_EQ(ErrorOf(other_quantity), ErrorCode::kIdempotencyMismatch);
  EXPECT_EQ(core_->live_orders(), 1u);
  // A different key with the same body is a new order.
  EXPECT_NE(SubmitOk(Order("c1", "key-2")), first);
}

TEST_F(BrokerCoreTest, SameKeyInTheSameTurnIsInProgress) {
  Start();
  uint64_t a = SendSubmit(Order("c1", "key-1"));
  uint64_t b = SendSubmit(Order("c1", "key-1"));
  Turn();
  auto replies = TakeFront();
  ASSERT_EQ(replies.size(), 2u);
  const FrontReply& ra = replies[0].id == a ? replies[0] : replies[1];
  const FrontReply& rb = replies[0].id == b ? replies[0] : replies[1];
  ASSERT_EQ(ra.id, a);
  ASSERT_EQ(rb.id, b);
  ASSERT_TRUE(std::holds_alternative<proto::Accepted>(ra.msg));
  auto* e = std::get_if<proto::Error>(&rb.msg);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->code, ErrorCode::kIdempotencyInProgress);
  EXPECT_EQ(core_->live_orders(), 1u);
  // Next turn the first is durable: a repeat is its duplicate.
  uint64_t c = SendSubmit(Order("c1", "key-1"));
  Turn();
  auto acc = ReplyAs<proto::Accepted>(c);
  EXPECT_TRUE(acc.duplicate);
  EXPECT_EQ(acc.order_id, std::get<proto::Accepted>(ra.msg).order_id);
}

TEST_F(BrokerCoreTest, KeyIsFreeAgainAfterItsTtl) {
  opts_.idempotency_ttl_s = 60;
  Start();
  std::string first = SubmitOk(Order("c1", "key-1"));
  clock_.Advance(59 * kSec);
  uint64_t within = SendSubmit(Order("c2", "key-1"));
  Turn();
  EXPECT_EQ(ErrorOf(within), ErrorCode::kIdempotencyMismatch);

  clock_.Advance(2 * kSec);
  uint64_t after = SendSubmit(Order("c2", "key-1"));  // a different body: no longer a mismatch
  Turn();
  auto acc = ReplyAs<proto::Accepted>(after);
  EXPECT_FALSE(acc.duplicate);
  EXPECT_NE(acc.order_id, first);
  // And the new entry is the one remembered.
  uint64_t repeat = SendSubmit(Order("c2", "key-1"));
  Turn();
  auto dup = ReplyAs<proto::Accepted>(repeat);
  EXPECT_TRUE(dup.duplicate);
  EXPECT_EQ(dup.order_id, acc.order_id);
}

TEST_F(BrokerCoreTest, ExpiredKeysAreSweptFromTheStore) {
  opts_.idempotency_ttl_s = 60;
  Start();
  SubmitOk(Order("c1", "key-1"));
  ASSERT_TRUE(store_->GetIdempotency("key-1").ok());
  clock_.Advance(61 * kSec);
  Turn();
  EXPECT_EQ(store_->GetIdempotency("key-1").status().code(), Code::kNotFound);
}

// ------------------------------------------------------------------ limits and bad input

TEST_F(BrokerCoreTest, BacklogFullIsRefusedWithRetryAfter) {
  opts_.max_backlog = 3;
  Start();
  for (int i = 0; i < 3; ++i) SubmitOk();
  uint64_t fourth = SendSubmit(Order());
  Turn();
  uint32_t retry_after = 0;
  EXPECT_EQ(ErrorOf(fourth, &retry_after), ErrorCode::kBacklogFull);
  EXPECT_GT(retry_after, 0u);
  EXPECT_EQ(core_->live_orders(), 3u);
  EXPECT_EQ(core_->counters().rejected, 1u);

  // Room again once an order is terminal.
  Ready("node-a", 1);
  Turn();
  Result("node-a", TakeOneDelivery("node-a"), AttemptEnd::kOk);
  Turn();
  SubmitOk();
}

TEST_F(BrokerCoreTest, InvalidSubmitsAreBadRequests) {
  Start();
  proto::OrderRequest no_customer = Order("");
  proto::OrderRequest no_items = Order();
  no_items.items.clear();
  proto::OrderRequest zero_qty = Order();
  zero_qty.items[0].quantity = 0;
  proto::OrderRequest no_product = Order();
  no_product.items[0].product_id.clear();
  proto::OrderRequest long_customer = Order(std::string(257, 'x'));
  for (const auto* r : {&no_customer, &no_items, &zero_qty, &no_product, &long_customer}) {
    uint64_t id = SendSubmit(*r);
    Turn();
    EXPECT_EQ(ErrorOf(id), ErrorCode::kBadRequest);
  }
  EXPECT_EQ(core_->live_orders(), 0u);
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(core_->counters().rejected, 5u);
}

TEST_F(BrokerCoreTest, DrainingRefusesSubmitsButAnswersQueries) {
  Start();
  std::string id = SubmitOk();
  core_->BeginDrain();
  uint64_t s = SendSubmit(Order());
  Turn();
  uint32_t retry_after = 0;
  EXPECT_EQ(ErrorOf(s, &retry_after), ErrorCode::kDraining);
  EXPECT_GT(retry_after, 0u);
  EXPECT_EQ(Query<proto::Order>(proto::GetOrder{id}).order.order_id, id);
}

TEST_F(BrokerCoreTest, GarbageFrontFrameIsABadRequest) {
  Start();
  core_->OnFrontFrame("client-1", "\xc1 not msgpack");
  Turn();
  auto replies = TakeFront();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].to, "client-1");
  EXPECT_EQ(replies[0].id, 0u);
  auto* e = std::get_if<proto::Error>(&replies[0].msg);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->code, ErrorCode::kBadRequest);

  // A good header with a bad payload: the error carries the request id.
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(4);
  pk.pack_uint32(proto::kProtocolVersion);
  pk.pack_uint8(static_cast<uint8_t>(proto::MsgType::kSubmit));
  pk.pack_uint64(77);
  pk.pack(std::string("garbage"));
  core_->OnFrontFrame("client-1", std::string_view(buf.data(), buf.size()));
  Turn();
  EXPECT_EQ(ErrorOf(77), ErrorCode::kBadRequest);

  // Truncated.
  std::string whole = proto::Encode(78, proto::Submit{Order()});
  core_->OnFrontFrame("client-1", whole.substr(0, whole.size() / 2));
  Turn();
  EXPECT_EQ(TakeFront().size(), 1u);

  EXPECT_EQ(core_->counters().bad_front_frames, 3u);
  EXPECT_EQ(core_->live_orders(), 0u);
  auto stats = Query<proto::StatsReply>(proto::GetStats{false}).stats;
  EXPECT_EQ(stats.bad_frames_total, 3u);
}

TEST_F(BrokerCoreTest, FrameOfAnotherSocketIsRejected) {
  Start();
  core_->OnFrontFrame("client-1", proto::Encode(5, proto::Ready{"n", 1, "h", 1}));
  Turn();
  EXPECT_EQ(ErrorOf(5), ErrorCode::kBadRequest);
  EXPECT_EQ(core_->node_count(), 0u);

  core_->OnBackFrame("node-a", proto::Encode(6, proto::Submit{Order()}));
  Turn();
  EXPECT_EQ(core_->live_orders(), 0u);
  EXPECT_TRUE(core_->outbox().front.empty());
  EXPECT_EQ(core_->counters().bad_front_frames, 1u);
  EXPECT_EQ(core_->counters().bad_back_frames, 1u);
}

TEST_F(BrokerCoreTest, UnsupportedVersionIsNamedAndKeepsTheRequestId) {
  Start();
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(4);
  pk.pack_uint32(proto::kProtocolVersion + 1);
  pk.pack_uint8(static_cast<uint8_t>(proto::MsgType::kGetStats));
  pk.pack_uint64(9);
  pk.pack(proto::GetStats{});
  core_->OnFrontFrame("client-1", std::string_view(buf.data(), buf.size()));
  Turn();
  auto replies = TakeFront();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].id, 9u);
  auto* e = std::get_if<proto::Error>(&replies[0].msg);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->code, ErrorCode::kUnsupportedVersion);
}

TEST_F(BrokerCoreTest, GarbageBackFrameIsCountedAndIgnored) {
  Start();
  Ready("node-a", 1);
  std::string id = SubmitOk();
  Delivery d = TakeOneDelivery("node-a");
  core_->OnBackFrame("node-a", "");
  core_->OnBackFrame("node-a", "\x93\x01\x02");
  std::string result = proto::Encode(d.delivery_id, proto::NodeResult{id, AttemptEnd::kOk, "", "", "", 0, {}, {}, {}});
  core_->OnBackFrame("node-a", result.substr(0, result.size() - 3));
  result.back() = '\xff';  // an invalid last byte
  core_->OnBackFrame("node-a", result + "x");
  Turn();
  EXPECT_EQ(core_->counters().bad_back_frames, 4u);
  EXPECT_EQ(core_->counters().bad_front_frames, 0u);
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessing);
  EXPECT_TRUE(core_->outbox().front.empty());
  // The node still works.
  Result("node-a", d, AttemptEnd::kOk);
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessed);
}

}  // namespace
}  // namespace om::broker::testing
