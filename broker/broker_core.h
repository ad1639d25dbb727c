// BrokerCore: the broker's state machine, without sockets.
//
// The socket loop (BrokerServer) feeds it frames and ticks; it decides, writes
// every change into one StoreBatch per loop turn, and stages the replies,
// deliveries and events that may only leave after that batch is durable.
// Commit() writes the batch and moves the staged messages to the Outbox.
//
// Order lifecycle (one delivery = one attempt; see broker_core.cc for the
// transition table and the action each event takes):
//
//   PENDING ──Dispatch──► PROCESSING ──result ok──────────► PROCESSED
//      ▲                     │  └──────result terminal────► FAILED
//      │ due                 │ retryable / visibility timeout / node lost
//   RETRYING ◄───────────────┘ (attempts < max_attempts)
//                            └ attempts exhausted ────────► DEAD_LETTERED ─redrive─► PENDING
//
// Thread-safety: none. One thread (the broker loop) owns a BrokerCore.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "broker/catalog.h"
#include "broker/options.h"
#include "broker/retry_policy.h"
#include "broker/store.h"
#include "common/clock.h"
#include "common/uuid.h"
#include "protocol/codec.h"
#include "protocol/messages.h"

namespace om::broker {

// What the loop sends once the turn's batch is committed.
struct Outbox {
  struct Routed {
    std::string to;  // ZeroMQ routing id of the peer
    std::string bytes;
  };
  struct Published {
    std::string topic;
    std::string bytes;
  };
  std::vector<Routed> front;  // replies to clients
  std::vector<Routed> back;   // messages to nodes
  std::vector<Published> pub;
  void Clear() {
    front.clear();
    back.clear();
    pub.clear();
  }
};

// Counters since start, for stats and tests.
struct BrokerCounters {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t retries = 0;
  uint64_t late_results = 0;
  uint64_t bad_front_frames = 0;
  uint64_t bad_back_frames = 0;
  uint64_t nodes_lost = 0;
  uint64_t commits = 0;
};

class BrokerCore {
 public:
  BrokerCore(const BrokerOptions& options, Store* store, Clock* clock, uint64_t seed = std::random_device{}());

  // Loads every non-terminal order from the store and queues it: PENDING in
  // id order, RETRYING at its due time. An order that was out for delivery
  // when the previous broker died is stored as PENDING/RETRYING (PROCESSING
  // is never written), so it is simply delivered again and the cut-short
  // attempt is not counted. (A PROCESSING entry from an older store is
  // treated as a lost attempt.) Call once, before any frame.
  [[nodiscard]] Status Recover();
  // The catalog file's entries, taken only on the first start on this store
  // (never seeded from a file nor set by an operator before); every entry is
  // a catalog.updated event. Returns whether they were taken. Call after
  // Recover() and Commit() after it.
  [[nodiscard]] Result<bool> SeedCatalog(const std::vector<proto::CatalogEntry>& entries);

  void OnFrontFrame(const std::string& client, std::string_view bytes);
  void OnBackFrame(const std::string& node, std::string_view bytes);
  // The loop could not route a message to this node: treat it as lost.
  void OnNodeUnreachable(const std::string& node);
  // Timers: visibility timeouts, due retries, node liveness, heartbeats,
  // idempotency expiry, event-log trimming.
  void OnTick();
  // Gives queued orders to the nodes with the most free credit.
  void Dispatch();
  // Writes the turn's batch. OK: staged messages move to the outbox. Error:
  // every staged submit is answered with ErrorCode::kStorage and nothing
  // else is sent; the caller must stop (memory is ahead of the store).
  [[nodiscard]] Status Commit();
  // Stop accepting submits (they are answered kDraining); queries go on.
  void BeginDrain() { draining_ = true; }

  Outbox& outbox() { return outbox_; }
  // Monotonic time of the earliest timer, for the loop's poll timeout.
  int64_t NextTimerMono() const;
  const BrokerCounters& counters() const { return counters_; }
  size_t live_orders() const { return live_.size(); }
  size_t node_count() const { return nodes_.size(); }
  proto::Stats BuildStats(bool with_nodes) const;
  const Catalog& catalog() const { return catalog_; }

 private:
  struct OrderState {
    proto::OrderRecord rec;
    uint64_t delivery_id = 0;  // current delivery while PROCESSING
    // The status the store's record and index entry hold. PROCESSING is
    // never written (see Transition), so while an order is out for delivery
    // this stays PENDING or RETRYING.
    std::optional<proto::OrderStatus> stored_status;
  };
  struct Delivery {
    std::string order_id;
    std::string node;
    int64_t started_mono = 0;
    int64_t deadline_mono = 0;
  };
  struct NodeState {
    proto::NodeInfo info;
    int64_t last_seen_mono = 0;
    std::unordered_set<uint64_t> deliveries;
  };
  struct StagedReply {
    std::string client;
    uint64_t id;
    std::string bytes;
    bool is_accept;
  };

