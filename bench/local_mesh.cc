#include "bench/local_mesh.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "common/signals.h"
#include "protocol/front_client.h"

namespace om::bench {
namespace {

using namespace std::chrono_literals;

Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Internal("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) return Status::Unavailable("cannot find a free loopback port");
  return static_cast<int>(ntohs(addr.sin_port));
}

Result<std::string> MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/ordermesh-bench-XXXXXX";
  if (!mkdtemp(templ.data())) return Status::IoError("cannot create a temp dir under " + templ);
  return templ;
}

std::string Dashed(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  std::replace(key.begin(), key.end(), '.', '-');
  return "--" + key;
}

bool HasFlag(const std::vector<std::string>& flags, const std::string& flag) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const std::string& f) { return f == flag || f.rfind(flag + "=", 0) == 0; });
}

}  // namespace

std::string OwnExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

Status SplitSetFlags(const std::vector<std::string>& sets, std::vector<std::string>* broker_flags,
                     std::vector<std::string>* node_flags) {
  // The bench chooses these itself under --spawn.
  static const char* kReserved[] = {"broker.data_dir", "broker.front_endpoint", "broker.back_endpoint",
                                    "broker.events_endpoint", "node.broker_endpoint"};
  for (const std::string& set : sets) {
    size_t eq = set.find('=');
    size_t dot = set.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq || dot + 1 == eq) {
      return Status::InvalidArgument("--set " + set + ": expected broker.KEY=VALUE or node.KEY=VALUE");
    }
    std::string program = set.substr(0, dot);
    std::string key = set.substr(dot + 1, eq - dot - 1);
    std::string value = set.substr(eq + 1);
    std::string canonical = program + "." + key;
    std::replace(canonical.begin(), canonical.end(), '-', '_');
    for (const char* reserved : kReserved) {
      if (canonical == reserved) {
        return Status::InvalidArgument("--set " + set + ": --spawn chooses the data dir and endpoints itself");
      }
    }
    std::vector<std::string>* out;
    if (program == "broker") {
      out = broker_flags;
    } else if (program == "node") {
      out = node_flags;
    } else {
      return Status::InvalidArgument("--set " + set + ": the program must be 'broker' or 'node'");
    }
    if (value == "true" || value == "false") {
      out->push_back(Dashed(key) + "=" + value);  // boolean keys are flags
    } else {
      out->push_back(Dashed(key));
      out->push_back(value);
    }
  }
  return Status::Ok();
}

LocalMesh::LocalMesh(LocalMeshOptions options) : options_(std::move(options)) {}

LocalMesh::~LocalMesh() {
  (void)Stop();
  if (!dir_.empty() && !options_.keep_dir) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status LocalMesh::Start(zmq::context_t& ctx) {
  try {
    return StartPrograms(ctx);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("while starting the mesh: ") + e.what());  // EINTR: Ctrl-C
  }
}

Status LocalMesh::StartPrograms(zmq::context_t& ctx) {
  auto dir = MakeTempDir();
  if (!dir.ok()) return dir.status();
  dir_ = *dir;
  int ports[3];
  for (int& p : ports) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    p = *port;
  }
  front_ = "tcp://127.0.0.1:" + std::to_string(ports[0]);
  back_ = "tcp://127.0.0.1:" + std::to_string(ports[1]);
  events_ = "tcp://127.0.0.1:" + std::to_string(ports[2]);

  std::vector<std::string> broker_args = {"--data-dir",      dir_ + "/data", "--front-endpoint",  front_,
                                          "--back-endpoint", back_,          "--events-endpoint", events_};
  broker_args.insert(broker_args.end(), options_.broker_flags.begin(), options_.broker_flags.end());
  auto broker = ChildProcess::Start(options_.bin_dir + "/ordermesh-broker", broker_args, dir_ + "/broker.log");
  if (!broker.ok()) return broker.status();
  broker_ = std::move(broker).value();

  proto::FrontClient client(ctx, front_);
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (true) {
    if (ShutdownRequested()) return Status::Unavailable("interrupted");
    if (!broker_->Running()) {
      return Status::Unavailable("the broker exited during start-up (status " +
                                 std::to_string(broker_->exit_status().value_or(-1)) + "); its log:\n" +
                                 TailOfFile(broker_->log_path()));
    }
    if (client.Expect<proto::StatsReply>(proto::GetStats{false}, 200ms).ok()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Timeout("the broker did not answer STATS within " +
                             std::to_string(options_.start_timeout.count()) + " ms; its log:\n" +
                             TailOfFile(broker_->log_path()));
    }
  }

  std::vector<std::string> node_args = {"--broker-endpoint", back_};
  if (!HasFlag(options_.node_flags, "--pipeline")) {
    node_args.insert(node_args.end(), {"--pipeline", "complete"});
  }
  node_args.insert(node_args.end(), options_.node_flags.begin(), options_.node_flags.end());
  for (int i = 0; i < options_.nodes; ++i) {
    auto node = ChildProcess::Start(options_.bin_dir + "/ordermesh-node", node_args,
                                    dir_ + "/node-" + std::to_string(i) + ".log");
    if (!node.ok()) return node.status();
    nodes_.push_back(std::move(node).value());
  }
  while (true) {
    if (ShutdownRequested()) return Status::Unavailable("interrupted");
    if (std::string dead = CheckAlive(); !dead.empty()) return Status::Unavailable(dead);
    auto stats = client.Expect<proto::StatsReply>(proto::GetStats{true}, 500ms);
    if (stats.ok() && stats->stats.nodes.size() >= static_cast<size_t>(options_.nodes)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Timeout("only " + std::to_string(stats.ok() ? stats->stats.nodes.size() : 0) + " of " +
                             std::to_string(options_.nodes) + " nodes registered within " +
                             std::to_string(options_.start_timeout.count()) + " ms (logs in " + dir_ + ")");
    }
    std::this_thread::sleep_for(50ms);
  }
  return Status::Ok();
}

std::string LocalMesh::CheckAlive() {
  if (broker_ && !broker_->Running()) {
    return "the broker exited (status " + std::to_string(broker_->exit_status().value_or(-1)) + "); its log:\n" +
           TailOfFile(broker_->log_path());
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i]->Running()) {
      return "node " + std::to_string(i) + " exited (status " +
             std::to_string(nodes_[i]->exit_status().value_or(-1)) + "); its log:\n" +
             TailOfFile(nodes_[i]->log_path());
    }
  }
  return "";
}

std::string LocalMesh::Stop() {
  if (!broker_ && nodes_.empty()) return "";
  // Nodes first, all at once: they hand back what they hold and disconnect.
  for (auto& n : nodes_) n->Signal(SIGTERM);
  std::string report = "nodes exited";
  for (auto& n : nodes_) report += " " + std::to_string(n->Reap(options_.stop_grace));
  if (broker_) report += "; broker exited " + std::to_string(broker_->Stop(options_.stop_grace));
  nodes_.clear();
  broker_.reset();
  return report;
}

}  // namespace om::bench
