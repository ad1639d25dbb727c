// Node: a stateless processor's connection to the broker and its loop.
//
// Owns one DEALER socket (connected out to the broker's back endpoint) and
// every PipelineRun in hand, all on the thread that calls Run(). It announces
// its credit (READY), heartbeats, runs up to `credit` orders at once (steps
// that wait do not block the others), and reports each outcome (RESULT).
// If the broker stays silent for heartbeat_liveness intervals, the node
// reconnects with a fresh socket after a jittered backoff and announces
// itself again. On shutdown it announces credit 0, finishes what it holds
// within drain_timeout_ms, hands back the rest (RESULT released), says
// DISCONNECT and returns.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <zmq.hpp>

#include "common/backoff.h"
#include "common/status.h"
#include "nodes/node_options.h"
#include "nodes/pipeline.h"

namespace om::node {

class Node {
 public:
  Node(const NodeOptions& options, Pipeline pipeline);
  // Serves until a shutdown signal (common/signals.h) or Stop(); then drains.
  [[nodiscard]] Status Run();
  const std::string& id() const { return id_; }

 private:
  void Connect();
  void Send(uint64_t id, const std::string& bytes);
  void SendReady(uint32_t credit);
  void OnFrame(std::string_view bytes);
  void StartRun(uint64_t delivery_id, proto::Deliver& d);
  void RunDue(int64_t now);
  void Finish(std::unique_ptr<PipelineRun> run, int64_t now);
  void Drain();

  const NodeOptions& options_;
  Pipeline pipeline_;
  std::string id_;
  std::string host_;
  zmq::context_t ctx_{1};
  std::unique_ptr<zmq::socket_t> socket_;
  Backoff reconnect_backoff_;
  int reconnect_attempt_ = 0;
  int64_t last_heard_mono_ = 0;
  int64_t next_heartbeat_mono_ = 0;
  int64_t reconnect_at_mono_ = 0;  // 0: no reconnect scheduled
  bool draining_ = false;

  std::map<uint64_t, std::unique_ptr<PipelineRun>> runs_;  // by delivery id
  std::deque<uint64_t> ready_;                             // runs to advance now
  std::set<std::pair<int64_t, uint64_t>> waiting_;         // (wake mono, delivery id)
  uint64_t bad_frames_ = 0;
  uint64_t completed_ = 0;
};

}  // namespace om::node
