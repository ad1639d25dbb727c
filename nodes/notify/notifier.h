// Notifier: the socket side of ordermesh-notify. It subscribes to the whole
// event stream, every topic (so seqs are contiguous from its point of view:
// order.*, payment.voided and catalog.updated share one sequence), feeds every
// live event and every catch-up page to an EventSequencer, and hands what the
// sequencer emits, in seq order, to its SinkSet (stdout, files, webhooks; each
// filters by topic). It starts where the SinkSet's state file says (resume),
// else at --since, else live. Logs go to stderr through spdlog.
//
// A slow sink (a webhook retrying) holds up the loop: live events then queue
// in ZeroMQ (rcvhwm) or are dropped by it, and the sequencer fetches what was
// dropped from the broker's log, so a slow sink costs latency, never events.
//
// Catch-up requests go to the broker's front socket through a blocking
// FrontClient; a failed request is retried after a jittered backoff, and live
// events keep being read into the sequencer's bounded buffer meanwhile, so
// their order survives a broker that is down or slow. When the feed has been
// quiet for idle_check_ms it asks the broker for its newest seq, so the tail
// of a burst that the feed dropped is not left unprinted until the next event.
//
// Ownership: the Notifier owns its ZeroMQ context, the SUB socket, the
// FrontClient's DEALER and the SinkSet. Thread: one;
// everything runs on the thread that calls Run(). Run() checks
// ShutdownRequested() at least every 100 ms, except while one request to the
// broker (a catch-up page or an idle probe) waits for its reply: FrontClient
// blocks for up to timeout_ms, and only when the broker does not answer; and
// while a webhook attempt waits for its answer (its timeout_ms).
#pragma once

#include <cstdio>
#include <memory>

#include <zmq.hpp>

#include "common/backoff.h"
#include "common/status.h"
#include "nodes/notify/event_sequencer.h"
#include "nodes/notify/notify_options.h"
#include "nodes/notify/sink_set.h"
#include "protocol/front_client.h"

namespace om::notify {

class Notifier {
 public:
  Notifier(const NotifyOptions& options, std::unique_ptr<SinkSet> sinks);

  // Serves until a shutdown signal (common/signals.h) or until a sink asks
  // to stop (stdout closed by its reader: a normal end, Ok). Errors: the SUB
  // socket cannot connect (InvalidArgument), a sink or the state file fails
  // (IoError and others).
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
  // Logs what the sequencer reports and delivers its events.
  void Handle(const SequencerOutput& out);
  // Records a sink's failure: Unavailable stops cleanly, others with the error.
  void Stop(Status status);

  const NotifyOptions& options_;
  std::unique_ptr<SinkSet> sinks_;
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
  bool stopping_ = false;        // a sink asked to stop (clean, or with output_error_)
  Status output_error_;
};

}  // namespace om::notify