  // ---- events (front) ----
  void OnSubmit(const std::string& client, uint64_t id, proto::Submit& m);
  void OnDlqRedrive(const std::string& client, uint64_t id, const proto::DlqRedrive& m);
  void OnDlqPurge(const std::string& client, uint64_t id, const proto::DlqPurge& m);
  void OnCatalogSet(const std::string& client, uint64_t id, const proto::CatalogSet& m);
  // ---- events (back) ----
  void OnReady(const std::string& node, const proto::Ready& m);
  void OnResult(const std::string& node, uint64_t delivery_id, const proto::NodeResult& m);
  void OnNodeLost(const std::string& node, const std::string& why);
  void OnVisibilityTimeout(uint64_t delivery_id);

  // ---- actions ----
  // The one place an order changes status: updates memory and counts, logs
  // and publishes the event, and writes the record and its index entry —
  // except for PROCESSING, which lives in memory only (a broker restart
  // re-queues the order anyway), saving three writes per order.
  void Transition(OrderState& st, proto::OrderStatus to, const std::string& node, const std::string& reason);
  void Deliver(OrderState& st, const std::string& node_id);
  void EndAttempt(OrderState& st, proto::AttemptEnd end, const proto::NodeResult* result);
  void ScheduleRetry(OrderState& st, proto::AttemptEnd why);
  void DeadLetter(OrderState& st, proto::AttemptEnd why);
  void CommitResult(OrderState& st, proto::OrderStatus to, const std::string& reason);
  void Requeue(OrderState& st);
  void Forget(const std::string& order_id);  // leaves memory after a terminal state
  // ---- catalog and ledger (broker_catalog.cc) ----
  // Writes the entry (memory and batch) and publishes catalog.updated.
  void SetCatalogEntry(const proto::CatalogEntry& entry);
  // Applies an ok result's effects to the ledger, all or none. False (and
  // the attempt's trace says why) when they cannot all apply; `reason` is
  // then the order's FAILED reason.
  bool ApplyEffects(OrderState& st, const std::vector<proto::Effect>& effects, std::string* reason);
  // For an order about to end FAILED: true when its payment was authorized
  // and so must be voided — the node's compensation did it, or the broker
  // does it now (outputs gain voided_authorization_id and voided_by, the
  // attempt's trace the compensation).
  bool VoidPayment(OrderState& st);
  // Publishes payment.voided for a FAILED order that VoidPayment() voided.
  void PublishPaymentVoided(const OrderState& st);
  // ---- events ----
  // An order's status change, as an event.
  void EmitEvent(const proto::OrderRecord& rec, const std::string& node, const std::string& reason);
  // Gives ev the next seq, writes it to the log and stages it for PUB.
  void Publish(proto::Event ev);
  template <typename M>
  void Reply(const std::string& client, uint64_t id, const M& msg, bool is_accept = false) {
    staged_replies_.push_back({client, id, proto::Encode(id, msg), is_accept});
  }
  void ReplyError(const std::string& client, uint64_t id, proto::ErrorCode code, std::string detail,
                  uint32_t retry_after_ms = 0);
  // Logs a bad frame's reason: every one of the first 100 per socket, then one in 1000.
  static void LogBadFrame(const char* socket, uint64_t count, size_t bytes, const Status& why);
  void ExpireIdempotencyKeys();
  void TrimEventLog();

  // ---- queries (broker_queries.cc) ----
  void AnswerQuery(const std::string& client, uint64_t id, const proto::FrontRequest& req);
  bool DeadLetterMatches(const proto::DeadLetter& dl, const proto::DlqFilter& f) const;
  void ListOrders(const std::string& client, uint64_t id, const proto::ListOrders& m);
  // Up to limit dead letters matching filter (a point lookup when it names
  // an order), and how many match in all. NotFound when it names an order
  // that is not a matching dead letter.
  Status PickDeadLetters(const proto::DlqFilter& filter, size_t limit, std::vector<proto::DeadLetter>* picked,
                         uint64_t* matching) const;

  const BrokerOptions& options_;
  Store* store_;
  Clock* clock_;
  RetryPolicy retry_;
  Catalog catalog_;
  Uuid7Generator ids_;
  StoreBatch batch_;
  Outbox outbox_;
  bool draining_ = false;

  std::unordered_map<std::string, OrderState> live_;      // every non-terminal order
  std::deque<std::string> ready_;                          // due now, FIFO
  std::set<std::pair<int64_t, std::string>> retry_timers_; // (due mono, order id)
  std::unordered_map<uint64_t, Delivery> deliveries_;
  std::set<std::pair<int64_t, uint64_t>> visibility_timers_;  // (deadline mono, delivery id)
  std::map<std::string, NodeState> nodes_;                 // by routing id
  uint64_t next_delivery_id_;
  uint64_t last_seq_ = 0;
  std::vector<uint64_t> by_status_;
  BrokerCounters counters_;
  int64_t started_us_;
  int64_t next_heartbeat_mono_ = 0;
  int64_t next_housekeeping_mono_ = 0;

  // Staged until Commit().
  std::vector<StagedReply> staged_replies_;
  std::vector<Outbox::Routed> staged_back_;
  std::vector<Outbox::Published> staged_pub_;
  std::unordered_set<std::string> staged_keys_;  // idempotency keys accepted this turn
};

// FNV-1a 64 of the parts of a request that make it "the same request".
uint64_t RequestFingerprint(const proto::OrderRequest& r);

}  // namespace om::broker
