// BrokerServer: the broker's sockets and its single-threaded event loop.
//
// Owns (all on the thread that calls Run): a ROUTER bound to front_endpoint
// for clients, a ROUTER bound to back_endpoint for nodes, a PUB bound to
// events_endpoint. Each loop turn drains up to max_batch frames, runs the
// timers and Dispatch, commits one WriteBatch, then sends what the commit
// released. PUB never blocks the loop (a slow subscriber loses messages at
// its high-water mark and catches up from the event log).
//
// Run() returns after Stop() (any thread) or a SIGINT/SIGTERM (common/signals.h).
#pragma once

#include <atomic>
#include <memory>

#include <zmq.hpp>

#include "broker/broker_core.h"
#include "broker/options.h"
#include "broker/store.h"
#include "common/status.h"

namespace om::broker {

class BrokerServer {
 public:
  explicit BrokerServer(const BrokerOptions& options);
  ~BrokerServer();

  // Opens the store, recovers, binds the sockets. Errors name what failed.
  [[nodiscard]] Status Start();
  // Serves until Stop(); then refuses submits, flushes, closes. A storage
  // failure ends it early with that error.
  [[nodiscard]] Status Run();
  void Stop() { stop_.store(true); }

 private:
  // Loads catalog_file into a store that never had a catalog; a missing
  // file is a warning, a bad one an error.
  Status SeedCatalog();
  void DrainFront(int budget);
  void DrainBack(int budget);
  void Flush();

  const BrokerOptions& options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<BrokerCore> core_;
  zmq::context_t ctx_{1};
  zmq::socket_t front_{ctx_, zmq::socket_type::router};
  zmq::socket_t back_{ctx_, zmq::socket_type::router};
  zmq::socket_t pub_{ctx_, zmq::socket_type::pub};
  std::atomic<bool> stop_{false};
};

}  // namespace om::broker
