#include "bench/load_runner.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "bench/report.h"
#include "common/signals.h"

namespace om::bench {
namespace {

constexpr int64_t kHousekeepingNs = 10'000'000;  // timeouts, stale window slots
constexpr int64_t kBlockedRetryNs = 100'000;     // every send queue full: retry after this
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

double CpuSecondsOfSelf() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int64_t Seconds(double s) { return static_cast<int64_t>(s * 1e9); }

}  // namespace

LoadRunner::LoadRunner(const BenchOptions& options, Target* target, EventFeed* feed,
                       std::function<std::string()> check_alive)
    : o_(options), target_(target), feed_(feed), check_alive_(std::move(check_alive)) {
  proto::OrderRequest& order = submit_.order;
  order.customer_id = "bench-customer";
  order.currency = "USD";
  for (int i = 1; i <= o_.items; ++i) order.items.push_back({"sku-" + std::to_string(i), 1, kBenchPriceCents});
}

void LoadRunner::SetProducts(uint64_t order_index) {
  // Order i takes products (i*items + k) mod N: every product equally often,
  // neighbouring orders on different products.
  const uint64_t n = static_cast<uint64_t>(o_.products);
  const uint64_t items = submit_.order.items.size();
  for (uint64_t k = 0; k < items; ++k) {
    submit_.order.items[k].product_id = "sku-" + std::to_string((order_index * items + k) % n + 1);
  }
}

bool LoadRunner::SendOne(int64_t intended_ns, int64_t now) {
  if (o_.products > 0) SetProducts(res_.counters.sent);
  if (!target_->Submit(next_id_, submit_)) {
    ++res_.counters.send_blocked;
    return false;
  }
  slots_.push_back({intended_ns, kOpen});
  ++next_id_;
  ++res_.counters.sent;
  if (o_.closed_loop()) {
    ++window_used_;
  } else {
    res_.send_lag.Record((now - intended_ns) / 1000);
  }
  return true;
}

RunResult LoadRunner::Run() {
  // Sleep precisely between scheduled sends (the default slack is 50 µs).
  prctl(PR_SET_TIMERSLACK, 1UL);
  timeout_ns_ = Seconds(o_.timeout_s);
  const double cpu_start = CpuSecondsOfSelf();
  start_ns_ = MonoNanos();
  measure_start_ns_ = start_ns_ + Seconds(o_.warmup_s);
  const int64_t send_end_ns = o_.duration_s > 0 ? measure_start_ns_ + Seconds(o_.duration_s) : kNever;
  const uint64_t limit = o_.count > 0 ? o_.count : std::numeric_limits<uint64_t>::max();
  const int64_t report_ns = Seconds(o_.report_interval_s);
  // Events carry their own receive time, so only a closed loop that frees
  // window slots on completion needs to wake for them; otherwise they are
  // taken on the next turn, without a cross-thread wake-up per batch.
  const bool wake_for_events = feed_ && o_.closed_loop() && o_.window_on == WindowOn::kComplete;
  const int64_t sample_ns = report_ns > 0 ? report_ns : 1'000'000'000;
  prev_report_ns_ = start_ns_;

  bool sending = true;
  int64_t drain_deadline = kNever;
  int event_wake_fd = wake_for_events ? feed_->wake_fd() : -1;
  int64_t next_housekeeping = start_ns_ + kHousekeepingNs;
  int64_t next_report = start_ns_ + sample_ns;
  int64_t next_second = start_ns_ + 1'000'000'000;
  auto intended = [&](uint64_t i) {
    return start_ns_ + static_cast<int64_t>(static_cast<double>(i) * 1e9 / o_.rate);
  };

  while (true) {
    int64_t now = MonoNanos();
    if (ShutdownRequested()) {
      res_.interrupted = true;
      break;
    }
    bool blocked = false;
    if (sending) {
      if (!o_.closed_loop()) {
        while (res_.counters.sent < limit) {
          int64_t t = intended(res_.counters.sent);
          if (t > now || t >= send_end_ns) break;
          if (!SendOne(t, now)) {
            blocked = true;
            break;
          }
        }
        sending = res_.counters.sent < limit && intended(res_.counters.sent) < send_end_ns;
      } else {
        while (window_used_ < o_.window && res_.counters.sent < limit && now < send_end_ns) {
          if (!SendOne(now, now)) {
            blocked = true;
            break;
          }
        }
        sending = res_.counters.sent < limit && now < send_end_ns;
      }
      if (!sending) {
        res_.sending_s = static_cast<double>(now - start_ns_) / 1e9;
        drain_deadline = now + Seconds(o_.drain_timeout_s);
        if (feed_) event_wake_fd = feed_->wake_fd();  // draining: end as soon as the last event is in
      }
    }
    if (!sending && (Drained() || now >= drain_deadline)) break;

    int64_t wait = std::min(next_housekeeping, next_report) - now;
    if (sending) {
      if (blocked) {
        wait = std::min(wait, kBlockedRetryNs);
      } else if (!o_.closed_loop()) {
        wait = std::min(wait, intended(res_.counters.sent) - now);
      } else if (window_used_ < o_.window) {
        wait = 0;
      }
    }
    target_->Poll(std::max<int64_t>(wait, 0), event_wake_fd, &replies_);
    for (const SubmitReply& r : replies_) OnReply(r);
    replies_.clear();
    if (feed_) {
      feed_->Take(&events_);
      for (const TerminalEvent& e : events_) {
        if (from_log_.empty() || !from_log_.count(e.seq)) OnTerminal(e);  // else: taken from the log already
      }
      events_.clear();
    }

    now = MonoNanos();
    if (now >= next_housekeeping) {
      Housekeeping(now);
      next_housekeeping = now + kHousekeepingNs;
    }
    if (now >= next_report) {
      EndInterval(now, report_ns > 0);
      next_report += sample_ns;
    }
    if (now >= next_second) {
      next_second = now + 1'000'000'000;
      RecoverGaps(!sending);
      if (each_second_) each_second_(now);
      if (check_alive_) {
        res_.fatal = check_alive_();
        if (!res_.fatal.empty()) break;
      }
    }
  }

  const int64_t end_ns = MonoNanos();
  if (sending) res_.sending_s = static_cast<double>(end_ns - start_ns_) / 1e9;
  Housekeeping(end_ns);
  if (!res_.interrupted && res_.fatal.empty()) {
    quiet_seq_ = feed_ ? feed_->last_seq() : 0;  // the end: read the tail whatever the feed does
    RecoverGaps(true);
  }
  if (end_ns - prev_report_ns_ > sample_ns / 10) EndInterval(end_ns, report_ns > 0);

  res_.wall_s = static_cast<double>(end_ns - start_ns_) / 1e9;
  const double cpu = CpuSecondsOfSelf() - cpu_start;
  res_.cpu.push_back({"bench", res_.wall_s > 0 ? cpu / res_.wall_s : 0});

  const int64_t measured_end = std::max(last_accept_ns_, last_completion_ns_);
  res_.measured_s = measured_end > measure_start_ns_ ? static_cast<double>(measured_end - measure_start_ns_) / 1e9 : 0;
  if (last_accept_ns_ > measure_start_ns_) {
    res_.accepted_per_s = static_cast<double>(accepts_in_window_) /
                          (static_cast<double>(last_accept_ns_ - measure_start_ns_) / 1e9);
  }
  if (last_completion_ns_ > measure_start_ns_) {
    res_.completed_per_s = static_cast<double>(completions_in_window_) /
                           (static_cast<double>(last_completion_ns_ - measure_start_ns_) / 1e9);
  }

  TrackerTotals totals = tracker_.Finish();
  SelfCheck& check = res_.check;
  check.missing = totals.missing;
  check.duplicates = totals.duplicates;
  check.foreign_events = totals.foreign_events;
  check.duplicate_accepts = totals.duplicate_accepts;
  check.unanswered = res_.counters.sent - std::min(res_.counters.sent, res_.counters.answered);
  check.drained = !sending && Drained();
  return std::move(res_);
}

void LoadRunner::OnReply(const SubmitReply& r) {
  Counters& c = res_.counters;
  const uint64_t id = r.request_id;
  int64_t intended_ns = -1;
  bool known = false;
  if (id >= base_id_ && id < next_id_) {
    Slot& s = slots_[id - base_id_];
    if (s.state == kAnswered) {
      ++c.duplicate_replies;
      return;
    }
    s.state = kAnswered;
    intended_ns = s.intended_ns;
    known = true;
    while (!slots_.empty() && slots_.front().state == kAnswered) {
      slots_.pop_front();
      ++base_id_;
    }
  } else if (timed_out_.erase(id) > 0) {
    ++c.late_replies;  // its window slot went with the timeout
  } else if (id >= 1 && id < base_id_) {
    ++c.duplicate_replies;
    return;
  } else {
    ++c.unknown_replies;
    return;
  }
  ++c.answered;
  const bool measured = known && intended_ns >= measure_start_ns_;
  switch (r.kind) {
    case SubmitReply::Kind::kAccepted:
      OnAccepted(r, intended_ns, known, measured);
      return;
    case SubmitReply::Kind::kError:
      ++c.errors[std::min<size_t>(static_cast<size_t>(r.error), c.errors.size() - 1)];
      break;
    case SubmitReply::Kind::kBadReply:
      ++c.bad_replies;
      break;
    case SubmitReply::Kind::kHttpError:
      ++c.http_errors[r.http_status];
      break;
  }
  if (known && o_.closed_loop()) Release();
}

void LoadRunner::OnAccepted(const SubmitReply& r, int64_t intended_ns, bool known, bool measured) {
  ++res_.counters.accepted;
  if (r.recv_ns >= measure_start_ns_) {
    ++accepts_in_window_;
    last_accept_ns_ = std::max(last_accept_ns_, r.recv_ns);
  }
  if (known) {
    (measured ? res_.accept_latency : warm_accept_).Record((r.recv_ns - intended_ns) / 1000);
    interval_accept_.Record((r.recv_ns - intended_ns) / 1000);
  }
  if (!feed_) {  // nothing to follow: done at its accept
    if (known && o_.closed_loop()) Release();
    return;
  }
  const bool holds_window = known && o_.closed_loop() && o_.window_on == WindowOn::kComplete;
  if (known && o_.closed_loop() && !holds_window) Release();
  auto done = tracker_.OnAccepted(MakeOrderKey(r.order_id), intended_ns, r.recv_ns, measured, holds_window);
  if (done) OnCompletion(*done);
}

void LoadRunner::OnTerminal(const TerminalEvent& e) {
  auto done = tracker_.OnTerminal(e.order, e.status, e.recv_ns);
  if (done) OnCompletion(*done);
}

void LoadRunner::OnCompletion(const Completion& c) {
  Counters& n = res_.counters;
  ++n.completed;
  switch (c.status) {
    case proto::OrderStatus::kFailed: ++n.failed; break;
    case proto::OrderStatus::kDeadLettered: ++n.dead_lettered; break;
    default: ++n.processed; break;
  }
  if (c.held_window) Release();
  if (c.event_ns < 0) {  // recovered from the event log: when it happened is unknown
    ++res_.check.recovered;
    if (c.measured) ++completions_in_window_;
    return;
  }
  if (c.event_ns >= measure_start_ns_) {
    ++completions_in_window_;
    last_completion_ns_ = std::max(last_completion_ns_, c.event_ns);
  }
  if (c.intended_ns < 0) return;  // a late reply: its send time is forgotten
  (c.measured ? res_.completion_latency : warm_completion_).Record((c.event_ns - c.intended_ns) / 1000);
  interval_completion_.Record((c.event_ns - c.intended_ns) / 1000);
}

void LoadRunner::Housekeeping(int64_t now) {
  while (!slots_.empty()) {
    const Slot& s = slots_.front();
    if (s.state == kOpen) {
      if (now - s.intended_ns <= timeout_ns_) break;
      ++res_.counters.timeouts;
      timed_out_.insert(base_id_);
      if (o_.closed_loop()) Release();
    }
    slots_.pop_front();
    ++base_id_;
  }
  if (o_.closed_loop() && o_.window_on == WindowOn::kComplete) {
    uint64_t released = tracker_.ReleaseStaleWindowSlots(now - timeout_ns_);
    res_.check.window_slots_released += released;
    for (uint64_t i = 0; i < released; ++i) Release();
  }
}

void LoadRunner::RecoverGaps(bool draining) {
  if (!feed_) return;
  std::vector<std::pair<uint64_t, uint64_t>> gaps = feed_->Gaps();
  for (; gaps_counted_ < gaps.size(); ++gaps_counted_) {
    res_.check.event_gaps += gaps[gaps_counted_].second - gaps[gaps_counted_].first + 1;
  }
  for (; gaps_handled_ < gaps.size(); ++gaps_handled_) {
    const auto [first, last] = gaps[gaps_handled_];
    if (!ReadLog(first - 1, last)) return;  // no answer (or no control socket): again next time
  }
  // The PUB socket may also have dropped the last events of the run: no
  // later event shows them as a gap, so read past the feed's last event
  // once the feed has gone quiet with orders still waiting for theirs.
  const uint64_t live = feed_->last_seq();
  const bool quiet = live == quiet_seq_;
  quiet_seq_ = live;
  if (!draining || !quiet || tracker_.pending() == 0) return;
  if (auto read = ReadLog(std::max(live, tail_after_), 0)) tail_after_ = std::max(tail_after_, *read);
}

std::optional<uint64_t> LoadRunner::ReadLog(uint64_t after, uint64_t last) {
  constexpr uint64_t kPage = 10'000;
  while (last == 0 || after < last) {
    const uint64_t want = last == 0 ? kPage : std::min(kPage, last - after);
    auto page = target_->EventsSince(after, static_cast<uint32_t>(want));
    if (!page.ok()) return std::nullopt;
    if (page->events.empty()) break;  // the end of the log, or no event log (trimmed)
    for (const proto::Event& ev : page->events) {
      if (last != 0 && ev.seq > last) return last;
      after = ev.seq;
      // payment.voided and catalog.updated share the seq space; only order.<status> ends an order.
      if (proto::EventTopic(ev).rfind("order.", 0) != 0 || !proto::IsTerminal(ev.status)) continue;
      if (!from_log_.insert(ev.seq).second) continue;  // read before (a gap and the tail overlap)
      OnTerminal({MakeOrderKey(ev.order_id), ev.status, -1, ev.seq});
    }
  }
  return after;
}

bool LoadRunner::Drained() const { return slots_.empty() && tracker_.pending() == 0; }

void LoadRunner::EndInterval(int64_t now, bool print) {
  // Warm-up figures until the measured ones have something to show.
  const bool warm = now < measure_start_ns_ || res_.accept_latency.Count() == 0;
  ProgressLine line;
  line.elapsed_s = static_cast<double>(now - start_ns_) / 1e9;
  line.interval_s = static_cast<double>(now - prev_report_ns_) / 1e9;
  line.phase = now < measure_start_ns_ ? "warm-up" : (res_.sending_s > 0 ? "drain" : "");
  if (res_.sending_s > 0) {
    line.progress_pct = 100;
  } else if (o_.count > 0) {
    line.progress_pct = 100.0 * static_cast<double>(res_.counters.sent) / static_cast<double>(o_.count);
  } else {
    line.progress_pct = 100.0 * line.elapsed_s / (o_.warmup_s + o_.duration_s);
  }
  line.now = res_.counters;
  line.prev = prev_;
  line.accept = warm ? &warm_accept_ : &res_.accept_latency;
  line.completion = warm ? &warm_completion_ : &res_.completion_latency;
  line.in_flight = static_cast<int64_t>(res_.counters.sent - res_.counters.answered - timed_out_.size());
  line.pending = tracker_.pending();
  if (print) PrintProgressLine(stdout, line);

  IntervalSample s;
  s.t_s = line.elapsed_s;
  s.interval_s = line.interval_s;
  s.phase = line.phase;
  s.sent = res_.counters.sent - prev_.sent;
  s.accepted = res_.counters.accepted - prev_.accepted;
  s.completed = res_.counters.completed - prev_.completed;
  s.errors = res_.counters.error_total() - prev_.error_total();
  auto pct = [](const Histogram& h, double p) { return h.Count() ? h.Percentile(p) : int64_t{-1}; };
  s.accept_p50_us = pct(interval_accept_, 50);
  s.accept_p99_us = pct(interval_accept_, 99);
  s.completion_p50_us = pct(interval_completion_, 50);
  s.completion_p99_us = pct(interval_completion_, 99);
  s.in_flight = line.in_flight;
  s.pending = line.pending;
  res_.series.push_back(std::move(s));
  interval_accept_.Reset();
  interval_completion_.Reset();
  prev_ = res_.counters;
  prev_report_ns_ = now;
}

}  // namespace om::bench
