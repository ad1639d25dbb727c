#include "broker/broker_core.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace om::broker {
namespace {

using proto::AttemptEnd;
using proto::ErrorCode;
using proto::OrderStatus;

constexpr int64_t kMs = 1000;
constexpr int64_t kSec = 1'000'000;

// A fresh directory for one test's RocksDB. Creating a database fsyncs a
// file per column family, slow on a virtual disk, so tests that do not care
// about the disk use tmpfs (/dev/shm) when there is one; on_disk picks the
// real temp directory (for the kSync tests).
std::string FreshDir(const std::string& what, bool on_disk = false) {
  static std::atomic<int> counter{0};
  std::error_code ec;
  std::filesystem::path root = std::filesystem::temp_directory_path();
  if (!on_disk && std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) root = "/dev/shm";
  auto dir = root / ("om_core_test_" + std::to_string(getpid()) + "_" + what + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir, ec);
  return dir.string();
}

proto::OrderRequest Order(const std::string& customer = "c1", const std::string& key = "",
                          const std::string& metadata = "") {
  proto::OrderRequest r;
  r.customer_id = customer;
  r.items.push_back({"sku-1", 2, 1999});
  r.currency = "EUR";
  r.metadata_json = metadata;
  r.idempotency_key = key;
  return r;
}

struct FrontReply {
  std::string to;
  uint64_t id = 0;
  proto::FrontReply msg;
};

struct Delivery {
  uint64_t delivery_id = 0;
  proto::Deliver msg;
  const std::string& order_id() const { return msg.order_id; }
};

// Drives a BrokerCore over a real RocksDB store in a fresh directory, with a
// FakeClock. Options are set before Start(); the core keeps a reference.
class BrokerCoreTest : public ::testing::Test {
 protected:
  BrokerCoreTest() {
    opts_.max_attempts = 3;
    opts_.retry_base_ms = 100;
    opts_.retry_cap_ms = 1'000;
    opts_.visibility_timeout_ms = 2'000;
    opts_.heartbeat_interval_ms = 1'000;
    opts_.heartbeat_liveness = 3;
  }
  void TearDown() override {
    core_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // (Re)opens the store and a new core over it, as a broker start does. The
  // first call picks the directory: on disk for kSync, else tmpfs if any.
  void Start(Durability durability = Durability::kAsync) {
    core_.reset();
    store_.reset();
    if (dir_.empty()) {
      dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name(),
                      durability == Durability::kSync);
    }
    auto s = Store::Open(dir_, durability);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    core_ = std::make_unique<BrokerCore>(opts_, store_.get(), &clock_, /*seed=*/42);
    ASSERT_TRUE(core_->Recover().ok());
  }

