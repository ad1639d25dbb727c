#include "broker/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace om::broker {
namespace {

using proto::OrderStatus;

// A fresh directory for one test's RocksDB. Creating a database fsyncs a
// file per column family, slow on a virtual disk, so tests that do not care
// about the disk use tmpfs (/dev/shm) when there is one; on_disk picks the
// real temp directory (for the kSync tests).
std::string FreshDir(const std::string& what, bool on_disk = false) {
  static std::atomic<int> counter{0};
  std::error_code ec;
  std::filesystem::path root = std::filesystem::temp_directory_path();
  if (!on_disk && std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) root = "/dev/shm";
  auto dir = root / ("om_store_test_" + std::to_string(getpid()) + "_" + what + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir, ec);
  return dir.string();
}

proto::OrderRecord Record(const std::string& id, OrderStatus status) {
  proto::OrderRecord r;
  r.order_id = id;
  r.status = status;
  r.request.customer_id = "cust-" + id;
  r.request.items.push_back({"sku-1", 2, 499});
  r.created_us = 1'700'000'000'000'000;
  r.history.push_back({r.created_us, status, 0, "", "test"});
  return r;
}

proto::Event MakeEvent(uint64_t seq) {
  proto::Event e;
  e.seq = seq;
  e.order_id = "order-" + std::to_string(seq);
  e.status = OrderStatus::kPending;
  return e;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen(Durability d = Durability::kAsync) {
    store_.reset();
    auto s = Store::Open(dir_, d);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void Put(const proto::OrderRecord& r, std::optional<OrderStatus> old) {
    StoreBatch b = store_->NewBatch();
    b.PutOrder(r, old);
    ASSERT_TRUE(store_->Commit(b).ok());
  }
  std::vector<std::string> Scan(OrderStatus s, const std::string& after = "") {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_->ScanStatus(s, after, [&](const std::string& id) {
                  ids.push_back(id);
                  return true;
                }).ok());
    return ids;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, GetOrderTellsNotFoundFromAValue) {
  auto missing = store_->GetOrder("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(store_->GetDeadLetter("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->GetIdempotency("nope").status().code(), Code::kNotFound);

  Put(Record("a", OrderStatus::kPending), std::nullopt);
  auto found = store_->GetOrder("a");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->order_id, "a");
  EXPECT_EQ(found->status, OrderStatus::kPending);
  EXPECT_EQ(found->request.customer_id, "cust-a");
  ASSERT_EQ(found->request.items.size(), 1u);
  EXPECT_EQ(found->request.items[0].quantity, 2u);
  EXPECT_EQ(found->request.items[0].unit_price_cents, 499);
}

TEST_F(StoreTest, BatchIsInvisibleUntilCommitted) {
  StoreBatch b = store_->NewBatch();
  b.PutOrder(Record("a", OrderStatus::kPending), std::nullopt);
  EXPECT_FALSE(b.empty());
  EXPECT_EQ(store_->GetOrder("a").status().code(), Code::kNotFound);
  ASSERT_TRUE(store_->Commit(b).ok());
  EXPECT_TRUE(b.empty());  // Commit clears the batch
  EXPECT_TRUE(store_->GetOrder("a").ok());
}

TEST_F(StoreTest, StatusIndexMovesWithPutOrder) {
  auto r = Record("a", OrderStatus::kPending);
  Put(r, std::nullopt);
  EXPECT_EQ(Scan(OrderStatus::kPending), std::vector<std::string>{"a"});

  r.status = OrderStatus::kProcessing;
  Put(r, OrderStatus::kPending);
  EXPECT_TRUE(Scan(OrderStatus::kPending).empty());
  EXPECT_EQ(Scan(OrderStatus::kProcessing), std::vector<std::string>{"a"});

  r.attempts = 2;  // same status: the index entry stays
  Put(r, OrderStatus::kProcessing);
  EXPECT_EQ(Scan(OrderStatus::kProcessing), std::vector<std::string>{"a"});
  EXPECT_EQ(store_->GetOrder("a")->attempts, 2u);

  r.status = OrderStatus::kProcessed;
  Put(r, OrderStatus::kProcessing);
  EXPECT_TRUE(Scan(OrderStatus::kProcessing).empty());
  EXPECT_EQ(Scan(OrderStatus::kProcessed), std::vector<std::string>{"a"});

  auto counts = store_->CountByStatus();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), static_cast<size_t>(proto::kNumStatuses));
  for (int s = 0; s < proto::kNumStatuses; ++s) {
    EXPECT_EQ((*counts)[s], s == static_cast<int>(OrderStatus::kProcessed) ? 1u : 0u) << "status " << s;
  }
}

