#include "nodes/notify/webhook_sink.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>

#include "nodes/notify/sink_test_util.h"

namespace om::notify {
namespace {

using testing::MakeEvent;

http::HttpResult Answer(int status) {
  http::HttpResult r;
  r.status = status;
  return r;
}
http::HttpResult Timeout() {
  http::HttpResult r;
  r.error = "timed out";
  r.timed_out = true;
  return r;
}
http::HttpResult Refused() {
  http::HttpResult r;
  r.error = "connect: Connection refused";
  return r;
}

class WebhookSinkTest : public testing::TempDirTest {
 protected:
  // A sink whose POSTs get the scripted answers in turn (then 200).
  std::unique_ptr<WebhookSink> Open(std::deque<http::HttpResult> answers, int max_attempts = 4) {
    answers_ = std::move(answers);
    WebhookOptions o{.url = "http://127.0.0.1:9/hook",
                     .timeout = std::chrono::milliseconds(100),
                     .max_attempts = max_attempts,
                     .retry_base = std::chrono::milliseconds(10),
                     .retry_cap = std::chrono::milliseconds(40),
                     .dead_letter_file = Path("dlq/webhook.jsonl")};
    auto sink = WebhookSink::Open(
        o,
        [this](const std::string& body, const http::Headers& headers) {
          posts_.push_back({body, headers});
          if (answers_.empty()) return Answer(200);
          http::HttpResult r = answers_.front();
          answers_.pop_front();
          return r;
        },
        [this](std::chrono::microseconds wait) {
          waits_.push_back(wait);
          return !shutdown_;
        });
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return std::move(sink).value();
  }
  Status Deliver(WebhookSink& sink, uint64_t seq) {
    proto::Event e = MakeEvent(seq);
    return sink.Deliver(e, "{\"seq\":" + std::to_string(seq) + "}");
  }

