// Test harness for multi-process tests: real ordermesh binaries on ephemeral
// loopback ports with a fresh RocksDB directory per test.
//
// Process runs one binary with its stdout and stderr in files under the test's
// temp dir; the destructor kills (SIGKILL) what is still running. Mesh starts
// a broker, nodes and notifiers wired to each other, and offers a FrontClient
// for queries. Single-threaded use from the test body.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "protocol/front_client.h"

namespace om::test {

using namespace std::chrono_literals;

std::string BinDir();                 // build/bin
std::string MakeTempDir();            // fresh, under $TMPDIR
int FreePort();                       // an unused loopback TCP port
std::string ReadFile(const std::string& path);
std::vector<std::string> ReadLines(const std::string& path);

class Process {
 public:
  // Starts BinDir()/binary with args; output goes to log_prefix + ".out"/".err".
  Process(const std::string& binary, std::vector<std::string> args, const std::string& log_prefix);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int sig);
  // Waits for exit; returns the exit status (128+signal when killed), or
  // nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  const std::string& out_path() const { return out_; }
  const std::string& err_path() const { return err_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string out_, err_;
};

// Runs a binary to completion and returns {exit status, stdout, stderr}.
struct RunResult {
  int status = -1;
  std::string out, err;
};
RunResult RunTool(const std::string& binary, std::vector<std::string> args, std::chrono::milliseconds timeout = 30s);

// Polls pred every 20 ms until it is true or timeout passes.
bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

class Mesh {
 public:
  explicit Mesh(std::vector<std::string> broker_flags = {});
  ~Mesh();

  // (Re)starts the broker on the same ports and data dir; waits until it answers.
  void StartBroker();
  Process& broker() { return *broker_; }
  // Starts a node with extra flags (e.g. {"--pipeline", "delay", "--credit", "8"}).
  Process& AddNode(std::vector<std::string> flags = {});
  Process& AddNotifier(std::vector<std::string> flags = {});

  std::string front() const { return "tcp://127.0.0.1:" + std::to_string(front_port_); }
  std::string back() const { return "tcp://127.0.0.1:" + std::to_string(back_port_); }
  std::string events() const { return "tcp://127.0.0.1:" + std::to_string(events_port_); }
  const std::string& dir() const { return dir_; }
  proto::FrontClient& client() { return *client_; }

  // Submits count orders (pipelined, window 200) and returns the accepted ids
  // in submission order; rejected or unanswered submits are left out.
  std::vector<std::string> Submit(int count, const std::string& metadata_json = "");
  proto::Stats Stats();
  std::optional<proto::OrderRecord> Order(const std::string& id);
  // Waits until every non-terminal count is zero and the terminal counts sum to at least `total`.
  bool WaitAllTerminal(uint64_t total, std::chrono::milliseconds timeout);
  // ["--broker-endpoint", back()] etc. for tools.
  std::vector<std::string> CliArgs() const { return {"--broker-endpoint", front()}; }

 private:
  std::vector<std::string> broker_flags_;
  std::string dir_;
  int front_port_, back_port_, events_port_;
  int starts_ = 0;
  zmq::context_t ctx_{1};
  std::unique_ptr<proto::FrontClient> client_;
  std::unique_ptr<Process> broker_;
  std::vector<std::unique_ptr<Process>> others_;
};

}  // namespace om::test
