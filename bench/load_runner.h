// LoadRunner: drives one bench run against a Target and joins its replies
// with the EventFeed's terminal events.
//
// Open loop (--rate N): request i has an intended send time start + i/N and
// every latency is measured from that time, so a stall in the target (or in
// the bench) shows up in the results instead of silently slowing the
// schedule (no coordinated omission); how late the sends really went out is
// recorded separately (send_lag). Closed loop (--rate max): keeps --window
// orders in flight; an order's intended time is when it was sent.
//
// The run: send until --count or --duration (after --warmup), then drain:
// wait up to --drain-timeout for every reply and every terminal event. Gaps
// in the event feed are filled from the target's event log as they appear.
// A progress line goes to stdout every --report-interval.
//
// Thread-safety: Run() on one thread, which then owns the target; the feed
// has its own thread (see event_feed.h).
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/bench_options.h"
#include "bench/event_feed.h"
#include "bench/order_tracker.h"
#include "bench/run_result.h"
#include "bench/target.h"

namespace om::bench {

class LoadRunner {
 public:
  // check_alive: called about once a second; a non-empty answer (e.g. "the
  // broker exited ...") ends the run as failed. feed: null when there are no
  // events to follow (the bare HTTP reference): an order is done at its accept.
  LoadRunner(const BenchOptions& options, Target* target, EventFeed* feed,
             std::function<std::string()> check_alive = {});

  // Called about once a second with MonoNanos(), on the runner's thread
  // (the --chaos schedule). Set before Run().
  void set_each_second(std::function<void(int64_t)> f) { each_second_ = std::move(f); }

  // REQUIRES: target connected, feed started.
  RunResult Run();

 private:
  struct Slot {
    int64_t intended_ns;
    uint8_t state;  // kOpen, kAnswered
  };
  static constexpr uint8_t kOpen = 0, kAnswered = 1;

  bool SendOne(int64_t intended_ns, int64_t now);
  void OnReply(const SubmitReply& r);
  void OnAccepted(const SubmitReply& r, int64_t intended_ns, bool known, bool measured);
  void OnTerminal(const TerminalEvent& e);
  void OnCompletion(const Completion& c);
  void Housekeeping(int64_t now);
  // Fills the feed's gaps from the broker's event log; a gap whose read
  // failed is tried again next time. With draining (no more sends), also
  // reads the tail past the feed's last event once the feed has been quiet
  // since the previous call while orders still wait for their event.
  void RecoverGaps(bool draining);
  // Applies the terminal events of the log in (after, last] (last = 0: up
  // to the end of the log) not applied before. Returns the last seq read,
  // or nullopt when the log could not be read.
  std::optional<uint64_t> ReadLog(uint64_t after, uint64_t last);
  // Ends one interval: a sample for the series, and a progress line if asked.
  void EndInterval(int64_t now, bool print);
  void SetProducts(uint64_t order_index);
  bool Drained() const;
  // Frees a closed-loop window slot.
  void Release() {
    if (window_used_ > 0) --window_used_;
  }

  const BenchOptions& o_;
  Target* target_;
  EventFeed* feed_;
  std::function<std::string()> check_alive_;
  std::function<void(int64_t)> each_second_;
  proto::Submit submit_;  // the order sent, its product ids changed per order with --products

  int64_t start_ns_ = 0;
  int64_t measure_start_ns_ = 0;
  int64_t timeout_ns_ = 0;
  int window_used_ = 0;

  std::deque<Slot> slots_;   // requests base_id_ .. next_id_-1
  uint64_t base_id_ = 1;     // request ids start at 1
  uint64_t next_id_ = 1;
  std::unordered_set<uint64_t> timed_out_;  // requests given up on; a reply may still come

  OrderTracker tracker_;
  size_t gaps_counted_ = 0;  // gaps added to the event_gaps count
  size_t gaps_handled_ = 0;  // gaps read from the event log
  // Terminal events taken from the event log (by seq): a live copy that
  // arrives later, or a gap that overlaps the tail, is not counted twice.
  std::unordered_set<uint64_t> from_log_;
  uint64_t tail_after_ = 0;    // the tail has been read from the log up to this seq
  uint64_t quiet_seq_ = 0;     // the feed's last seq at the previous RecoverGaps

  RunResult res_;
  Histogram warm_accept_, warm_completion_;  // during warm-up, for the progress line only
  Histogram interval_accept_, interval_completion_;  // this interval, for the series
  uint64_t accepts_in_window_ = 0, completions_in_window_ = 0;
  int64_t last_accept_ns_ = 0, last_completion_ns_ = 0;

  // Progress line: counters at the previous line.
  Counters prev_;
  int64_t prev_report_ns_ = 0;
  std::vector<SubmitReply> replies_;
  std::vector<TerminalEvent> events_;
};

}  // namespace om::bench
