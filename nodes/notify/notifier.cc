#include "nodes/notify/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "common/clock.h"
#include "common/signals.h"
#include "protocol/codec.h"
#include "protocol/json.h"

namespace om::notify {
namespace {

// Every event: seqs are shared by all topics (order.*, payment.voided,
// catalog.updated), so only the whole stream is gap-free; sinks filter locally.
constexpr const char* kStreamPrefix = "";
// The topic families, for the warning about a prefix that can match nothing.
constexpr const char* kTopicFamilies[] = {"order.", proto::kTopicPaymentVoided, proto::kTopicCatalogUpdated};
// Live messages read per PollLive call before the loop looks at signals again.
constexpr int kLiveBudget = 10'000;

int64_t NowMono() { return SystemClock::Instance().MonoMicros(); }

SequencerOptions ToSequencerOptions(const NotifyOptions& o) {
  SequencerOptions s;
  s.catchup_batch = static_cast<uint32_t>(o.catchup_batch);
  s.max_buffered = static_cast<size_t>(o.max_buffered);
  s.topics = {};  // every event: the sinks filter
  return s;
}

}  // namespace

Notifier::Notifier(const NotifyOptions& options, std::unique_ptr<SinkSet> sinks)
    : options_(options),
      sinks_(std::move(sinks)),
      sub_(ctx_, zmq::socket_type::sub),
      front_(ctx_, options.broker_endpoint),
      sequencer_(ToSequencerOptions(options)),
      backoff_(options.retry_base_ms * 1000, options.retry_cap_ms * 1000) {}

Status Notifier::Run() {
  try {
    sub_.set(zmq::sockopt::linger, 0);
    sub_.set(zmq::sockopt::rcvhwm, options_.rcvhwm);
    sub_.set(zmq::sockopt::subscribe, kStreamPrefix);
    sub_.connect(options_.events_endpoint);
  } catch (const zmq::error_t& e) {
    return Status::InvalidArgument(std::string("cannot connect to events_endpoint ") + options_.events_endpoint +
                                   ": " + e.what());
  }
  for (const SinkEntry& e : sinks_->sinks()) {
    for (const auto& topic : e.filter.prefixes()) {
      std::string_view t = topic;
      bool possible = std::any_of(std::begin(kTopicFamilies), std::end(kTopicFamilies), [&](std::string_view family) {
        return t.starts_with(family) || family.starts_with(t);
      });
      if (!possible) {
        spdlog::warn("{}: topic prefix '{}' matches no event: topics are order.<status>, {} and {}", e.sink->id(),
                     topic, proto::kTopicPaymentVoided, proto::kTopicCatalogUpdated);
      }
    }
  }
  if (options_.since) {
    sequencer_.StartAfter(*options_.since);
    spdlog::info("delivering events after seq {} (--since) from the broker at {}, then live from {}", *options_.since,
                 options_.broker_endpoint, options_.events_endpoint);
  } else if (auto resume = sinks_->resume_after()) {
    sequencer_.StartAfter(*resume);
    spdlog::info("resuming after seq {} (state file {}) from the broker at {}, then live from {}", *resume,
                 options_.state_file, options_.broker_endpoint, options_.events_endpoint);
  } else {
    sequencer_.StartLive();
    spdlog::info("delivering live events from {} (catch-up from {})", options_.events_endpoint,
                 options_.broker_endpoint);
  }

  const int64_t idle_us = options_.idle_check_ms * 1000;
  probe_at_mono_ = NowMono() + idle_us;
  while (!ShutdownRequested() && !stopping_) {
    if (Status st = sinks_->Checkpoint(false); !st.ok()) Stop(st);
    const int64_t now = NowMono();
    if (sequencer_.catching_up()) {
      if (now >= retry_at_mono_) {
        CatchUpOnce();
        PollLive(std::chrono::milliseconds(0));  // what arrived while we waited for the reply
      } else {
        PollLive(std::chrono::milliseconds(std::min<int64_t>(100, (retry_at_mono_ - now) / 1000 + 1)));
      }
      continue;
    }
    if (idle_us > 0 && now >= probe_at_mono_) {
      ProbeLogEnd();
      continue;
    }
    PollLive(std::chrono::milliseconds(100));
  }

  if (Status st = sinks_->Checkpoint(true); !st.ok() && output_error_.ok()) output_error_ = st;
  const SequencerStats& s = sequencer_.stats();
  spdlog::info("stopped: sequenced {} events ({} filled from the log); {} duplicates dropped, {} lost, {} gaps, "
               "{} buffer overflows, {} bad frames",
               s.printed, s.from_log, s.duplicates, s.lost, s.gaps, s.overflows, bad_frames_);
  for (const SinkEntry& e : sinks_->sinks()) {
    spdlog::info("sink {}: delivered {}, filtered out {}, at seq {}", e.sink->id(), e.taken, e.filtered, e.seq);
  }
  return output_error_;
}

void Notifier::PollLive(std::chrono::milliseconds wait) {
  zmq::pollitem_t item{sub_.handle(), 0, ZMQ_POLLIN, 0};
  try {
    zmq::poll(&item, 1, wait);
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) spdlog::error("poll: {}", e.what());
    return;
  }
  if (!(item.revents & ZMQ_POLLIN)) return;
  for (int i = 0; i < kLiveBudget && !stopping_; ++i) {
    zmq::message_t topic, body;
    if (!sub_.recv(topic, zmq::recv_flags::dontwait)) return;
    bool framed = topic.more() && sub_.recv(body, zmq::recv_flags::dontwait) && !body.more();
    while (body.more()) {  // not our protocol: swallow the rest of the message
      if (!sub_.recv(body, zmq::recv_flags::dontwait)) break;
    }
    auto event = framed ? proto::DecodeEvent(body.to_string_view())
                        : Result<proto::Event>(Status::Corruption("expected [topic][body] frames"));
    if (!event.ok()) {
      ++bad_frames_;
      spdlog::warn("bad event #{} on topic '{}': {}", bad_frames_, topic.to_string_view(), event.status().ToString());
      continue;
    }
    probe_at_mono_ = NowMono() + options_.idle_check_ms * 1000;
    Handle(sequencer_.OnLive(std::move(event).value()));
  }
}

