#include "nodes/notify/event_sequencer.h"

#include <gtest/gtest.h>

#include <numeric>

namespace om::notify {
namespace {

using proto::OrderStatus;

proto::Event Ev(uint64_t seq, OrderStatus status = OrderStatus::kProcessed) {
  proto::Event e;
  e.seq = seq;
  e.order_id = "o" + std::to_string(seq);
  e.status = status;
  return e;
}

// A page of the broker's log holding seqs [from, to] (none when from > to).
proto::Events Page(uint64_t from, uint64_t to, uint64_t first_retained, uint64_t last_seq) {
  proto::Events page;
  for (uint64_t s = from; s <= to; ++s) page.events.push_back(Ev(s));
  page.first_retained_seq = first_retained;
  page.last_seq = last_seq;
  return page;
}

std::vector<uint64_t> Seqs(const SequencerOutput& out) {
  std::vector<uint64_t> seqs;
  for (const auto& e : out.events) seqs.push_back(e.seq);
  return seqs;
}

std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> v(to - from + 1);
  std::iota(v.begin(), v.end(), from);
  return v;
}

void Append(std::vector<uint64_t>* all, const SequencerOutput& out) {
  for (const auto& e : out.events) all->push_back(e.seq);
}

SequencerOptions Opts(uint32_t batch = 1000, size_t max_buffered = 1000) {
  SequencerOptions o;
  o.catchup_batch = batch;
  o.max_buffered = max_buffered;
  return o;
}

TEST(EventSequencer, PassesInOrderLiveEventsThrough) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  for (uint64_t s = 1; s <= 5; ++s) Append(&all, seq.OnLive(Ev(s)));
  EXPECT_EQ(all, Range(1, 5));
  EXPECT_FALSE(seq.catching_up());
  EXPECT_FALSE(seq.PendingRequest());
  EXPECT_EQ(seq.stats().printed, 5u);
  EXPECT_EQ(seq.stats().from_log, 0u);
}

TEST(EventSequencer, StartsLiveFromTheFirstEventReceived) {
  EventSequencer seq(Opts());
  seq.StartLive();
  auto out = seq.OnLive(Ev(42));  // the slow joiner missed 1..41: not a gap
  EXPECT_EQ(Seqs(out), std::vector<uint64_t>{42});
  EXPECT_FALSE(out.gap_opened);
  EXPECT_EQ(seq.last_seq(), 42u);
  EXPECT_EQ(Seqs(seq.OnLive(Ev(43))), std::vector<uint64_t>{43});
}

TEST(EventSequencer, DropsDuplicateLiveEvents) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  for (uint64_t s : {1, 2, 2, 1, 3, 3}) Append(&all, seq.OnLive(Ev(s)));
  EXPECT_EQ(all, Range(1, 3));
  EXPECT_EQ(seq.stats().duplicates, 3u);
  EXPECT_FALSE(seq.catching_up());
}

TEST(EventSequencer, GapRequestsExactlyTheMissingRangeAndOutputIsContiguous) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(2)));
  auto out = seq.OnLive(Ev(6));
  EXPECT_TRUE(out.gap_opened);
  EXPECT_TRUE(out.events.empty());  // held until 3..5 are filled
  auto req = seq.PendingRequest();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->after_seq, 2u);
  EXPECT_EQ(req->limit, 3u);  // 3, 4, 5

  out = seq.OnCatchup(Page(3, 5, 1, 6));
  Append(&all, out);
  EXPECT_EQ(all, Range(1, 6));
  EXPECT_EQ(out.from_log, 3u);
  EXPECT_TRUE(out.caught_up);
  EXPECT_TRUE(out.lost.empty());
  EXPECT_FALSE(seq.PendingRequest());
  EXPECT_EQ(seq.stats().from_log, 3u);
  EXPECT_EQ(seq.stats().gaps, 1u);
}

TEST(EventSequencer, FetchesALargeGapInPagesOfCatchupBatch) {
  EventSequencer seq(Opts(/*batch=*/2));
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(8)));
  std::vector<uint64_t> asked_after;
  while (auto req = seq.PendingRequest()) {
    EXPECT_LE(req->limit, 2u);
    asked_after.push_back(req->after_seq);
    uint64_t from = req->after_seq + 1;
    Append(&all, seq.OnCatchup(Page(from, from + req->limit - 1, 1, 8)));
  }
  EXPECT_EQ(asked_after, (std::vector<uint64_t>{1, 3, 5}));  // 2-3, 4-5, 6-7
  EXPECT_EQ(all, Range(1, 8));
  EXPECT_EQ(seq.stats().from_log, 6u);
}

