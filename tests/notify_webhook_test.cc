// ordermesh-notify with a webhook sink and a file sink against a real broker
// and node, the webhook being a civetweb server in this process that answers
// 500 to the first two attempts of every event, answers one attempt only
// after the notifier's timeout, and refuses one event for good. Every event
// reaches the webhook exactly once and in order (or, for the refused one, the
// dead-letter file with its reason), and the file holds every event once;
// then the notifier is killed (SIGKILL) while a POST is in flight and
// restarted on the same state file while orders keep flowing: still no
// event lost or repeated, in either sink.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <civetweb.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "tests/harness.h"

namespace om::test {
namespace {

constexpr uint64_t kDeadSeq = 10;  // always 500: dead-lettered
constexpr uint64_t kSlowSeq = 20;  // third attempt answers after the timeout
constexpr uint64_t kHoldSeq = 40;  // third attempt is held until the test has killed the notifier
constexpr int kTimeoutMs = 1000;
constexpr int kMaxAttempts = 5;

// The webhook receiver. Logs the seq of every event it answered 2xx to, in order.
class HookServer {
 public:
  HookServer() : port_(FreePort()) {
    const std::string ports = "127.0.0.1:" + std::to_string(port_);
    const char* options[] = {"listening_ports", ports.c_str(), "num_threads", "16", nullptr};
    mg_callbacks callbacks{};
    ctx_ = mg_start(&callbacks, nullptr, options);
    if (ctx_ != nullptr) mg_set_request_handler(ctx_, "/hook", &HookServer::Handle, this);
  }
  ~HookServer() {
    Release();
    if (ctx_ != nullptr) mg_stop(ctx_);
  }
  bool started() const { return ctx_ != nullptr; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  std::vector<uint64_t> delivered() {
    std::lock_guard lock(mu_);
    return delivered_;
  }
  int attempts(uint64_t seq) {
    std::lock_guard lock(mu_);
    return attempts_[seq];
  }
  bool holding() {
    std::lock_guard lock(mu_);
    return holding_ > 0;
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  static int Handle(mg_connection* conn, void* self) { return static_cast<HookServer*>(self)->Serve(conn); }

  int Serve(mg_connection* conn) {
    std::string body;
    char buf[4096];
    for (int n; (n = mg_read(conn, buf, sizeof buf)) > 0;) body.append(buf, static_cast<size_t>(n));
    auto event = nlohmann::json::parse(body, nullptr, false);
    const uint64_t seq = event.is_object() ? event.value("seq", uint64_t{0}) : 0;
    int status = 200;
    {
      std::unique_lock lock(mu_);
      const int attempt = ++attempts_[seq];
      if (seq == 0 || seq == kDeadSeq || attempt <= 2) {
        status = 500;
      } else if (seq == kSlowSeq && attempt == 3) {
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(kTimeoutMs + 300));  // the client has given up
        status = 503;
      } else if (seq == kHoldSeq && !released_) {
        ++holding_;
        cv_.wait(lock, [&] { return released_; });
        --holding_;
        status = 500;  // its sender is dead by now: nobody gets this answer
      } else {
        delivered_.push_back(seq);
      }
    }
    // civetweb closes the connection after each answer; say so, so that the
    // client does not try to reuse it.
    mg_printf(conn, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
              status == 200 ? "OK" : "Error");
    return status;
  }

  int port_;
  mg_context* ctx_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<uint64_t> delivered_;
  std::map<uint64_t, int> attempts_;
  int holding_ = 0;
  bool released_ = false;
};

std::vector<uint64_t> SeqsOf(const std::string& path) {
  std::vector<uint64_t> seqs;
  for (const auto& line : ReadLines(path)) seqs.push_back(nlohmann::json::parse(line)["seq"].get<uint64_t>());
  return seqs;
}

TEST(NotifyWebhook, EveryEventOnceInOrderThroughRetriesTimeoutsAndAKilledNotifier) {
  HookServer hook;
  ASSERT_TRUE(hook.started());
  Mesh mesh;
  mesh.AddNode({"--credit", "8"});
  const std::string config = mesh.dir() + "/notify.toml", events = mesh.dir() + "/events.jsonl",
                    dead = mesh.dir() + "/dead.jsonl", state = mesh.dir() + "/notify-state.json";
  std::ofstream(config) << "[notify]\nstate_file = \"" << state << "\"\n"
                        << "[[notify.sinks]]\ntype = \"file\"\npath = \"" << events << "\"\n"
                        << "[[notify.sinks]]\ntype = \"webhook\"\nurl = \"" << hook.url() << "\"\n"
                        << "timeout_ms = " << kTimeoutMs << "\nmax_attempts = " << kMaxAttempts << "\n"
                        << "retry_base_ms = 5\nretry_cap_ms = 20\ndead_letter_file = \"" << dead << "\"\n";
  // A small SUB high-water mark: while the webhook is slow ZeroMQ drops live
  // events, and the notifier must fetch them from the broker's log.
  const std::vector<std::string> flags = {"--config", config, "--rcvhwm", "5", "--idle-check-ms", "200"};
  std::vector<std::string> first = flags;
  first.insert(first.end(), {"--since", "0"});
  Process* notifier = &mesh.AddNotifier(first);

  ASSERT_EQ(mesh.Submit(20).size(), 20u);
  ASSERT_TRUE(WaitFor([&] { return hook.holding(); }, 60s)) << "the webhook never got event " << kHoldSeq;
  ASSERT_EQ(mesh.Submit(10).size(), 10u);
  notifier->Signal(SIGKILL);
  ASSERT_EQ(notifier->Wait(10s), 128 + SIGKILL);
  hook.Release();
  ASSERT_EQ(mesh.Submit(10).size(), 10u);  // while no notifier runs

  notifier = &mesh.AddNotifier(flags);  // no --since: resumes from the state file
  ASSERT_EQ(mesh.Submit(10).size(), 10u);
  ASSERT_TRUE(mesh.WaitAllTerminal(50, 60s));
  uint64_t last = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        last = mesh.Stats().last_event_seq;
        auto delivered = hook.delivered();
        auto written = SeqsOf(events);
        return !delivered.empty() && delivered.back() == last && !written.empty() && written.back() == last;
      },
      120s))
      << "the sinks stopped before seq " << last;
  ASSERT_GT(last, kHoldSeq);
  notifier->Signal(SIGTERM);
  EXPECT_EQ(notifier->Wait(10s), 0);

