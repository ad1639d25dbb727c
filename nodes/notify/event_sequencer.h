// EventSequencer: turns the broker's live event feed plus catch-up pages from
// its event log into one stream in sequence order, with no duplicate and no
// gap that is not reported. Pure logic: no sockets, no clock, no logging; the
// notifier's loop (nodes/notify/notifier.h) feeds it and acts on what it says.
//
// It remembers the last seq it sequenced (`last_seq`). A live event
//   - with seq <= last_seq is a duplicate: dropped;
//   - with seq == last_seq + 1 is emitted;
//   - with seq  > last_seq + 1 opens a gap: the event is buffered and
//     PendingRequest() asks the broker for the missing range, exactly
//     EventsSince{last_seq, min(catchup_batch, gap size)}.
// While a catch-up is open every live event is buffered (bounded by
// max_buffered; on overflow the buffer is dropped and the catch-up runs to the
// end of the broker's log instead). Each page given to OnCatchup is emitted,
// then the buffered events that have become contiguous; the catch-up closes
// when nothing is missing any more.
//
// The only way seqs can be skipped is a LostRange in the output: the broker
// trimmed them from its log (first_retained_seq, or a page that starts late),
// or its log holds nothing past last_seq while later events wait in the buffer.
// A quiet feed cannot show a gap at its tail: the driver asks the broker for
// its newest seq now and then (OnLogEnd) and catches up if it is ahead.
// With StartAfter(0) ("from the beginning of the retained log") the events
// trimmed before the first retained one are skipped silently.
//
// Topic filtering happens after sequencing: an event whose topic matches no
// prefix still advances last_seq (so it never looks like a gap) but is not in
// the output.
//
// REQUIRES (protocol): the reply given to OnCatchup answers the request
// PendingRequest() returned, and no OnLive call happened between that
// request being sent and OnCatchup (a single-threaded driver blocked on the
// reply gets this for free). Events buffered before a request are then known
// to be in the broker's log when it answers, since the broker stores an event
// before it publishes it.
//
// Thread-safety: none; one owner thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nodes/notify/topic_filter.h"
#include "protocol/messages.h"

namespace om::notify {

struct SequencerOptions {
  uint32_t catchup_batch = 1000;       // most events asked for in one EventsSince
  size_t max_buffered = 100'000;       // live events held while a catch-up is open
  std::vector<std::string> topics = {"order."};  // prefixes to emit; empty: every topic
};

// Inclusive range of seqs that will never be emitted.
struct LostRange {
  uint64_t first = 0;
  uint64_t last = 0;
  bool trimmed = false;  // the broker's first_retained_seq says they were trimmed
  bool operator==(const LostRange&) const = default;
};

// What one call produced, for the driver to print and log.
struct SequencerOutput {
  std::vector<proto::Event> events;  // to print, in seq order, topic-filtered
  size_t from_log = 0;               // how many of `events` came from catch-up pages
  std::vector<LostRange> lost;       // seqs skipped for good (log loudly)
  bool gap_opened = false;           // a catch-up started in this call
  bool buffer_overflowed = false;    // buffered live events were dropped; catching up from the log
  bool caught_up = false;            // the open catch-up closed in this call
};

struct SequencerStats {
  uint64_t printed = 0;       // events emitted after filtering
  uint64_t from_log = 0;      // of those, filled from catch-up pages
  uint64_t duplicates = 0;    // live or log events at or below last_seq, or buffered twice
  uint64_t filtered = 0;      // sequenced but matching no topic prefix
  uint64_t lost = 0;          // seqs in LostRanges
  uint64_t gaps = 0;          // catch-ups opened by a gap in the live feed or at its tail
  uint64_t overflows = 0;     // buffer overflows
};

class EventSequencer {
 public:
  explicit EventSequencer(SequencerOptions options);

  // Start from the first live event received (no --since).
  void StartLive();
  // Emit every event with seq > after_seq: opens a catch-up that runs to the
  // end of the broker's log. after_seq == 0 means the whole retained log.
  void StartAfter(uint64_t after_seq);

  // One event from the live feed.
  SequencerOutput OnLive(proto::Event event);
  // The broker's answer to PendingRequest().
  SequencerOutput OnCatchup(const proto::Events& reply);

  // The broker's newest seq, learned by an idle-time probe while live. A feed
  // that dropped the tail of a burst shows no gap until a later event comes;
  // if log_last_seq is past last_seq this opens a catch-up to the end of the
  // log and returns true. Before the start point is known it does nothing.
  bool OnLogEnd(uint64_t log_last_seq);

  // The catch-up request to send now, or nullopt when live.
  std::optional<proto::EventsSince> PendingRequest() const;

  bool catching_up() const { return catching_up_; }
  // The last seq sequenced (emitted or filtered), nullopt before the start point is known.
  std::optional<uint64_t> last_seq() const { return last_; }
  size_t buffered() const { return buffer_.size(); }
  const SequencerStats& stats() const { return stats_; }

  // True when topic matches one of the prefixes (or there are none).
  bool Matches(std::string_view topic) const;

 private:
  // Sequences ev as last_ + 1 and appends it to out when its topic matches.
  void Emit(proto::Event ev, bool from_log, SequencerOutput* out);
  void Skip(uint64_t first, uint64_t last, bool trimmed, SequencerOutput* out);
  // Emits buffered events that follow last_, dropping the stale ones.
  void DrainBuffer(SequencerOutput* out);

  SequencerOptions options_;
  TopicFilter filter_;
  std::optional<uint64_t> last_;
  bool catching_up_ = false;
  bool to_log_end_ = false;         // catch-up runs until the log is exhausted (start, overflow)
  bool silent_trim_ = false;        // StartAfter(0): skip what was trimmed before the first event quietly
  std::map<uint64_t, proto::Event> buffer_;  // live events held during a catch-up, by seq
  SequencerStats stats_;
};

}  // namespace om::notify
