// WebhookSink: POSTs each event's JSON to a URL, one event at a time, in
// order. Headers: Content-Type: application/json, X-Ordermesh-Seq and
// X-Ordermesh-Topic (and traceparent when the event has one).
//
// One delivery: up to max_attempts POSTs, each bounded by timeout (connect,
// send and the whole response). 2xx is delivered. 5xx, 408, 429, a timeout
// or a connection error is retried after a jittered backoff (full jitter,
// retry_base .. retry_cap); any other status (4xx, 3xx) is not retried.
// An event that is not delivered after the attempts (or is refused) is
// appended to the dead-letter file (JSON lines, see DeadLetterLine) with the
// typed reason, and counts as taken: the stream moves on.
//
// Guarantee: in order; at least once. A POST whose 2xx answer is lost, or a
// notifier killed between a 2xx and the state save that follows it at once
// (save_after_each_delivery), sends that one event again. Receivers dedupe
// by X-Ordermesh-Seq (the "seq" field). The dead-letter file records its own
// last seq (JsonLinesFile), so an event is dead-lettered once.
//
// The backoff waits through `sleep`, which returns false when the notifier is
// shutting down: Deliver then returns Unavailable and the event is not taken
// (a restart delivers it). While it waits nobody reads the SUB socket; what
// ZeroMQ drops meanwhile the sequencer fetches from the broker's log.
//
// Ownership: owns its HTTP client and dead-letter file. Thread: the notifier's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/backoff.h"
#include "common/http_client.h"
#include "nodes/notify/json_lines_file.h"
#include "nodes/notify/sink.h"

namespace om::notify {

struct WebhookOptions {
  std::string url;                                    // http://host[:port]/path
  std::chrono::milliseconds timeout{2000};            // one attempt
  int max_attempts = 5;                               // POSTs per event before it is dead-lettered
  std::chrono::milliseconds retry_base{100};          // backoff ceiling before the 2nd attempt
  std::chrono::milliseconds retry_cap{5000};          // largest backoff ceiling
  std::string dead_letter_file;                       // JSON lines of events given up on
};

// Why an attempt failed; the names are stable in the dead-letter file.
enum class WebhookFailure {
  kServerError,      // "server_error": 5xx, 408 or 429 (retried)
  kTimeout,          // "timeout": no answer within timeout (retried)
  kConnectionError,  // "connection_error": cannot connect, or the connection broke (retried)
  kRejected,         // "rejected": any other non-2xx status (not retried)
};
std::string_view WebhookFailureName(WebhookFailure failure);

// What one HTTP exchange means. Pure.
struct AttemptOutcome {
  bool delivered = false;
  bool retryable = false;
  WebhookFailure failure = WebhookFailure::kConnectionError;  // when !delivered
  std::string detail;                                          // "HTTP 503", "connect: Connection refused"
};
AttemptOutcome ClassifyAttempt(const http::HttpResult& result);

class WebhookSink final : public Sink {
 public:
  // One POST of body with headers; the default is an http::HttpClient.
  using Post = std::function<http::HttpResult(const std::string& body, const http::Headers& headers)>;
  // Waits; false when the wait was cut short by shutdown. Default: sleeps in
  // slices of 50 ms, checking ShutdownRequested().
  using Sleep = std::function<bool(std::chrono::microseconds)>;

  struct Stats {
    uint64_t delivered = 0;
    uint64_t attempts = 0;
    uint64_t dead_lettered = 0;
  };

  // Errors: InvalidArgument (bad url), those of JsonLinesFile::Open.
  [[nodiscard]] static Result<std::unique_ptr<WebhookSink>> Open(const WebhookOptions& options, Post post = {},
                                                                 Sleep sleep = {});

  const std::string& id() const override { return id_; }
  [[nodiscard]] Status Deliver(const proto::Event& event, const std::string& line) override;
  [[nodiscard]] Status Sync() override { return dead_letters_->Sync(); }
  uint64_t recorded_seq() const override { return dead_letters_->last_seq(); }
  bool save_after_each_delivery() const override { return true; }
  const Stats& stats() const { return stats_; }

 private:
  WebhookSink(const WebhookOptions& options, std::unique_ptr<JsonLinesFile> dead_letters, Post post, Sleep sleep);
  Status DeadLetter(const proto::Event& event, const std::string& line, const AttemptOutcome& last, int attempts);

  const WebhookOptions options_;
  const std::string id_;
  std::unique_ptr<JsonLinesFile> dead_letters_;
  std::unique_ptr<http::HttpClient> client_;  // when post_ is the default
  Post post_;
  Sleep sleep_;
  Backoff backoff_;
  Stats stats_;
};

}  // namespace om::notify