TEST(EventSequencer, EventsArrivingDuringCatchupAreNeitherLostNorDuplicated) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(5)));
  auto req = seq.PendingRequest();
  ASSERT_TRUE(req);
  // While the request is out (or being retried), the feed goes on.
  for (uint64_t s : {6, 5, 7, 6, 8}) EXPECT_TRUE(seq.OnLive(Ev(s)).events.empty());
  EXPECT_EQ(seq.buffered(), 4u);
  EXPECT_EQ(seq.PendingRequest()->after_seq, req->after_seq);  // a retry asks for the same range

  Append(&all, seq.OnCatchup(Page(2, 4, 1, 8)));
  Append(&all, seq.OnLive(Ev(9)));
  EXPECT_EQ(all, Range(1, 9));
  EXPECT_EQ(seq.stats().duplicates, 2u);
  EXPECT_FALSE(seq.catching_up());
}

TEST(EventSequencer, LogPageOverlappingTheBufferedEventsPrintsEachOnce) {
  EventSequencer seq(Opts());
  seq.StartAfter(0);
  std::vector<uint64_t> all;
  for (uint64_t s : {3, 4, 5}) Append(&all, seq.OnLive(Ev(s)));
  EXPECT_TRUE(all.empty());
  auto out = seq.OnCatchup(Page(1, 4, 1, 4));
  Append(&all, out);
  EXPECT_EQ(all, Range(1, 5));
  EXPECT_EQ(out.from_log, 4u);
  EXPECT_TRUE(out.caught_up);
  EXPECT_EQ(seq.stats().duplicates, 2u);  // live 3 and 4
}

TEST(EventSequencer, ReportsTrimmedRangeAndGoesOn) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(10)));
  ASSERT_EQ(seq.PendingRequest()->after_seq, 1u);
  // The broker has trimmed everything before 6.
  auto out = seq.OnCatchup(Page(6, 9, 6, 10));
  Append(&all, out);
  ASSERT_EQ(out.lost.size(), 1u);
  EXPECT_EQ(out.lost[0], (LostRange{2, 5, true}));
  EXPECT_EQ(all, (std::vector<uint64_t>{1, 6, 7, 8, 9, 10}));
  EXPECT_EQ(seq.stats().lost, 4u);
  EXPECT_FALSE(seq.catching_up());
}

TEST(EventSequencer, EmptyPageBeforeBufferedEventsReportsTheMissingRange) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(5)));
  auto out = seq.OnCatchup(Page(1, 0, 1, 1));  // the log has nothing after 1
  Append(&all, out);
  ASSERT_EQ(out.lost.size(), 1u);
  EXPECT_EQ(out.lost[0], (LostRange{2, 4, false}));
  EXPECT_EQ(all, (std::vector<uint64_t>{1, 5}));
  EXPECT_FALSE(seq.catching_up());
}

TEST(EventSequencer, SinceReadsTheLogThenGoesLive) {
  EventSequencer seq(Opts());
  seq.StartAfter(3);
  ASSERT_TRUE(seq.catching_up());
  auto req = seq.PendingRequest();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->after_seq, 3u);
  EXPECT_EQ(req->limit, 1000u);
  std::vector<uint64_t> all;
  auto out = seq.OnCatchup(Page(4, 6, 1, 6));
  Append(&all, out);
  EXPECT_TRUE(out.caught_up);
  Append(&all, seq.OnLive(Ev(6)));
  Append(&all, seq.OnLive(Ev(7)));
  EXPECT_EQ(all, Range(4, 7));
  EXPECT_EQ(seq.stats().from_log, 3u);
}

TEST(EventSequencer, SinceReadsTheWholeLogInPages) {
  EventSequencer seq(Opts(/*batch=*/2));
  seq.StartAfter(0);
  std::vector<uint64_t> all;
  int requests = 0;
  while (auto req = seq.PendingRequest()) {
    ++requests;
    uint64_t from = req->after_seq + 1;
    Append(&all, seq.OnCatchup(Page(from, std::min<uint64_t>(from + req->limit - 1, 5), 1, 5)));
  }
  EXPECT_EQ(all, Range(1, 5));
  EXPECT_EQ(requests, 3);  // 1-2, 3-4, 5
}

TEST(EventSequencer, SinceZeroStartsAtTheFirstRetainedEventQuietly) {
  EventSequencer seq(Opts());
  seq.StartAfter(0);
  auto out = seq.OnCatchup(Page(50, 52, 50, 52));
  EXPECT_EQ(Seqs(out), Range(50, 52));
  EXPECT_TRUE(out.lost.empty());
  EXPECT_EQ(seq.stats().lost, 0u);
}