  // ---- front ----
  uint64_t SendSubmit(const proto::OrderRequest& r, const std::string& client = "client-1") {
    uint64_t id = next_req_++;
    core_->OnFrontFrame(client, proto::Encode(id, proto::Submit{r}));
    return id;
  }
  template <typename M>
  uint64_t SendQuery(const M& m, const std::string& client = "client-1") {
    uint64_t id = next_req_++;
    core_->OnFrontFrame(client, proto::Encode(id, m));
    return id;
  }
  // Every front reply in the outbox, decoded; clears them.
  std::vector<FrontReply> TakeFront() {
    std::vector<FrontReply> out;
    for (auto& r : core_->outbox().front) {
      auto env = proto::DecodeFrontReply(r.bytes);
      EXPECT_TRUE(env.ok()) << env.status().ToString();
      if (env.ok()) out.push_back({r.to, env->id, std::move(env->msg)});
    }
    core_->outbox().front.clear();
    return out;
  }
  // The one reply to request id (fails the test if there is not exactly one).
  // Leaves the replies to other requests in the outbox.
  proto::FrontReply ReplyTo(uint64_t id) {
    std::vector<FrontReply> matching;
    auto& front = core_->outbox().front;
    for (auto it = front.begin(); it != front.end();) {
      auto env = proto::DecodeFrontReply(it->bytes);
      EXPECT_TRUE(env.ok()) << env.status().ToString();
      if (!env.ok() || env->id != id) {
        ++it;
        continue;
      }
      matching.push_back({it->to, env->id, std::move(env->msg)});
      it = front.erase(it);
    }
    EXPECT_EQ(matching.size(), 1u) << "replies to request " << id;
    if (matching.empty()) return proto::Error{ErrorCode::kInternal, "no reply", 0};
    return matching[0].msg;
  }
  template <typename M>
  M ReplyAs(uint64_t id) {
    proto::FrontReply r = ReplyTo(id);
    const M* m = std::get_if<M>(&r);
    if (!m) {
      const auto* e = std::get_if<proto::Error>(&r);
      ADD_FAILURE() << "reply " << id << " has type index " << r.index()
                    << (e ? " error " + std::string(proto::ErrorCodeName(e->code)) + ": " + e->detail : "");
      return M{};
    }
    return *m;
  }
  ErrorCode ErrorOf(uint64_t id, uint32_t* retry_after_ms = nullptr) {
    auto e = ReplyAs<proto::Error>(id);
    if (retry_after_ms) *retry_after_ms = e.retry_after_ms;
    return e.code;
  }
  // Submits one order, runs a turn and returns the accepted order id.
  std::string SubmitOk(const proto::OrderRequest& r = Order()) {
    uint64_t id = SendSubmit(r);
    Turn();
    auto a = ReplyAs<proto::Accepted>(id);
    EXPECT_FALSE(a.order_id.empty());
    return a.order_id;
  }
  // Asks and commits (replies leave only with a commit), without a tick or a
  // dispatch, so asking changes nothing else.
  template <typename Reply, typename M>
  Reply Query(const M& m) {
    uint64_t id = SendQuery(m);
    Status st = core_->Commit();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return ReplyAs<Reply>(id);
  }

  // ---- back ----
  void Ready(const std::string& node, uint32_t credit) {
    core_->OnBackFrame(node, proto::Encode(0, proto::Ready{node, credit, "host", 1}));
  }
  void Heartbeat(const std::string& node) { core_->OnBackFrame(node, proto::Encode(0, proto::Heartbeat{node})); }
  void Result(const std::string& node, const Delivery& d, AttemptEnd end, const std::string& code = "",
              const std::string& step = "", const std::string& message = "") {
    proto::NodeResult r;
    r.order_id = d.order_id();
    r.end = end;
    r.step = step;
    r.error_code = code;
    r.error_message = message;
    r.duration_us = 1234;
    core_->OnBackFrame(node, proto::Encode(d.delivery_id, r));
  }
  // Every message to node in the outbox, decoded; removes them.
  std::vector<proto::Envelope<proto::BrokerToNode>> TakeBack(const std::string& node) {
    std::vector<proto::Envelope<proto::BrokerToNode>> out;
    auto& back = core_->outbox().back;
    for (auto it = back.begin(); it != back.end();) {
      if (it->to != node) {
        ++it;
        continue;
      }
      auto env = proto::DecodeBrokerToNode(it->bytes);
      EXPECT_TRUE(env.ok()) << env.status().ToString();
      if (env.ok()) out.push_back(std::move(env).value());
      it = back.erase(it);
    }
    return out;
  }
  std::vector<Delivery> TakeDeliveries(const std::string& node) {
    std::vector<Delivery> out;
    for (auto& env : TakeBack(node)) {
      if (auto* d = std::get_if<proto::Deliver>(&env.msg)) out.push_back({env.id, *d});
    }
    return out;
  }
  Delivery TakeOneDelivery(const std::string& node) {
    auto ds = TakeDeliveries(node);
    EXPECT_EQ(ds.size(), 1u) << "deliveries to " << node;
    return ds.empty() ? Delivery{} : ds[0];
  }