  // The webhook: 1..last in order, each once, except the dead-lettered one.
  std::vector<uint64_t> expect;
  for (uint64_t s = 1; s <= last; ++s) {
    if (s != kDeadSeq) expect.push_back(s);
  }
  EXPECT_EQ(hook.delivered(), expect);
  EXPECT_GE(hook.attempts(kSlowSeq), 4) << "the slow answer was retried after the timeout";
  EXPECT_GE(hook.attempts(kHoldSeq), 4) << "the held event was sent again after the restart";
  // The dead-letter file: the refused event once, with its reason.
  auto letters = ReadLines(dead);
  ASSERT_EQ(letters.size(), 1u);
  auto letter = nlohmann::json::parse(letters[0]);
  EXPECT_EQ(letter["seq"], kDeadSeq);
  EXPECT_EQ(letter["reason"], "server_error");
  EXPECT_EQ(letter["attempts"], kMaxAttempts);
  EXPECT_EQ(hook.attempts(kDeadSeq), kMaxAttempts);
  // The file: every event once, in order.
  std::vector<uint64_t> all;
  for (uint64_t s = 1; s <= last; ++s) all.push_back(s);
  EXPECT_EQ(SeqsOf(events), all);
  // The state file says where a third run would start.
  auto saved = nlohmann::json::parse(ReadFile(state));
  EXPECT_EQ(saved["sinks"]["file:" + events], last);
  EXPECT_EQ(saved["sinks"]["webhook:" + hook.url()], last);
}

}  // namespace
}  // namespace om::test