TEST(EventSequencer, SinceAfterTrimmedEventsReportsThemLost) {
  EventSequencer seq(Opts());
  seq.StartAfter(10);
  auto out = seq.OnCatchup(Page(50, 52, 50, 52));
  ASSERT_EQ(out.lost.size(), 1u);
  EXPECT_EQ(out.lost[0], (LostRange{11, 49, true}));
  EXPECT_EQ(Seqs(out), Range(50, 52));
}

TEST(EventSequencer, BufferOverflowDropsTheBufferAndCatchesUpFromTheLog) {
  EventSequencer seq(Opts(/*batch=*/1000, /*max_buffered=*/2));
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  Append(&all, seq.OnLive(Ev(5)));
  Append(&all, seq.OnLive(Ev(6)));
  auto out = seq.OnLive(Ev(7));
  EXPECT_TRUE(out.buffer_overflowed);
  EXPECT_LE(seq.buffered(), 2u);
  auto req = seq.PendingRequest();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->after_seq, 1u);
  EXPECT_EQ(req->limit, 1000u);  // to the end of the log, not just to the buffer
  out = seq.OnCatchup(Page(2, 7, 1, 7));
  Append(&all, out);
  EXPECT_TRUE(out.caught_up);
  Append(&all, seq.OnLive(Ev(8)));
  EXPECT_EQ(all, Range(1, 8));
  EXPECT_EQ(seq.stats().overflows, 1u);
  EXPECT_EQ(seq.stats().lost, 0u);
}

TEST(EventSequencer, FiltersTopicsAfterSequencing) {
  SequencerOptions o = Opts();
  o.topics = {"order.processed"};
  EventSequencer seq(o);
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1, OrderStatus::kPending)));
  Append(&all, seq.OnLive(Ev(2, OrderStatus::kProcessing)));
  auto out = seq.OnLive(Ev(3, OrderStatus::kProcessed));
  Append(&all, out);
  EXPECT_FALSE(out.gap_opened);  // 1 and 2 were sequenced even though not printed
  EXPECT_EQ(all, std::vector<uint64_t>{3});
  EXPECT_EQ(seq.stats().filtered, 2u);

  // A dropped event of a filtered-out topic still opens a gap, and the
  // catch-up fills it without printing it.
  out = seq.OnLive(Ev(5, OrderStatus::kProcessed));
  EXPECT_TRUE(out.gap_opened);
  proto::Events page;
  page.events = {Ev(4, OrderStatus::kPending)};
  page.first_retained_seq = 1;
  page.last_seq = 5;
  out = seq.OnCatchup(page);
  EXPECT_EQ(Seqs(out), std::vector<uint64_t>{5});
  EXPECT_EQ(out.from_log, 0u);
  EXPECT_TRUE(out.lost.empty());
  EXPECT_EQ(seq.last_seq(), 5u);
}

TEST(EventSequencer, MatchesAnyPrefixAndEverythingWhenNoneGiven) {
  SequencerOptions o = Opts();
  o.topics = {"order.failed", "order.dead"};
  EventSequencer some(o);
  EXPECT_TRUE(some.Matches("order.failed"));
  EXPECT_TRUE(some.Matches("order.dead_lettered"));
  EXPECT_FALSE(some.Matches("order.processed"));
  o.topics.clear();
  EventSequencer all(o);
  EXPECT_TRUE(all.Matches("order.processed"));
}

TEST(EventSequencer, LogEndPastTheLastEventCatchesUpTheTailOfAQuietFeed) {
  EventSequencer seq(Opts());
  seq.StartLive();
  std::vector<uint64_t> all;
  Append(&all, seq.OnLive(Ev(1)));
  EXPECT_FALSE(seq.OnLogEnd(1));  // nothing missed
  EXPECT_FALSE(seq.catching_up());
  EXPECT_TRUE(seq.OnLogEnd(4));   // 2..4 were dropped and nothing came after them
  auto req = seq.PendingRequest();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->after_seq, 1u);
  auto out = seq.OnCatchup(Page(2, 4, 1, 4));
  Append(&all, out);
  EXPECT_TRUE(out.caught_up);
  EXPECT_EQ(all, Range(1, 4));
}

TEST(EventSequencer, LogEndIsIgnoredBeforeTheStartPointIsKnown) {
  EventSequencer seq(Opts());
  seq.StartLive();
  EXPECT_FALSE(seq.OnLogEnd(10));
  EXPECT_FALSE(seq.PendingRequest());
}

TEST(EventSequencer, IgnoresACatchupReplyWhenLive) {
  EventSequencer seq(Opts());
  seq.StartLive();
  (void)seq.OnLive(Ev(1));
  auto out = seq.OnCatchup(Page(2, 4, 1, 4));
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(seq.last_seq(), 1u);
}

}  // namespace
}  // namespace om::notify
