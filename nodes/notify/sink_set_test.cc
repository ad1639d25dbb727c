#include "nodes/notify/sink_set.h"

#include <gtest/gtest.h>

#include "nodes/notify/file_sink.h"
#include "nodes/notify/sink_test_util.h"

namespace om::notify {
namespace {

using proto::OrderStatus;
using testing::MakeEvent;

// Records what it is given; fails with `fail` from seq fail_at on.
class FakeSink final : public Sink {
 public:
  explicit FakeSink(std::string id, bool save_each = false) : id_(std::move(id)), save_each_(save_each) {}
  const std::string& id() const override { return id_; }
  Status Deliver(const proto::Event& e, const std::string& line) override {
    if (fail_at != 0 && e.seq >= fail_at) return fail;
    seqs.push_back(e.seq);
    lines.push_back(line);
    return Status::Ok();
  }
  bool save_after_each_delivery() const override { return save_each_; }

  std::vector<uint64_t> seqs;
  std::vector<std::string> lines;
  uint64_t fail_at = 0;
  Status fail = Status::IoError("disk full");

 private:
  std::string id_;
  bool save_each_;
};

class ManualClock final : public Clock {
 public:
  int64_t WallMicros() const override { return now; }
  int64_t MonoMicros() const override { return now; }
  int64_t now = 1'000'000;
};

class SinkSetTest : public testing::TempDirTest {
 protected:
  // Opens a set of {sink, topics} with the state file in the temp dir.
  std::unique_ptr<SinkSet> Open(std::vector<std::pair<std::unique_ptr<Sink>, std::vector<std::string>>> sinks,
                                bool with_state = true) {
    std::vector<SinkEntry> entries;
    for (auto& [sink, topics] : sinks) entries.push_back({.sink = std::move(sink), .filter = TopicFilter(topics)});
    auto set = SinkSet::Open(std::move(entries), with_state ? Path("state.json") : "", clock_);
    EXPECT_TRUE(set.ok()) << set.status().ToString();
    return set.ok() ? std::move(set).value() : nullptr;
  }
  static FakeSink* Fake(std::unique_ptr<SinkSet>& set, size_t i) { return static_cast<FakeSink*>(set->sinks()[i].sink.get()); }

