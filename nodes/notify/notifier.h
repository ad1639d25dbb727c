// Notifier: the socket side of ordermesh-notify. It subscribes to the whole
// "order." stream (so seqs are contiguous from its point of view), feeds every
// live event and every catch-up page to an EventSequencer, and prints what the
// sequencer emits as one JSON line per event (proto::ToJson), flushed per
// line. Logs go to stderr through spdlog.
//
// Catch-up requests go to the broker's front socket through a blocking
// FrontClient; a failed request is retried after a jittered backoff, and live
// events keep being read into the sequencer's bounded buffer meanwhile, so
// their order survives a broker that is down or slow. When the feed has been
// quiet for idle_check_ms it asks the broker for its newest seq, so the tail
// of a burst that the feed dropped is not left unprinted until the next event.
//
// Ownership: the Notifier owns its ZeroMQ context, the SUB socket and the
// FrontClient's DEALER; `out` is borrowed and must outlive Run(). Thread: one;
// everything runs on the thread that calls Run(). Run() checks
// ShutdownRequested() at least every 100 ms, except while one request to the
// broker (a catch-up page or an idle probe) waits for its reply: FrontClient
// blocks for up to timeout_ms, and only when the broker does not answer.
#pragma once

#include <cstdio>
#include <memory>

#include <zmq.hpp>

#include "common/backoff.h"
#include "common/status.h"
#include "nodes/notify/event_sequencer.h"
#include "nodes/notify/notify_options.h"
#include "protocol/front_client.h"

namespace om::notify {

class Notifier {
 public:
  Notifier(const NotifyOptions& options, std::FILE* out);

  // Serves until a shutdown signal (common/signals.h) or until `out` is
  // closed by its reader (EPIPE: a normal end, Ok). Errors: the SUB socket
  // cannot connect (InvalidArgument), stdout fails otherwise (IoError).
  [[nodiscard]] Status Run();

  const SequencerStats& stats() const { return sequencer_.stats(); }
  uint64_t bad_frames() const { return bad_frames_; }

 private:
  // Waits up to `wait` for live events, then reads what is queued (bounded,
  // so the loop stays responsive) into the sequencer.
  void PollLive(std::chrono::milliseconds wait);
  // Sends the sequencer's pending request once and hands it the reply. On
  // failure schedules the next try after a backoff.
  void CatchUpOnce();
  // While live and quiet: asks the broker for its newest seq (EventsSince
  // with limit 1) and lets the sequencer decide whether to catch up.
  void ProbeLogEnd();
  // Logs what the sequencer reports and prints its events.
  void Handle(const SequencerOutput& out);
  void Print(const proto::Event& event);

  const NotifyOptions& options_;
  std::FILE* out_;
  zmq::context_t ctx_;
  zmq::socket_t sub_;
  proto::FrontClient front_;
  EventSequencer sequencer_;
  Backoff backoff_;
  int failures_ = 0;            // consecutive failed catch-up requests
  int64_t retry_at_mono_ = 0;   // no catch-up request before this
  int64_t probe_at_mono_ = 0;   // next idle-time check of the broker's newest seq
  int probe_failures_ = 0;      // consecutive failed probes
  uint64_t bad_frames_ = 0;
  bool overflow_warned_ = false;  // the current catch-up's buffer overflow was logged
  bool output_closed_ = false;  // the reader of `out` went away
  Status output_error_;
};

}  // namespace om::notify
