#include "nodes/notify/webhook_sink.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/signals.h"
#include "nodes/notify/topic_filter.h"
#include "protocol/json.h"

namespace om::notify {
namespace {

bool SleepUnlessShutdown(std::chrono::microseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  while (!ShutdownRequested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

}  // namespace

std::string_view WebhookFailureName(WebhookFailure failure) {
  switch (failure) {
    case WebhookFailure::kServerError: return "server_error";
    case WebhookFailure::kTimeout: return "timeout";
    case WebhookFailure::kConnectionError: return "connection_error";
    case WebhookFailure::kRejected: return "rejected";
  }
  return "unknown";
}

AttemptOutcome ClassifyAttempt(const http::HttpResult& r) {
  AttemptOutcome o;
  if (r.status == 0) {
    o.retryable = true;
    o.failure = r.timed_out ? WebhookFailure::kTimeout : WebhookFailure::kConnectionError;
    o.detail = r.error;
    return o;
  }
  o.detail = "HTTP " + std::to_string(r.status);
  if (r.status >= 200 && r.status < 300) {
    o.delivered = true;
  } else if (r.status >= 500 || r.status == 408 || r.status == 429) {
    o.retryable = true;
    o.failure = WebhookFailure::kServerError;
  } else {
    o.failure = WebhookFailure::kRejected;
  }
  return o;
}

Result<std::unique_ptr<WebhookSink>> WebhookSink::Open(const WebhookOptions& options, Post post, Sleep sleep) {
  http::HttpUrl url;
  std::string problem;
  if (!http::ParseHttpUrl(options.url, &url, &problem)) {
    return Status::InvalidArgument("webhook url '" + options.url + "' " + problem);
  }
  auto dead_letters = JsonLinesFile::Open(options.dead_letter_file);
  if (!dead_letters.ok()) return dead_letters.status();
  std::unique_ptr<WebhookSink> sink(
      new WebhookSink(options, std::move(dead_letters).value(), std::move(post), std::move(sleep)));
  if (!sink->post_) {
    sink->client_ = std::make_unique<http::HttpClient>(url.host, url.port, options.timeout);
    sink->post_ = [client = sink->client_.get(), target = url.target](const std::string& body,
                                                                      const http::Headers& headers) {
      return client->Post(target, body, headers);
    };
  }
  return sink;
}

WebhookSink::WebhookSink(const WebhookOptions& options, std::unique_ptr<JsonLinesFile> dead_letters, Post post,
                         Sleep sleep)
    : options_(options),
      id_("webhook:" + options.url),
      dead_letters_(std::move(dead_letters)),
      post_(std::move(post)),
      sleep_(sleep ? std::move(sleep) : Sleep(SleepUnlessShutdown)),
      backoff_(std::chrono::microseconds(options.retry_base).count(),
               std::chrono::microseconds(options.retry_cap).count()) {}

Status WebhookSink::Deliver(const proto::Event& event, const std::string& line) {
  http::Headers headers = {{"X-Ordermesh-Seq", std::to_string(event.seq)}, {"X-Ordermesh-Topic", proto::EventTopic(event)}};
  if (!event.traceparent.empty()) headers.emplace_back("traceparent", event.traceparent);
  AttemptOutcome outcome;
  int attempt = 0;
  while (attempt < options_.max_attempts) {
    if (attempt > 0 && !sleep_(std::chrono::microseconds(backoff_.Delay(attempt)))) {
      return Status::Unavailable("shutdown while retrying event " + std::to_string(event.seq) + " to " + options_.url);
    }
    ++attempt;
    ++stats_.attempts;
    outcome = ClassifyAttempt(post_(line, headers));
    if (outcome.delivered) {
      ++stats_.delivered;
      return Status::Ok();
    }
    spdlog::debug("webhook {}: event {} attempt {}/{} failed: {} ({})", options_.url, event.seq, attempt,
                  options_.max_attempts, WebhookFailureName(outcome.failure), outcome.detail);
    if (!outcome.retryable) break;
  }
  return DeadLetter(event, line, outcome, attempt);
}

Status WebhookSink::DeadLetter(const proto::Event& event, const std::string& line, const AttemptOutcome& last,
                               int attempts) {
  nlohmann::json letter = {{"seq", event.seq},
                           {"topic", proto::EventTopic(event)},
                           {"url", options_.url},
                           {"reason", WebhookFailureName(last.failure)},
                           {"detail", last.detail},
                           {"attempts", attempts},
                           {"dead_lettered_at", proto::FormatTime(SystemClock::Instance().WallMicros())},
                           {"event", nlohmann::json::parse(line)}};
  spdlog::warn("webhook {}: event {} dead-lettered to {} after {} attempts: {} ({})", options_.url, event.seq,
               dead_letters_->path(), attempts, WebhookFailureName(last.failure), last.detail);
  ++stats_.dead_lettered;
  return dead_letters_->Append(event.seq, letter.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace om::notify
