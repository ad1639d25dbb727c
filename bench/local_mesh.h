// LocalMesh: the broker and nodes that `ordermesh-bench --spawn` runs for
// itself: a fresh temp directory (RocksDB and one log per program), ephemeral
// loopback ports, the binaries found next to the bench's own executable.
//
// Start() returns once the broker answers STATS and every node has
// registered. Stop() stops the nodes first (they hand back what they hold),
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
  std::string bin_dir;  // where ordermesh-broker and ordermesh-node live
  int nodes = 2;
  // Extra flags per program, already in "--key value" form, in order.
  std::vector<std::string> broker_flags;
  std::vector<std::string> node_flags;
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
  const std::string& dir() const { return dir_; }
  const ChildProcess* broker() const { return broker_.get(); }
  const std::vector<std::unique_ptr<ChildProcess>>& nodes() const { return nodes_; }
  // "" while everything runs, else which program died and the tail of its log.
  std::string CheckAlive();

 private:
  Status StartPrograms(zmq::context_t& ctx);

  LocalMeshOptions options_;
  std::string dir_;
  std::string front_, back_, events_;
  std::unique_ptr<ChildProcess> broker_;
  std::vector<std::unique_ptr<ChildProcess>> nodes_;
};

// The directory of the running executable (/proc/self/exe), or "" if unknown.
std::string OwnExecutableDir();

// Turns --set values into per-program flags: "broker.max_batch=500" ->
// {"--max-batch", "500"} for the broker ("true"/"false" become
// "--key=true" so boolean flags work). Errors name the bad entry.
[[nodiscard]] Status SplitSetFlags(const std::vector<std::string>& sets, std::vector<std::string>* broker_flags,
                                   std::vector<std::string>* node_flags);

}  // namespace om::bench
