#include "bench/local_mesh.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/signals.h"
#include "bench/http_target.h"
#include "protocol/front_client.h"

namespace om::bench {
namespace {

using namespace std::chrono_literals;

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

}  // namespace

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

bool HasFlag(const std::vector<std::string>& flags, const std::string& flag) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const std::string& f) { return f == flag || f.rfind(flag + "=", 0) == 0; });
}

std::string OwnExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

Status SplitSetFlags(const std::vector<std::string>& sets, SpawnFlags* flags) {
  // The bench chooses these itself under --spawn.
  static const char* kReserved[] = {"broker.data_dir",        "broker.front_endpoint", "broker.back_endpoint",
                                    "broker.events_endpoint", "node.broker_endpoint",  "gateway.listen",
                                    "gateway.broker_endpoint"};
  for (const std::string& set : sets) {
    size_t eq = set.find('=');
    size_t dot = set.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq || dot + 1 == eq) {
      return Status::InvalidArgument("--set " + set + ": expected broker.KEY=VALUE, node.KEY=VALUE or gateway.KEY=VALUE");
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
      out = &flags->broker;
    } else if (program == "node") {
      out = &flags->node;
    } else if (program == "gateway") {
      out = &flags->gateway;
    } else {
      return Status::InvalidArgument("--set " + set + ": the program must be 'broker', 'node' or 'gateway'");
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
  if (!options_.catalog_toml.empty()) {
    const std::string path = dir_ + "/catalog.toml";
    std::ofstream f(path);
    f << options_.catalog_toml;
    if (!f) return Status::IoError("cannot write " + path);
    broker_args.insert(broker_args.end(), {"--catalog-file", path});
  }
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

  node_args_ = {"--broker-endpoint", back_};
  if (!HasFlag(options_.node_flags, "--pipeline")) {
    node_args_.insert(node_args_.end(), {"--pipeline", "complete"});
  }
  node_args_.insert(node_args_.end(), options_.node_flags.begin(), options_.node_flags.end());
  nodes_.resize(static_cast<size_t>(options_.nodes));
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (Status st = StartNode(i); !st.ok()) return st;
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
  return options_.gateway ? StartGateway() : Status::Ok();
}

Status LocalMesh::StartNode(size_t i) {
  auto node = ChildProcess::Start(options_.bin_dir + "/ordermesh-node", node_args_,
                                  dir_ + "/node-" + std::to_string(i) + ".log");
  if (!node.ok()) return node.status();
  nodes_[i] = std::move(node).value();
  return Status::Ok();
}

Status LocalMesh::KillAndRestartNode(size_t i) {
  if (i >= nodes_.size()) return Status::InvalidArgument("no node " + std::to_string(i));
  nodes_[i]->Signal(SIGKILL);
  (void)nodes_[i]->Reap(options_.stop_grace);
  return StartNode(i);
}

Status LocalMesh::StartGateway() {
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  http_ = "127.0.0.1:" + std::to_string(*port);
  std::vector<std::string> args = {"--listen", http_, "--broker-endpoint", front_};
  const auto& flags = options_.gateway_flags;
  if (!HasFlag(flags, "--num-threads")) args.insert(args.end(), {"--num-threads", std::to_string(options_.gateway_threads)});
  // The bench's connections never idle long, and a stop should not wait a second for nothing.
  if (!HasFlag(flags, "--keep-alive-timeout-ms")) args.insert(args.end(), {"--keep-alive-timeout-ms", "60000"});
  if (!HasFlag(flags, "--drain-delay-ms")) args.insert(args.end(), {"--drain-delay-ms", "0"});
  args.insert(args.end(), flags.begin(), flags.end());
  auto gateway = ChildProcess::Start(options_.bin_dir + "/ordermesh-gateway", args, dir_ + "/gateway.log");
  if (!gateway.ok()) return gateway.status();
  gateway_ = std::move(gateway).value();
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (!HttpGetOk(http_, "/readyz")) {
    if (ShutdownRequested()) return Status::Unavailable("interrupted");
    if (!gateway_->Running()) {
      return Status::Unavailable("the gateway exited during start-up; its log:\n" + TailOfFile(gateway_->log_path()));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Timeout("the gateway's /readyz did not answer 200 in time; its log:\n" +
                             TailOfFile(gateway_->log_path()));
    }
    std::this_thread::sleep_for(50ms);
  }
  return Status::Ok();
}

std::string LocalMesh::CheckAlive() {
  if (gateway_ && !gateway_->Running()) {
    return "the gateway exited (status " + std::to_string(gateway_->exit_status().value_or(-1)) + "); its log:\n" +
           TailOfFile(gateway_->log_path());
  }
  if (broker_ && !broker_->Running()) {
    return "the broker exited (status " + std::to_string(broker_->exit_status().value_or(-1)) + "); its log:\n" +
           TailOfFile(broker_->log_path());
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] && !nodes_[i]->Running()) {
      return "node " + std::to_string(i) + " exited (status " +
             std::to_string(nodes_[i]->exit_status().value_or(-1)) + "); its log:\n" +
             TailOfFile(nodes_[i]->log_path());
    }
  }
  return "";
}

std::string LocalMesh::Stop() {
  if (!broker_ && nodes_.empty() && !gateway_) return "";
  std::string report;
  // The gateway first: it answers what it holds.
  if (gateway_) report = "gateway exited " + std::to_string(gateway_->Stop(options_.stop_grace)) + "; ";
  gateway_.reset();
  // Nodes next, all at once: they hand back what they hold and disconnect.
  for (auto& n : nodes_) {
    if (n) n->Signal(SIGTERM);
  }
  report += "nodes exited";
  for (auto& n : nodes_) {
    if (n) report += " " + std::to_string(n->Reap(options_.stop_grace));
  }
  if (broker_) report += "; broker exited " + std::to_string(broker_->Stop(options_.stop_grace));
  nodes_.clear();
  broker_.reset();
  return report;
}

}  // namespace om::bench