  // ---- loop ----
  void Turn() {
    core_->OnTick();
    core_->Dispatch();
    Status st = core_->Commit();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  // Moves time in steps no longer than a heartbeat interval, with every node
  // in `alive` heartbeating, running a turn after each step.
  void AdvanceKeepingAlive(int64_t micros, const std::vector<std::string>& alive) {
    int64_t step = opts_.heartbeat_interval_ms * kMs;
    while (micros > 0) {
      int64_t d = std::min(step, micros);
      clock_.Advance(d);
      micros -= d;
      for (const auto& n : alive) Heartbeat(n);
      Turn();
    }
  }

  // Published events, decoded; clears them.
  std::vector<proto::Event> Events() {
    std::vector<proto::Event> out;
    for (auto& p : core_->outbox().pub) {
      auto ev = proto::DecodeEvent(p.bytes);
      EXPECT_TRUE(ev.ok()) << ev.status().ToString();
      if (!ev.ok()) continue;
      EXPECT_EQ(p.topic, proto::StatusTopic(ev->status));
      out.push_back(std::move(ev).value());
    }
    core_->outbox().pub.clear();
    return out;
  }
  static std::vector<proto::Event> EventsOf(const std::vector<proto::Event>& evs, const std::string& order_id) {
    std::vector<proto::Event> out;
    for (const auto& e : evs) {
      if (e.order_id == order_id) out.push_back(e);
    }
    return out;
  }

  // ---- orders ----
  // What the broker answers about an order (memory for live orders: an order
  // out for delivery is PROCESSING only there). Commits the turn's batch.
  proto::OrderRecord Rec(const std::string& order_id) { return Query<proto::Order>(proto::GetOrder{order_id}).order; }
  OrderStatus StatusOf(const std::string& order_id) { return Rec(order_id).status; }
  // What the store holds.
  proto::OrderRecord Stored(const std::string& order_id) {
    auto r = store_->GetOrder(order_id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : proto::OrderRecord{};
  }
  std::vector<std::string> Indexed(OrderStatus s) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_->ScanStatus(s, "", [&](const std::string& id) {
                  ids.push_back(id);
                  return true;
                }).ok());
    return ids;
  }
  bool IndexHas(OrderStatus s, const std::string& order_id) {
    auto ids = Indexed(s);
    return std::find(ids.begin(), ids.end(), order_id) != ids.end();
  }
  // The one index entry of an order: the status it is listed under.
  std::vector<OrderStatus> IndexEntriesOf(const std::string& order_id) {
    std::vector<OrderStatus> out;
    for (int s = 1; s < proto::kNumStatuses; ++s) {
      if (IndexHas(static_cast<OrderStatus>(s), order_id)) out.push_back(static_cast<OrderStatus>(s));
    }
    return out;
  }
  static std::vector<OrderStatus> HistoryStatuses(const proto::OrderRecord& r) {
    std::vector<OrderStatus> out;
    for (const auto& h : r.history) out.push_back(h.status);
    return out;
  }
  static int CountInHistory(const proto::OrderRecord& r, OrderStatus s) {
    return static_cast<int>(std::count_if(r.history.begin(), r.history.end(), [s](auto& h) { return h.status == s; }));
  }

  BrokerOptions opts_;
  FakeClock clock_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<BrokerCore> core_;
  uint64_t next_req_ = 1;
};

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
    rec.attempt_log.push_back({1, "old-node", clock_.WallMicros(), 0, AttemptEnd::kInProgress, "", "", ""});
    StoreBatch b = store_->NewBatch();
    b.PutOrder(rec, std::nullopt);
    b.PutEvent({7, clock_.WallMicros(), rec.order_id, OrderStatus::kProcessing, 1, "old-node", "delivered", ""});
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
  std::string result = proto::Encode(d.delivery_id, proto::NodeResult{id, AttemptEnd::kOk, "", "", "", 0, {}});
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
}  // namespace om::broker
