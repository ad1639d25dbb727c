// Typed ordermesh messages. Every message is one ZeroMQ frame (plus the
// routing-id frame a ROUTER adds, and the topic frame on PUB) holding the
// msgpack array [version, type, id, payload]; see protocol/SPEC.md for the
// grammar of each exchange. `id` is the request id on the front socket, the
// delivery id on DELIVER/RESULT and the sequence number on EVENT.
//
// Only protocol/ turns these into bytes and back (codec.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "protocol/types.h"

namespace om::proto {

inline constexpr uint32_t kProtocolVersion = 1;

enum class MsgType : uint8_t {
  // client -> broker (front)
  kSubmit = 1,
  kGetOrder = 2,
  kListOrders = 3,
  kGetStats = 4,
  kEventsSince = 5,
  kDlqList = 6,
  kDlqShow = 7,
  kDlqRedrive = 8,
  kDlqPurge = 9,
  kCatalogList = 10,
  kCatalogSet = 11,
  // broker -> client (front)
  kAccepted = 20,
  kError = 21,
  kOrder = 22,
  kOrderList = 23,
  kStatsReply = 24,
  kEvents = 25,
  kDlqListReply = 26,
  kDlqEntry = 27,
  kDlqCount = 28,
  kCatalog = 29,
  // node <-> broker (back)
  kReady = 40,
  kHeartbeat = 41,
  kDeliver = 42,
  kResult = 43,
  kDisconnect = 44,
  kReconnect = 45,
  // broker -> subscribers (PUB)
  kEvent = 60,
};

// ---- front: requests ----
struct Submit { static constexpr MsgType kType = MsgType::kSubmit; OrderRequest order; MSGPACK_DEFINE(order) };
struct GetOrder { static constexpr MsgType kType = MsgType::kGetOrder; std::string order_id; MSGPACK_DEFINE(order_id) };
struct ListOrders {
  static constexpr MsgType kType = MsgType::kListOrders;
  OrderStatus status = OrderStatus::kPending;
  uint32_t limit = 50;
  std::string cursor;  // "" for the first page; else the last order id of the previous page
  MSGPACK_DEFINE(status, limit, cursor)
};
struct GetStats { static constexpr MsgType kType = MsgType::kGetStats; bool with_nodes = true; MSGPACK_DEFINE(with_nodes) };
struct EventsSince {
  static constexpr MsgType kType = MsgType::kEventsSince;
  uint64_t after_seq = 0;  // answer events with seq > after_seq
  uint32_t limit = 1000;
  MSGPACK_DEFINE(after_seq, limit)
};
struct DlqList {
  static constexpr MsgType kType = MsgType::kDlqList;
  DlqFilter filter;
  uint32_t limit = 50;
  std::string cursor;
  MSGPACK_DEFINE(filter, limit, cursor)
};
struct DlqShow { static constexpr MsgType kType = MsgType::kDlqShow; std::string order_id; MSGPACK_DEFINE(order_id) };
// Redrive or purge the dead letters matching filter, at most `limit` of them
// (the broker also caps it at its redrive_batch_max); the reply says how many.
struct DlqRedrive { static constexpr MsgType kType = MsgType::kDlqRedrive; DlqFilter filter; uint32_t limit = 1000; MSGPACK_DEFINE(filter, limit) };
struct DlqPurge { static constexpr MsgType kType = MsgType::kDlqPurge; DlqFilter filter; uint32_t limit = 1000; MSGPACK_DEFINE(filter, limit) };

// The catalog entries of these products (none named: all of them, by id).
struct CatalogList {
  static constexpr MsgType kType = MsgType::kCatalogList;
  std::vector<std::string> product_ids;
  MSGPACK_DEFINE(product_ids)
};
// Creates or replaces these entries (stock is set, not added), atomically.
struct CatalogSet {
  static constexpr MsgType kType = MsgType::kCatalogSet;
  std::vector<CatalogEntry> entries;
  MSGPACK_DEFINE(entries)
};

// ---- front: replies ----
struct Accepted {
  static constexpr MsgType kType = MsgType::kAccepted;
  std::string order_id;
  bool duplicate = false;  // an Idempotency-Key repeat: this is the original order
  MSGPACK_DEFINE(order_id, duplicate)
};
struct Error {
  static constexpr MsgType kType = MsgType::kError;
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  uint32_t retry_after_ms = 0;  // a hint for kBacklogFull / kDraining
  MSGPACK_DEFINE(code, detail, retry_after_ms)
};
struct Order { static constexpr MsgType kType = MsgType::kOrder; OrderRecord order; MSGPACK_DEFINE(order) };
struct OrderList {
  static constexpr MsgType kType = MsgType::kOrderList;
  std::vector<OrderRecord> orders;
  std::string next_cursor;  // "" when this is the last page
  MSGPACK_DEFINE(orders, next_cursor)
};
struct StatsReply { static constexpr MsgType kType = MsgType::kStatsReply; Stats stats; MSGPACK_DEFINE(stats) };
struct Events {
  static constexpr MsgType kType = MsgType::kEvents;
  std::vector<Event> events;
  uint64_t first_retained_seq = 0;  // older events were trimmed: a subscriber behind it has lost them
  uint64_t last_seq = 0;            // the newest event at the time of the answer
  MSGPACK_DEFINE(events, first_retained_seq, last_seq)
};
struct DlqListReply {
  static constexpr MsgType kType = MsgType::kDlqListReply;
  std::vector<DeadLetter> entries;
  std::string next_cursor;
  MSGPACK_DEFINE(entries, next_cursor)
};
struct DlqEntry { static constexpr MsgType kType = MsgType::kDlqEntry; DeadLetter entry; OrderRecord order; MSGPACK_DEFINE(entry, order) };
struct DlqCount { static constexpr MsgType kType = MsgType::kDlqCount; uint64_t count = 0; uint64_t remaining = 0; MSGPACK_DEFINE(count, remaining) };

struct Catalog { static constexpr MsgType kType = MsgType::kCatalog; std::vector<CatalogEntry> entries; MSGPACK_DEFINE(entries) };

// ---- back ----
struct Ready {
  static constexpr MsgType kType = MsgType::kReady;
  std::string node_id;  // unique per node process
  uint32_t credit = 1;  // orders the node will hold at once
  std::string host;
  uint32_t pid = 0;
  MSGPACK_DEFINE(node_id, credit, host, pid)
};
struct Heartbeat { static constexpr MsgType kType = MsgType::kHeartbeat; std::string node_id; MSGPACK_DEFINE(node_id) };
struct Deliver {
  static constexpr MsgType kType = MsgType::kDeliver;
  std::string order_id;
  uint32_t attempt = 1;
  OrderRequest order;
  std::vector<CatalogEntry> catalog;  // the order's products that the catalog knows
  MSGPACK_DEFINE(order_id, attempt, order, catalog)
};
struct NodeResult {
  static constexpr MsgType kType = MsgType::kResult;
  std::string order_id;
  AttemptEnd end = AttemptEnd::kOk;  // kOk, kRetryableError, kTerminalError or kReleased
  std::string step;
  std::string error_code;
  std::string error_message;
  int64_t duration_us = 0;
  std::vector<Effect> effects;
  std::map<std::string, std::string> outputs;  // what the pipeline produced: total_cents, authorization_id, ...
  std::vector<StepTrace> steps;                // what each step and compensation did
  MSGPACK_DEFINE(order_id, end, step, error_code, error_message, duration_us, effects, outputs, steps)
};
struct Disconnect { static constexpr MsgType kType = MsgType::kDisconnect; std::string node_id; MSGPACK_DEFINE(node_id) };
struct Reconnect { static constexpr MsgType kType = MsgType::kReconnect; std::string detail; MSGPACK_DEFINE(detail) };

// ---- PUB ----
struct EventMsg { static constexpr MsgType kType = MsgType::kEvent; Event event; MSGPACK_DEFINE(event) };

// What each receiver can decode. The id travels beside the message.
using FrontRequest = std::variant<Submit, GetOrder, ListOrders, GetStats, EventsSince, DlqList, DlqShow, DlqRedrive, DlqPurge,
                                  CatalogList, CatalogSet>;
using FrontReply = std::variant<Accepted, Error, Order, OrderList, StatsReply, Events, DlqListReply, DlqEntry, DlqCount,
                                Catalog>;
using NodeToBroker = std::variant<Ready, Heartbeat, NodeResult, Disconnect>;
using BrokerToNode = std::variant<Heartbeat, Deliver, Reconnect>;

template <typename V>
struct Envelope {
  uint32_t version = kProtocolVersion;
  uint64_t id = 0;
  V msg;
};

}  // namespace om::proto