  ManualClock clock_;
};

std::vector<std::pair<std::unique_ptr<Sink>, std::vector<std::string>>> Sinks(
    std::vector<std::pair<Sink*, std::vector<std::string>>> raw) {
  std::vector<std::pair<std::unique_ptr<Sink>, std::vector<std::string>>> out;
  for (auto& [s, t] : raw) out.emplace_back(std::unique_ptr<Sink>(s), t);
  return out;
}

TEST_F(SinkSetTest, EachSinkGetsTheEventsItsTopicsMatchInOrder) {
  auto set = Open(Sinks({{new FakeSink("all"), {}}, {new FakeSink("alerts"), {"order.failed", "order.dead_lettered"}}}));
  ASSERT_TRUE(set->Deliver(MakeEvent(1, OrderStatus::kPending)).ok());
  ASSERT_TRUE(set->Deliver(MakeEvent(2, OrderStatus::kFailed)).ok());
  ASSERT_TRUE(set->Deliver(MakeEvent(3, OrderStatus::kProcessed)).ok());
  ASSERT_TRUE(set->Deliver(MakeEvent(4, OrderStatus::kDeadLettered)).ok());
  EXPECT_EQ(Fake(set, 0)->seqs, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(Fake(set, 1)->seqs, (std::vector<uint64_t>{2, 4}));
  EXPECT_EQ(set->sinks()[1].filtered, 2u);
  EXPECT_EQ(set->sinks()[1].seq, 4u) << "filtered events still advance the sink's seq";
  EXPECT_NE(Fake(set, 1)->lines[0].find("\"seq\":2"), std::string::npos);
}

TEST_F(SinkSetTest, WithoutStateFileOrRecordItStartsLive) {
  EXPECT_FALSE(Open(Sinks({{new FakeSink("a"), {}}}), false)->resume_after());
  EXPECT_FALSE(Open(Sinks({{new FakeSink("a"), {}}}))->resume_after());
}

TEST_F(SinkSetTest, RestartResumesAfterTheLastSeqEverySinkTook) {
  {
    auto set = Open(Sinks({{new FakeSink("a"), {}}, {new FakeSink("b"), {"order.failed"}}}));
    for (uint64_t s = 1; s <= 5; ++s) ASSERT_TRUE(set->Deliver(MakeEvent(s)).ok());
    ASSERT_TRUE(set->Checkpoint(true).ok());
  }
  auto set = Open(Sinks({{new FakeSink("a"), {}}, {new FakeSink("b"), {"order.failed"}}}));
  EXPECT_EQ(set->resume_after(), 5u);
}

TEST_F(SinkSetTest, CheckpointWaitsForTheSaveIntervalUnlessForced) {
  auto set = Open(Sinks({{new FakeSink("a"), {}}}));
  ASSERT_TRUE(set->Checkpoint(false).ok());  // nothing delivered: nothing to save
  clock_.now += 10'000'000;
  ASSERT_TRUE(set->Deliver(MakeEvent(1)).ok());
  ASSERT_TRUE(set->Checkpoint(false).ok());
  EXPECT_EQ(LoadStateFile(Path("state.json"))->at("a"), 1u);
  ASSERT_TRUE(set->Deliver(MakeEvent(2)).ok());
  ASSERT_TRUE(set->Checkpoint(false).ok());  // within kSaveInterval of the last save
  EXPECT_EQ(LoadStateFile(Path("state.json"))->at("a"), 1u);
  clock_.now += std::chrono::microseconds(kSaveInterval).count();
  ASSERT_TRUE(set->Checkpoint(false).ok());
  EXPECT_EQ(LoadStateFile(Path("state.json"))->at("a"), 2u);
}

TEST_F(SinkSetTest, SinkThatCannotNoticeRepeatsIsSavedAfterEachDelivery) {
  auto set = Open(Sinks({{new FakeSink("hook", /*save_each=*/true), {"order.failed"}}}));
  ASSERT_TRUE(set->Deliver(MakeEvent(1, OrderStatus::kPending)).ok());
  EXPECT_EQ(LoadStateFile(Path("state.json")).status().code(), Code::kNotFound) << "filtered: no save needed";
  ASSERT_TRUE(set->Deliver(MakeEvent(2, OrderStatus::kFailed)).ok());
  EXPECT_EQ(LoadStateFile(Path("state.json"))->at("hook"), 2u);
}

TEST_F(SinkSetTest, FailingSinkStopsTheEventAndDoesNotAdvance) {
  auto* broken = new FakeSink("b");
  broken->fail_at = 2;
  auto set = Open(Sinks({{new FakeSink("a"), {}}, {broken, {}}, {new FakeSink("c"), {}}}));
  ASSERT_TRUE(set->Deliver(MakeEvent(1)).ok());
  EXPECT_EQ(set->Deliver(MakeEvent(2)).code(), Code::kIoError);
  ASSERT_TRUE(set->Checkpoint(true).ok());
  EXPECT_EQ(Fake(set, 2)->seqs, std::vector<uint64_t>{1}) << "sinks after the failing one do not see the event";
  auto saved = LoadStateFile(Path("state.json"));
  EXPECT_EQ(saved->at("a"), 2u);
  EXPECT_EQ(saved->at("b"), 1u);
  EXPECT_EQ(saved->at("c"), 1u);
  // A restart resumes after 1 and a skips the 2 it already has.
  auto again = Open(Sinks({{new FakeSink("a"), {}}, {new FakeSink("b"), {}}, {new FakeSink("c"), {}}}));
  EXPECT_EQ(again->resume_after(), 1u);
  ASSERT_TRUE(again->Deliver(MakeEvent(2)).ok());
  EXPECT_TRUE(Fake(again, 0)->seqs.empty());
  EXPECT_EQ(Fake(again, 1)->seqs, std::vector<uint64_t>{2});
}

TEST_F(SinkSetTest, FileSinkWrittenAfterTheLastSaveIsNotRepeatedOnResume) {
  // A crash between the writes of seq 3 and the next state save: the state says 2 for both sinks.
  auto open_both = [&] {
    auto file = FileSink::Open(Path("events.jsonl"));
    EXPECT_TRUE(file.ok());
    std::vector<std::pair<std::unique_ptr<Sink>, std::vector<std::string>>> sinks;
    sinks.emplace_back(new FakeSink("stdout"), std::vector<std::string>{});
    sinks.emplace_back(std::move(file).value(), std::vector<std::string>{});
    return Open(std::move(sinks));
  };
  {
    auto set = open_both();
    for (uint64_t s = 1; s <= 2; ++s) ASSERT_TRUE(set->Deliver(MakeEvent(s)).ok());
    ASSERT_TRUE(set->Checkpoint(true).ok());
    ASSERT_TRUE(set->Deliver(MakeEvent(3)).ok());  // no save: "killed" here
  }
  auto set = open_both();
  EXPECT_EQ(set->resume_after(), 2u);
  EXPECT_EQ(set->sinks()[1].seq, 3u) << "the file's last line beats the older state";
  for (uint64_t s = 3; s <= 4; ++s) ASSERT_TRUE(set->Deliver(MakeEvent(s)).ok());
  auto lines = Lines(Path("events.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_NE(lines[i].find("\"seq\":" + std::to_string(i + 1) + ","), std::string::npos) << lines[i];
  }
  EXPECT_EQ(Fake(set, 0)->seqs, (std::vector<uint64_t>{3, 4})) << "stdout keeps no record: it repeats 3";
}

TEST_F(SinkSetTest, SinkNewToTheStateFileStartsAtTheResumePoint) {
  {
    auto set = Open(Sinks({{new FakeSink("a"), {}}}));
    for (uint64_t s = 1; s <= 3; ++s) ASSERT_TRUE(set->Deliver(MakeEvent(s)).ok());
    ASSERT_TRUE(set->Checkpoint(true).ok());
  }
  auto set = Open(Sinks({{new FakeSink("a"), {}}, {new FakeSink("new"), {}}}));
  EXPECT_EQ(set->resume_after(), 3u);
  ASSERT_TRUE(set->Deliver(MakeEvent(4)).ok());
  EXPECT_EQ(Fake(set, 1)->seqs, std::vector<uint64_t>{4});
}

}  // namespace
}  // namespace om::notify