TEST_F(StoreTest, ScanStatusIsInIdOrderAndResumesStrictlyAfterTheCursor) {
  // Written out of order and mixed with another status.
  for (const char* id : {"c", "a", "e", "b", "d"}) Put(Record(id, OrderStatus::kPending), std::nullopt);
  Put(Record("bb", OrderStatus::kRetrying), std::nullopt);
  EXPECT_EQ(Scan(OrderStatus::kPending), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Scan(OrderStatus::kPending, "b"), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(Scan(OrderStatus::kPending, "bb"), (std::vector<std::string>{"c", "d", "e"}));  // cursor not indexed
  EXPECT_TRUE(Scan(OrderStatus::kPending, "e").empty());
  EXPECT_EQ(Scan(OrderStatus::kRetrying), std::vector<std::string>{"bb"});
  EXPECT_TRUE(Scan(OrderStatus::kFailed).empty());

  // fn returning false stops the scan.
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ScanStatus(OrderStatus::kPending, "", [&](const std::string& id) {
                  seen.push_back(id);
                  return seen.size() < 2;
                }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
}

TEST_F(StoreTest, EventsRangeSinceAndTrim) {
  EXPECT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{0, 0}));
  StoreBatch b = store_->NewBatch();
  // Past 255 so that big-endian key ordering matters.
  for (uint64_t seq = 1; seq <= 300; ++seq) b.PutEvent(MakeEvent(seq));
  ASSERT_TRUE(store_->Commit(b).ok());
  EXPECT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{1, 300}));

  auto since = store_->EventsSince(250, 1000);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->size(), 50u);
  for (size_t i = 0; i < since->size(); ++i) EXPECT_EQ((*since)[i].seq, 251 + i);
  EXPECT_EQ(since->front().order_id, "order-251");

  auto limited = store_->EventsSince(0, 10);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 10u);
  EXPECT_EQ(limited->front().seq, 1u);
  EXPECT_EQ(limited->back().seq, 10u);
  EXPECT_TRUE(store_->EventsSince(300, 10)->empty());

  ASSERT_TRUE(store_->TrimEvents(260).ok());
  EXPECT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{260, 300}));
  auto after_trim = store_->EventsSince(0, 1000);
  ASSERT_TRUE(after_trim.ok());
  ASSERT_EQ(after_trim->size(), 41u);
  EXPECT_EQ(after_trim->front().seq, 260u);
}

TEST_F(StoreTest, DeadLettersAndIdempotencyRoundTrip) {
  StoreBatch b = store_->NewBatch();
  b.PutDeadLetter({"b", "node_lost", 20, 3, 0});
  b.PutDeadLetter({"a", "retryable_error", 10, 5, 1});
  b.PutIdempotency("k1", {42, "a", 1000});
  ASSERT_TRUE(store_->Commit(b).ok());

  auto dl = store_->GetDeadLetter("a");
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->reason, "retryable_error");
  EXPECT_EQ(dl->attempts, 5u);
  EXPECT_EQ(dl->redrives, 1u);
  std::vector<std::string> ids;
  ASSERT_TRUE(store_->ScanDeadLetters("", [&](const proto::DeadLetter& d) {
                  ids.push_back(d.order_id);
                  return true;
                }).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  ids.clear();
  ASSERT_TRUE(store_->ScanDeadLetters("a", [&](const proto::DeadLetter& d) {
                  ids.push_back(d.order_id);
                  return true;
                }).ok());
  EXPECT_EQ(ids, std::vector<std::string>{"b"});

  auto e = store_->GetIdempotency("k1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->fingerprint, 42u);
  EXPECT_EQ(e->order_id, "a");
  EXPECT_EQ(e->created_us, 1000);

  StoreBatch del = store_->NewBatch();
  del.DeleteDeadLetter("a");
  del.DeleteIdempotency("k1");
  ASSERT_TRUE(store_->Commit(del).ok());
  EXPECT_EQ(store_->GetDeadLetter("a").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->GetIdempotency("k1").status().code(), Code::kNotFound);
  EXPECT_TRUE(store_->GetDeadLetter("b").ok());
}

TEST_F(StoreTest, DataSurvivesCloseAndReopen) {
  store_.reset();
  std::filesystem::remove_all(dir_);
  dir_ = FreshDir("DataSurvivesCloseAndReopen", /*on_disk=*/true);
  Reopen(Durability::kSync);
  EXPECT_EQ(store_->durability(), Durability::kSync);
  auto r = Record("a", OrderStatus::kPending);
  Put(r, std::nullopt);
  r.status = OrderStatus::kRetrying;
  Put(r, OrderStatus::kPending);
  Put(Record("b", OrderStatus::kPending), std::nullopt);
  StoreBatch b = store_->NewBatch();
  b.PutEvent(MakeEvent(1));
  b.PutEvent(MakeEvent(2));
  b.PutDeadLetter({"z", "node_lost", 1, 1, 0});
  b.PutIdempotency("key", {7, "b", 5});
  ASSERT_TRUE(store_->Commit(b).ok());

  Reopen();
  auto a = store_->GetOrder("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, OrderStatus::kRetrying);
  EXPECT_EQ(Scan(OrderStatus::kRetrying), std::vector<std::string>{"a"});
  EXPECT_EQ(Scan(OrderStatus::kPending), std::vector<std::string>{"b"});
  EXPECT_EQ(store_->EventRange(), (std::pair<uint64_t, uint64_t>{1, 2}));
  EXPECT_TRUE(store_->GetDeadLetter("z").ok());
  EXPECT_EQ(store_->GetIdempotency("key")->order_id, "b");
}

}  // namespace
}  // namespace om::broker