void Notifier::CatchUpOnce() {
  proto::EventsSince req = *sequencer_.PendingRequest();
  auto reply = front_.Expect<proto::Events>(req, std::chrono::milliseconds(options_.timeout_ms));
  if (!reply.ok()) {
    ++failures_;
    int64_t delay_us = backoff_.Delay(failures_);
    retry_at_mono_ = NowMono() + delay_us;
    spdlog::warn("catch-up of events after seq {} failed (try {}): {}; retrying in {} ms ({} live events held)",
                 req.after_seq, failures_, reply.status().ToString(), delay_us / 1000, sequencer_.buffered());
    return;
  }
  if (failures_ > 0) spdlog::info("broker at {} answers again after {} failed tries", front_.endpoint(), failures_);
  failures_ = 0;
  if (options_.since && req.after_seq == *options_.since && reply->last_seq < req.after_seq) {
    spdlog::warn("--since {} is past the broker's newest event (seq {}): waiting for seq {}", req.after_seq,
                 reply->last_seq, req.after_seq + 1);
  }
  Handle(sequencer_.OnCatchup(reply.value()));
}

void Notifier::ProbeLogEnd() {
  const int64_t idle_us = options_.idle_check_ms * 1000;
  std::optional<uint64_t> last = sequencer_.last_seq();
  if (!last) {  // live start, nothing received yet: the first event will set the start point
    probe_at_mono_ = NowMono() + idle_us;
    return;
  }
  auto reply = front_.Expect<proto::Events>(proto::EventsSince{*last, 1}, std::chrono::milliseconds(options_.timeout_ms));
  if (!reply.ok()) {
    // Quiet and unreachable is not urgent: say it once per outage.
    if (probe_failures_++ == 0) {
      spdlog::warn("cannot check the broker for missed events: {}; retrying with backoff", reply.status().ToString());
    }
    probe_at_mono_ = NowMono() + std::max(idle_us, backoff_.Delay(probe_failures_));
    return;
  }
  if (probe_failures_ > 0) spdlog::info("broker at {} answers again", front_.endpoint());
  probe_failures_ = 0;
  probe_at_mono_ = NowMono() + idle_us;
  if (sequencer_.OnLogEnd(reply->last_seq)) {
    spdlog::info("the broker's log is at seq {} but the feed stopped at seq {}: catching up", reply->last_seq, *last);
  }
}

void Notifier::Handle(const SequencerOutput& out) {
  if (out.gap_opened) {
    spdlog::info("gap after seq {}: asking the broker for the missing events", sequencer_.last_seq().value_or(0));
  }
  if (out.buffer_overflowed && !overflow_warned_) {  // once per catch-up; the summary counts them all
    overflow_warned_ = true;
    spdlog::warn("more than {} live events arrived while catching up: dropped them, catching up from the log instead",
                 options_.max_buffered);
  }
  for (const LostRange& r : out.lost) {
    spdlog::warn("LOST events {}..{} ({} events): {}", r.first, r.last, r.last - r.first + 1,
                 r.trimmed ? "trimmed from the broker's event log before we caught up (see [broker] event_retention)"
                           : "not in the broker's event log");
  }
  for (const proto::Event& ev : out.events) {
    if (stopping_) break;
    if (Status st = sinks_->Deliver(ev); !st.ok()) Stop(st);
  }
  if (out.caught_up) {
    overflow_warned_ = false;
    spdlog::info("caught up at seq {} ({} events filled from the log so far)", sequencer_.last_seq().value_or(0),
                 sequencer_.stats().from_log);
  }
}

void Notifier::Stop(Status status) {
  stopping_ = true;
  if (status.code() == Code::kUnavailable) {
    spdlog::info("stopping: {}", status.message());
  } else {
    output_error_ = std::move(status);
  }
}

}  // namespace om::notify
