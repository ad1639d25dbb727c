// BrokerServer: the broker's sockets and its single-threaded event loop.
//
// Owns (all on the thread that calls Run): a ROUTER bound to front_endpoint
// for clients, a ROUTER bound to back_endpoint for nodes, a PUB bound to
// events_endpoint. Each loop turn drains up to max_batch frames, runs the
// timers and Dispatch, commits one WriteBatch, then sends what the commit
// released. PUB never blocks the loop (a slow subscriber loses messages at
// its high-water mark and catches up from the event log). A reply or a
// delivery to a peer whose pipe is at its high-water mark is held and sent
// on a later turn, in order (the ROUTERs are ZMQ_ROUTER_MANDATORY, so a full
// pipe is an error, not a silent drop); only past kMaxHeldMessages are they
// dropped, with an error in the log.
//
// Run() returns after Stop() (any thread) or a SIGINT/SIGTERM (common/signals.h).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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
  // Messages waiting for room in their peers' pipes, by routing id.
  struct Held {
    std::unordered_map<std::string, std::deque<std::string>> peers;
    size_t count = 0;  // messages in all of peers
  };
  bool Holding() const { return !held_front_.peers.empty() || !held_back_.peers.empty(); }
  // Sends the held messages, then fresh ones (moved from); keeps in *held
  // what a full peer could not take yet; appends departed peers to *gone.
  // Returns how many fresh messages were dropped because *held was full.
  size_t SendAll(zmq::socket_t& socket, std::vector<Outbox::Routed>* fresh, Held* held,
                 std::vector<std::string>* gone);

  static constexpr size_t kMaxHeldMessages = 1'000'000;  // per socket

  const BrokerOptions& options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<BrokerCore> core_;
  zmq::context_t ctx_{1};
  zmq::socket_t front_{ctx_, zmq::socket_type::router};
  zmq::socket_t back_{ctx_, zmq::socket_type::router};
  zmq::socket_t pub_{ctx_, zmq::socket_type::pub};
  Held held_front_;                        // replies waiting for room (see SendAll)
  Held held_back_;                         // deliveries waiting for room
  int64_t held_logged_at_ = 0;             // monotonic µs of the last "held" warning
  std::atomic<bool> stop_{false};
};

}  // namespace om::broker