  std::deque<http::HttpResult> answers_;
  std::vector<std::pair<std::string, http::Headers>> posts_;
  std::vector<std::chrono::microseconds> waits_;
  bool shutdown_ = false;
};

TEST(ParseHttpUrl, TakesHostPortAndTargetAndRefusesWhatTheClientCannotDo) {
  http::HttpUrl u;
  std::string problem;
  ASSERT_TRUE(http::ParseHttpUrl("http://127.0.0.1:9000/hook?x=1", &u, &problem));
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_EQ(u.target, "/hook?x=1");
  ASSERT_TRUE(http::ParseHttpUrl("http://hooks.internal", &u, &problem));
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/");
  ASSERT_TRUE(http::ParseHttpUrl("http://[::1]:81/h", &u, &problem));
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 81);
  for (const char* bad : {"https://x/h", "ftp://x", "http://", "http://u:p@x/", "http://x:0/", "http://x:99999/",
                          "http://x:a/"}) {
    EXPECT_FALSE(http::ParseHttpUrl(bad, &u, &problem)) << bad;
  }
}

TEST(ClassifyAttempt, SortsAnswersIntoDeliveredRetryableAndRejected) {
  EXPECT_TRUE(ClassifyAttempt(Answer(204)).delivered);
  for (int status : {500, 503, 408, 429}) {
    AttemptOutcome o = ClassifyAttempt(Answer(status));
    EXPECT_FALSE(o.delivered);
    EXPECT_TRUE(o.retryable) << status;
    EXPECT_EQ(o.failure, WebhookFailure::kServerError);
  }
  for (int status : {400, 404, 301}) {
    AttemptOutcome o = ClassifyAttempt(Answer(status));
    EXPECT_FALSE(o.retryable) << status;
    EXPECT_EQ(o.failure, WebhookFailure::kRejected);
  }
  EXPECT_EQ(ClassifyAttempt(Timeout()).failure, WebhookFailure::kTimeout);
  EXPECT_TRUE(ClassifyAttempt(Timeout()).retryable);
  EXPECT_EQ(ClassifyAttempt(Refused()).failure, WebhookFailure::kConnectionError);
  EXPECT_TRUE(ClassifyAttempt(Refused()).retryable);
}

TEST_F(WebhookSinkTest, RetriesServerErrorsTimeoutsAndRefusalsUntilDelivered) {
  auto sink = Open({Answer(500), Timeout(), Refused()});
  ASSERT_TRUE(Deliver(*sink, 7).ok());
  ASSERT_EQ(posts_.size(), 4u);
  EXPECT_EQ(posts_[3].first, "{\"seq\":7}");
  EXPECT_EQ(sink->stats().delivered, 1u);
  EXPECT_EQ(sink->stats().dead_lettered, 0u);
  ASSERT_EQ(waits_.size(), 3u);
  for (size_t i = 0; i < waits_.size(); ++i) {
    EXPECT_LE(waits_[i].count(), std::min<int64_t>(40'000, 10'000 << i)) << "full-jitter backoff within the cap";
  }
  EXPECT_TRUE(Lines(Path("dlq/webhook.jsonl")).empty());
}

TEST_F(WebhookSinkTest, SendsSeqAndTopicHeaders) {
  auto sink = Open({});
  ASSERT_TRUE(Deliver(*sink, 3).ok());
  ASSERT_EQ(posts_.size(), 1u);
  http::Headers expect = {{"X-Ordermesh-Seq", "3"}, {"X-Ordermesh-Topic", "order.processed"}};
  EXPECT_EQ(posts_[0].second, expect);
}

TEST_F(WebhookSinkTest, EventThatKeepsFailingIsDeadLetteredWithTheReasonAndTheStreamMovesOn) {
  auto sink = Open({Answer(500), Answer(502), Answer(503), Answer(500)});
  ASSERT_TRUE(Deliver(*sink, 5).ok()) << "a dead-lettered event counts as taken";
  ASSERT_TRUE(Deliver(*sink, 6).ok());
  EXPECT_EQ(posts_.size(), 5u);
  auto lines = Lines(Path("dlq/webhook.jsonl"));
  ASSERT_EQ(lines.size(), 1u);
  auto letter = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(letter["seq"], 5);
  EXPECT_EQ(letter["reason"], "server_error");
  EXPECT_EQ(letter["detail"], "HTTP 500");
  EXPECT_EQ(letter["attempts"], 4);
  EXPECT_EQ(letter["url"], "http://127.0.0.1:9/hook");
  EXPECT_EQ(letter["event"]["seq"], 5);
  EXPECT_EQ(sink->stats().dead_lettered, 1u);
  EXPECT_EQ(sink->recorded_seq(), 5u);
}

TEST_F(WebhookSinkTest, RefusedEventIsDeadLetteredWithoutRetrying) {
  auto sink = Open({Answer(400)});
  ASSERT_TRUE(Deliver(*sink, 1).ok());
  EXPECT_EQ(posts_.size(), 1u);
  auto lines = Lines(Path("dlq/webhook.jsonl"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["reason"], "rejected");
  EXPECT_EQ(nlohmann::json::parse(lines[0])["attempts"], 1);
}

TEST_F(WebhookSinkTest, TimeoutsUntilTheLastAttemptAreDeadLetteredAsTimeout) {
  auto sink = Open({Timeout(), Timeout()}, 2);
  ASSERT_TRUE(Deliver(*sink, 1).ok());
  EXPECT_EQ(nlohmann::json::parse(Lines(Path("dlq/webhook.jsonl")).at(0))["reason"], "timeout");
}

TEST_F(WebhookSinkTest, ShutdownDuringBackoffLeavesTheEventUntaken) {
  auto sink = Open({Answer(500)});
  shutdown_ = true;
  Status s = Deliver(*sink, 1);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(posts_.size(), 1u);
  EXPECT_TRUE(Lines(Path("dlq/webhook.jsonl")).empty());
}

TEST_F(WebhookSinkTest, BadUrlIsRefusedAtOpen) {
  WebhookOptions o{.url = "https://example.com/hook", .dead_letter_file = Path("d.jsonl")};
  auto sink = WebhookSink::Open(o);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace om::notify
