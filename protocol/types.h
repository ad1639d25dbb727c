// The data carried by ordermesh messages: orders, their records, events,
// dead letters, stats. Plain structs, encoded by protocol/codec.h as msgpack
// arrays in field order (MSGPACK_DEFINE): the order of fields IS the wire
// format, so append new fields at the end and bump kProtocolVersion when an
// existing field changes meaning. protocol/SPEC.md is the prose form.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <msgpack.hpp>

namespace om::proto {

// ---- enums: stable numbers on the wire, stable lower-case names in JSON ----

enum class OrderStatus : uint8_t {
  kNone = 0,  // only in an Event that is not an order's status change (catalog.updated)
  kPending = 1,
  kProcessing = 2,
  kRetrying = 3,
  kProcessed = 4,
  kFailed = 5,
  kDeadLettered = 6,
};
inline constexpr int kNumStatuses = 7;  // index 0 unused
bool IsTerminal(OrderStatus s);
std::string_view StatusName(OrderStatus s);           // "PENDING"; "" for kNone
std::string_view StatusTopic(OrderStatus s);          // "order.pending"; "" for kNone
std::optional<OrderStatus> ParseStatus(std::string_view name);  // "PENDING" or "pending"

// How one delivery attempt ended.
enum class AttemptEnd : uint8_t {
  kOk = 0,
  kRetryableError = 1,    // the node says: try again
  kTerminalError = 2,     // business failure: FAILED, no retry
  kVisibilityTimeout = 3, // no result within the visibility timeout
  kNodeLost = 4,          // the node missed its heartbeats or restarted
  kReleased = 5,          // the node handed it back unprocessed (draining); not counted
  kInProgress = 6,        // still running
};
std::string_view AttemptEndName(AttemptEnd e);

// Error codes of front replies (S:ERROR). Each maps to one HTTP status in the gateway.
enum class ErrorCode : uint8_t {
  kBadRequest = 1,            // malformed or invalid request
  kNotFound = 2,
  kBacklogFull = 3,           // max_backlog reached: retry later
  kDraining = 4,              // broker shutting down: retry elsewhere/later
  kIdempotencyMismatch = 5,   // same key, different request
  kIdempotencyInProgress = 6, // same key, first request not yet durable
  kUnsupportedVersion = 7,
  kStorage = 8,               // RocksDB write failed (disk full, I/O error)
  kInternal = 9,
};
std::string_view ErrorCodeName(ErrorCode c);

}  // namespace om::proto

// Enums travel as small integers; decoding an out-of-range value throws
// msgpack::type_error, which the codec turns into a Corruption status.
#define OM_CHECKED_ENUM(Enum, lo, hi)                                                             \
  namespace msgpack {                                                                            \
  MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS) {                                        \
    namespace adaptor {                                                                          \
    template <>                                                                                  \
    struct convert<Enum> {                                                                       \
      const msgpack::object& operator()(const msgpack::object& o, Enum& v) const {               \
        auto x = o.as<uint8_t>();                                                                \
        if (x < (lo) || x > (hi)) throw msgpack::type_error();                                   \
        v = static_cast<Enum>(x);                                                                \
        return o;                                                                                \
      }                                                                                          \
    };                                                                                           \
    template <>                                                                                  \
    struct pack<Enum> {                                                                          \
      template <typename Stream>                                                                 \
      msgpack::packer<Stream>& operator()(msgpack::packer<Stream>& p, const Enum& v) const {     \
        p.pack_uint8(static_cast<uint8_t>(v));                                                   \
        return p;                                                                                \
      }                                                                                          \
    };                                                                                           \
    }                                                                                            \
  }                                                                                              \
  }

OM_CHECKED_ENUM(om::proto::OrderStatus, 0, 6)
OM_CHECKED_ENUM(om::proto::AttemptEnd, 0, 6)
OM_CHECKED_ENUM(om::proto::ErrorCode, 1, 9)

