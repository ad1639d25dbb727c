// LocalMesh: the broker, nodes and (for an http target) gateway that
// `ordermesh-bench --spawn` runs for itself: a fresh temp directory (RocksDB
// and one log per program), ephemeral loopback ports, the binaries found next
// to the bench's own executable.
//
// Start() returns once the broker answers STATS, every node has registered
// and the gateway's /readyz says 200. Stop() stops the gateway first (it
// answers what it holds), then the nodes (they hand back what they hold),
// then the broker: SIGTERM, then SIGKILL after the grace period. The
// destructor stops whatever still runs and removes the directory unless
// asked to keep it.
//
// Thread-safety: none; the bench's main thread owns it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "bench/child_process.h"
#include "common/status.h"

namespace om::bench {

struct LocalMeshOptions {
  std::string bin_dir;  // where ordermesh-broker, ordermesh-node and ordermesh-gateway live
  int nodes = 2;
  bool gateway = false;     // also run a gateway in front of the broker
  int gateway_threads = 64; // its num_threads unless gateway_flags set it (>= the bench's connections)
  // Extra flags per program, already in "--key value" form, in order.
  std::vector<std::string> broker_flags;
  std::vector<std::string> node_flags;
  std::vector<std::string> gateway_flags;
  // When not empty: written to <dir>/catalog.toml and given to the broker as --catalog-file.
  std::string catalog_toml;
  bool keep_dir = false;  // leave the temp dir (data and logs) behind
  std::chrono::milliseconds start_timeout{15'000};
  std::chrono::milliseconds stop_grace{10'000};
};

class LocalMesh {
 public:
  explicit LocalMesh(LocalMeshOptions options);
  ~LocalMesh();
  LocalMesh(const LocalMesh&) = delete;
  LocalMesh& operator=(const LocalMesh&) = delete;

  [[nodiscard]] Status Start(zmq::context_t& ctx);
  // Stops everything; a description of how each program exited.
  std::string Stop();

  const std::string& front() const { return front_; }
  const std::string& back() const { return back_; }
  const std::string& events() const { return events_; }
  // The gateway's "127.0.0.1:PORT", "" without one.
  const std::string& http() const { return http_; }
  const ChildProcess* gateway() const { return gateway_.get(); }
  const std::string& dir() const { return dir_; }
  const ChildProcess* broker() const { return broker_.get(); }
  const std::vector<std::unique_ptr<ChildProcess>>& nodes() const { return nodes_; }
  // "" while everything runs, else which program died and the tail of its log.
  std::string CheckAlive();
  // SIGKILLs node i, reaps it and starts it again with the same flags
  // (--chaos). Returns once the new process runs (not once it registered).
  [[nodiscard]] Status KillAndRestartNode(size_t i);

 private:
  Status StartPrograms(zmq::context_t& ctx);
  Status StartNode(size_t i);
  Status StartGateway();

  LocalMeshOptions options_;
  std::string dir_;
  std::string front_, back_, events_, http_;
  std::vector<std::string> node_args_;
  std::unique_ptr<ChildProcess> broker_;
  std::vector<std::unique_ptr<ChildProcess>> nodes_;
  std::unique_ptr<ChildProcess> gateway_;
};

// A loopback TCP port that was free a moment ago.
[[nodiscard]] Result<int> FreeLoopbackPort();

// The directory of the running executable (/proc/self/exe), or "" if unknown.
std::string OwnExecutableDir();

// Turns --set values into per-program flags: "broker.max_batch=500" ->
// {"--max-batch", "500"} for the broker; dotted sub-tables flatten the way
// the config loader's flags do ("node.payment.latency_ms=5" ->
// {"--payment-latency-ms", "5"} for the nodes); "true"/"false" become
// "--key=true" so boolean flags work. Programs: broker, node, gateway.
// Errors name the bad entry.
struct SpawnFlags {
  std::vector<std::string> broker, node, gateway;
};
[[nodiscard]] Status SplitSetFlags(const std::vector<std::string>& sets, SpawnFlags* out);

// True if flags hold --flag (as "--flag" or "--flag=...").
bool HasFlag(const std::vector<std::string>& flags, const std::string& flag);

}  // namespace om::bench
