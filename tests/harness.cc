#include "tests/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "protocol/codec.h"

extern char** environ;

namespace om::test {

std::string BinDir() { return ORDERMESH_BIN_DIR; }

std::string MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string templ = std::string(base ? base : "/tmp") + "/ordermesh-test-XXXXXX";
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  return templ;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind port 0");
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

Process::Process(const std::string& binary, std::vector<std::string> args, const std::string& log_prefix)
    : out_(log_prefix + ".out"), err_(log_prefix + ".err") {
  std::string path = BinDir() + "/" + binary;
  std::vector<char*> argv;
  argv.push_back(path.data());
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  int rc = posix_spawn(&pid_, path.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + path);
}

Process::~Process() {
  if (Running()) {
    Signal(SIGKILL);
    (void)Wait(5s);
  }
}

bool Process::Running() {
  if (status_) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == 0) return true;
  status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return false;
}

void Process::Signal(int sig) {
  if (Running()) kill(pid_, sig);
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  WaitFor([this] { return !Running(); }, timeout);
  return status_;
}

RunResult RunTool(const std::string& binary, std::vector<std::string> args, std::chrono::milliseconds timeout) {
  std::string prefix = MakeTempDir() + "/tool";
  RunResult r;
  {
    Process p(binary, std::move(args), prefix);
    auto st = p.Wait(timeout);
    r.status = st.value_or(-1);
  }
  r.out = ReadFile(prefix + ".out");
  r.err = ReadFile(prefix + ".err");
  std::filesystem::remove_all(std::filesystem::path(prefix).parent_path());
  return r;
}

bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

Mesh::Mesh(std::vector<std::string> broker_flags)
    : broker_flags_(std::move(broker_flags)),
      dir_(MakeTempDir()),
      front_port_(FreePort()),
      back_port_(FreePort()),
      events_port_(FreePort()) {
  StartBroker();
}

Mesh::~Mesh() {
  others_.clear();
  broker_.reset();
  client_.reset();
  if (!getenv("ORDERMESH_KEEP_TEST_DIRS")) std::filesystem::remove_all(dir_);
}

void Mesh::StartBroker() {
  std::vector<std::string> args = {"--data-dir",        dir_ + "/data",  "--front-endpoint", front(),
                                   "--back-endpoint",   back(),          "--events-endpoint", events(),
                                   "--heartbeat-interval-ms", "200"};
  args.insert(args.end(), broker_flags_.begin(), broker_flags_.end());
  broker_ = std::make_unique<Process>("ordermesh-broker", args, dir_ + "/broker-" + std::to_string(++starts_));
  client_ = std::make_unique<proto::FrontClient>(ctx_, front());
  bool up = WaitFor([this] { return client_->Expect<proto::StatsReply>(proto::GetStats{false}, 200ms).ok(); }, 10s);
  if (!up) throw std::runtime_error("broker did not come up: " + ReadFile(broker_->err_path()));
}

Process& Mesh::AddNode(std::vector<std::string> flags) {
  std::vector<std::string> args = {"--broker-endpoint", back(), "--heartbeat-interval-ms", "200"};
  args.insert(args.end(), flags.begin(), flags.end());
  others_.push_back(std::make_unique<Process>("ordermesh-node", args, dir_ + "/node-" + std::to_string(others_.size())));
  return *others_.back();
}

Process& Mesh::AddNotifier(std::vector<std::string> flags) {
  std::vector<std::string> args = {"--broker-endpoint", front(), "--events-endpoint", events()};
  args.insert(args.end(), flags.begin(), flags.end());
  others_.push_back(
      std::make_unique<Process>("ordermesh-notify", args, dir_ + "/notify-" + std::to_string(others_.size())));
  return *others_.back();
}

std::vector<std::string> Mesh::Submit(int count, const std::string& metadata_json) {
  zmq::socket_t s(ctx_, zmq::socket_type::dealer);
  s.set(zmq::sockopt::linger, 0);
  s.connect(front());
  proto::Submit submit;
  submit.order.customer_id = "customer-1";
  submit.order.items = {{"sku-1", 2, 1250}, {"sku-2", 1, std::nullopt}};
  submit.order.currency = "USD";
  submit.order.metadata_json = metadata_json;
  std::vector<std::string> ids(count);
  int sent = 0, answered = 0;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (answered < count && std::chrono::steady_clock::now() < deadline) {
    while (sent < count && sent - answered < 200) {
      auto bytes = proto::Encode(static_cast<uint64_t>(sent), submit);
      if (!s.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) break;
      ++sent;
    }
    zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, 1000ms);
    zmq::message_t msg;
    while (s.recv(msg, zmq::recv_flags::dontwait)) {
      ++answered;
      auto env = proto::DecodeFrontReply(msg.to_string_view());
      if (!env.ok() || env->id >= static_cast<uint64_t>(count)) continue;
      if (auto* a = std::get_if<proto::Accepted>(&env->msg)) ids[env->id] = a->order_id;
    }
  }
  std::vector<std::string> accepted;
  for (auto& id : ids) {
    if (!id.empty()) accepted.push_back(std::move(id));
  }
  return accepted;
}

proto::Stats Mesh::Stats() {
  auto r = client_->Expect<proto::StatsReply>(proto::GetStats{true}, 2s);
  if (!r.ok()) throw std::runtime_error("stats: " + r.status().ToString());
  return r->stats;
}

std::optional<proto::OrderRecord> Mesh::Order(const std::string& id) {
  auto r = client_->Expect<proto::Order>(proto::GetOrder{id}, 2s);
  if (!r.ok()) return std::nullopt;
  return r->order;
}

bool Mesh::WaitAllTerminal(uint64_t total, std::chrono::milliseconds timeout) {
  return WaitFor(
      [&] {
        auto r = client_->Expect<proto::StatsReply>(proto::GetStats{false}, 2s);
        if (!r.ok()) return false;
        const auto& c = r->stats.orders_by_status;
        uint64_t open = c[1] + c[2] + c[3];
        uint64_t done = c[4] + c[5] + c[6];
        return open == 0 && done >= total;
      },
      timeout);
}

}  // namespace om::test
