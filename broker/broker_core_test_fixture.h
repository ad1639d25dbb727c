// BrokerCoreTest: the fixture shared by the broker_core_*_test.cc files.
//
// What it gives a test: a real RocksDB Store in a fresh temp directory (tmpfs
// when there is one, the real disk for Durability::kSync), a FakeClock the
// test moves by hand so nothing sleeps, and helpers that drive BrokerCore
// without sockets: they feed it encoded front and back frames, run a loop
// turn (OnTick, Dispatch, Commit) and decode what it left in its outbox.
// Set opts_ before Start(); the core keeps a reference to them. Start() again
// reopens the store over the same directory, as a broker restart does.
// TearDown removes the directory. One thread, like the broker loop.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "broker/broker_core.h"

// A named namespace, not an anonymous one: every test file's
// TEST_F(BrokerCoreTest, ...) must see the same fixture type.
namespace om::broker::testing {

using proto::AttemptEnd;
using proto::ErrorCode;
using proto::OrderStatus;

inline constexpr int64_t kMs = 1000;
inline constexpr int64_t kSec = 1'000'000;

// A fresh directory for one test's RocksDB. Creating a database fsyncs a
// file per column family, slow on a virtual disk, so tests that do not care
// about the disk use tmpfs (/dev/shm) when there is one; on_disk picks the
// real temp directory (for the kSync tests).
inline std::string FreshDir(const std::string& what, bool on_disk = false) {
  static std::atomic<int> counter{0};
  std::error_code ec;
  std::filesystem::path root = std::filesystem::temp_directory_path();
  if (!on_disk && std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) root = "/dev/shm";
  auto dir = root / ("om_core_test_" + std::to_string(getpid()) + "_" + what + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir, ec);
  return dir.string();
}

inline proto::OrderRequest Order(const std::string& customer = "c1", const std::string& key = "",
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
      EXPECT_EQ(p.topic, proto::EventTopic(*ev));
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

}  // namespace om::broker::testing
