#include "nodes/notify/event_sequencer.h"

#include <algorithm>
#include <utility>

namespace om::notify {

EventSequencer::EventSequencer(SequencerOptions options) : options_(std::move(options)), filter_(options_.topics) {
  if (options_.catchup_batch == 0) options_.catchup_batch = 1;
  if (options_.max_buffered == 0) options_.max_buffered = 1;
}

void EventSequencer::StartLive() {
  last_.reset();
  catching_up_ = to_log_end_ = silent_trim_ = false;
  buffer_.clear();
}

void EventSequencer::StartAfter(uint64_t after_seq) {
  last_ = after_seq;
  catching_up_ = to_log_end_ = true;
  silent_trim_ = after_seq == 0;
  buffer_.clear();
}

bool EventSequencer::Matches(std::string_view topic) const { return filter_.Matches(topic); }

SequencerOutput EventSequencer::OnLive(proto::Event event) {
  SequencerOutput out;
  if (event.seq == 0) {  // seqs start at 1: not an event we can place
    ++stats_.duplicates;
    return out;
  }
  if (!last_) {  // StartLive: the first event received is the start point
    last_ = event.seq - 1;
    Emit(std::move(event), false, &out);
    return out;
  }
  if (event.seq <= *last_ || buffer_.count(event.seq)) {
    ++stats_.duplicates;
    return out;
  }
  if (catching_up_) {
    if (buffer_.size() >= options_.max_buffered) {
      // Holding more would grow without bound: the log has them all anyway.
      buffer_.clear();
      ++stats_.overflows;
      out.buffer_overflowed = true;
      to_log_end_ = true;
    }
    buffer_.emplace(event.seq, std::move(event));
    return out;
  }
  if (event.seq == *last_ + 1) {
    Emit(std::move(event), false, &out);
    return out;
  }
  ++stats_.gaps;
  buffer_.emplace(event.seq, std::move(event));
  catching_up_ = true;
  to_log_end_ = false;
  out.gap_opened = true;
  return out;
}

SequencerOutput EventSequencer::OnCatchup(const proto::Events& reply) {
  SequencerOutput out;
  if (!catching_up_ || !last_) return out;  // nothing asked: a stray reply
  for (const proto::Event& ev : reply.events) {
    if (ev.seq <= *last_) {
      ++stats_.duplicates;
      continue;
    }
    if (ev.seq > *last_ + 1) Skip(*last_ + 1, ev.seq - 1, reply.first_retained_seq > *last_ + 1, &out);
    Emit(ev, true, &out);
  }
  DrainBuffer(&out);
  // An empty page means the log holds nothing past last_: whatever is still
  // missing before the buffered events will never come.
  while (reply.events.empty() && !buffer_.empty()) {
    Skip(*last_ + 1, buffer_.begin()->first - 1, reply.first_retained_seq > *last_ + 1, &out);
    DrainBuffer(&out);
  }
  const bool log_exhausted = reply.events.empty() || *last_ >= reply.last_seq;
  if (log_exhausted) to_log_end_ = false;
  if (buffer_.empty() && !to_log_end_) {
    catching_up_ = false;
    out.caught_up = true;
  }
  return out;
}

bool EventSequencer::OnLogEnd(uint64_t log_last_seq) {
  if (catching_up_ || !last_ || log_last_seq <= *last_) return false;
  ++stats_.gaps;
  catching_up_ = to_log_end_ = true;
  return true;
}

std::optional<proto::EventsSince> EventSequencer::PendingRequest() const {
  if (!catching_up_ || !last_) return std::nullopt;
  uint32_t limit = options_.catchup_batch;
  if (!to_log_end_ && !buffer_.empty()) {
    // Exactly the missing range, in pages of at most catchup_batch.
    uint64_t missing = buffer_.begin()->first - *last_ - 1;
    limit = static_cast<uint32_t>(std::clamp<uint64_t>(missing, 1, limit));
  }
  return proto::EventsSince{*last_, limit};
}

void EventSequencer::Emit(proto::Event ev, bool from_log, SequencerOutput* out) {
  last_ = ev.seq;
  silent_trim_ = false;
  if (!Matches(proto::EventTopic(ev))) {
    ++stats_.filtered;
    return;
  }
  ++stats_.printed;
  if (from_log) {
    ++stats_.from_log;
    ++out->from_log;
  }
  out->events.push_back(std::move(ev));
}

void EventSequencer::Skip(uint64_t first, uint64_t last, bool trimmed, SequencerOutput* out) {
  last_ = last;
  if (silent_trim_ && first == 1) return;  // StartAfter(0): the retained log starts later
  stats_.lost += last - first + 1;
  out->lost.push_back(LostRange{first, last, trimmed});
}

void EventSequencer::DrainBuffer(SequencerOutput* out) {
  while (!buffer_.empty()) {
    auto it = buffer_.begin();
    if (it->first <= *last_) {  // the log gave it already
      ++stats_.duplicates;
      buffer_.erase(it);
      continue;
    }
    if (it->first != *last_ + 1) return;
    Emit(std::move(it->second), false, out);
    buffer_.erase(it);
  }
}

}  // namespace om::notify