namespace om::proto {

struct OrderItem {
  std::string product_id;
  uint32_t quantity = 0;
  std::optional<int64_t> unit_price_cents;  // client's expectation; the catalog decides
  MSGPACK_DEFINE(product_id, quantity, unit_price_cents)
};

// What a client submits. metadata_json is a JSON object as text ("" for none):
// the broker stores and forwards it without parsing.
struct OrderRequest {
  std::string customer_id;
  std::vector<OrderItem> items;
  std::string currency;
  std::string metadata_json;
  std::string idempotency_key;  // "" for none
  std::string traceparent;      // W3C trace context, "" for none
  MSGPACK_DEFINE(customer_id, items, currency, metadata_json, idempotency_key, traceparent)
};

// One status change of an order.
struct HistoryEntry {
  int64_t time_us = 0;
  OrderStatus status = OrderStatus::kPending;
  uint32_t attempt = 0;
  std::string node_id;
  std::string reason;  // why: "accepted", "retryable_error", "redriven", a business reason...
  MSGPACK_DEFINE(time_us, status, attempt, node_id, reason)
};

// What one pipeline step (or one compensation) did during an attempt.
struct StepTrace {
  std::string step;     // "payment"; a compensation is reported under its step's name
  std::string outcome;  // ok | retryable_error | terminal_error | compensated | compensation_failed
  std::string code;     // error code, or what the compensation did ("payment.voided")
  std::string message;
  int64_t duration_us = 0;
  MSGPACK_DEFINE(step, outcome, code, message, duration_us)
};

// One delivery of an order to a node.
struct AttemptRecord {
  uint32_t attempt = 0;
  std::string node_id;
  int64_t started_us = 0;
  int64_t duration_us = 0;
  AttemptEnd end = AttemptEnd::kInProgress;
  std::string step;           // the pipeline step that failed, "" when none
  std::string error_code;     // machine-readable, e.g. "payment_declined"
  std::string error_message;  // human-readable
  std::vector<StepTrace> steps;  // what each pipeline step did, compensations included
  MSGPACK_DEFINE(attempt, node_id, started_us, duration_us, end, step, error_code, error_message, steps)
};

// Everything the broker knows about one order.
struct OrderRecord {
  std::string order_id;
  OrderRequest request;
  OrderStatus status = OrderStatus::kPending;
  uint32_t attempts = 0;        // attempts counted against max_attempts since the last redrive
  uint32_t redrives = 0;
  int64_t created_us = 0;
  int64_t updated_us = 0;
  int64_t next_attempt_us = 0;  // wall time a RETRYING order becomes due
  std::string reason;           // final reason for FAILED / DEAD_LETTERED
  std::vector<HistoryEntry> history;
  std::vector<AttemptRecord> attempt_log;
  // What the pipeline produced (total_cents, authorization_id, ...), from the
  // result that ended the order.
  std::map<std::string, std::string> outputs;
  MSGPACK_DEFINE(order_id, request, status, attempts, redrives, created_us, updated_us, next_attempt_us, reason,
                 history, attempt_log, outputs)
};

// A state change, as published on the PUB socket and kept in the event log.
// Most are an order's status change (topic "" = order.<status>); the others
// share the same sequence: payment.voided (a compensation: order_id set,
// data_json holds the authorization) and catalog.updated (status kNone,
// data_json holds the entry).
struct Event {
  uint64_t seq = 0;  // broker-wide, gap-free, increasing
  int64_t time_us = 0;
  std::string order_id;
  OrderStatus status = OrderStatus::kPending;
  uint32_t attempt = 0;
  std::string node_id;
  std::string reason;
  std::string traceparent;
  std::string topic;      // "" for an order status change: EventTopic() gives order.<status>
  std::string data_json;  // a JSON object as text, "" for none
  MSGPACK_DEFINE(seq, time_us, order_id, status, attempt, node_id, reason, traceparent, topic, data_json)
};
// The PUB topic of an event: its topic, or order.<status lower-case>.
std::string EventTopic(const Event& e);
inline constexpr const char* kTopicPaymentVoided = "payment.voided";
inline constexpr const char* kTopicCatalogUpdated = "catalog.updated";

// Selects dead letters. Empty/zero fields match everything.
struct DlqFilter {
  std::string order_id;
  std::string reason;   // e.g. "node_lost"
  int64_t from_us = 0;  // dead-lettered at or after
  int64_t to_us = 0;    // dead-lettered before (0: no bound)
  MSGPACK_DEFINE(order_id, reason, from_us, to_us)
};

struct DeadLetter {
  std::string order_id;
  std::string reason;
  int64_t dead_lettered_us = 0;
  uint32_t attempts = 0;
  uint32_t redrives = 0;
  MSGPACK_DEFINE(order_id, reason, dead_lettered_us, attempts, redrives)
};

struct NodeInfo {
  std::string node_id;
  std::string host;
  uint32_t pid = 0;
  uint32_t credit = 0;
  uint32_t in_flight = 0;
  int64_t connected_us = 0;
  int64_t last_heartbeat_us = 0;
  uint64_t completed = 0;
  MSGPACK_DEFINE(node_id, host, pid, credit, in_flight, connected_us, last_heartbeat_us, completed)
};

struct Stats {
  std::vector<uint64_t> orders_by_status;  // index = OrderStatus value
  uint64_t backlog = 0;                    // PENDING + RETRYING
  uint64_t in_flight = 0;                  // PROCESSING
  uint64_t accepted_total = 0;             // since broker start
  uint64_t retries_total = 0;
  uint64_t late_results_total = 0;         // results for deliveries no longer current
  uint64_t bad_frames_total = 0;           // frames that did not decode
  uint64_t rejected_total = 0;             // submits refused (backlog full, draining, invalid)
  uint64_t last_event_seq = 0;
  int64_t started_us = 0;
  uint64_t max_backlog = 0;
  std::vector<NodeInfo> nodes;
  MSGPACK_DEFINE(orders_by_status, backlog, in_flight, accepted_total, retries_total, late_results_total,
                 bad_frames_total, rejected_total, last_event_seq, started_us, max_backlog, nodes)
};

// outputs["total_cents"] (the catalog's total, set by the price step) as a
// number, or nullopt when absent or not a whole number.
std::optional<int64_t> PricedTotalCents(const std::map<std::string, std::string>& outputs);

// A ledger change requested by a node's result. The broker applies every
// effect of a result atomically with the order's final status, or none.
struct Effect {
  std::string kind;  // "reserve": take `amount` units of product `key` from its stock
  std::string key;   // e.g. product id
  int64_t amount = 0;
  MSGPACK_DEFINE(kind, key, amount)
};
inline constexpr const char* kEffectReserve = "reserve";

// One product of the broker's catalog. Deliveries carry the entries of the
// order's products (stock as it was at delivery) so that nodes stay stateless.
struct CatalogEntry {
  std::string product_id;
  std::string name;
  int64_t unit_price_cents = 0;
  std::string currency;  // ISO 4217, e.g. "USD"
  int64_t stock = 0;     // units on hand (the ledger's counter)
  MSGPACK_DEFINE(product_id, name, unit_price_cents, currency, stock)
};

}  // namespace om::proto
