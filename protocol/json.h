// The one JSON vocabulary of ordermesh: how the HTTP gateway, the admin CLI
// and the notifier show orders, events, dead letters and stats, and how the
// gateway reads a submitted order. Keeping both directions here means every
// program prints the same field names and the same time format.
//
// Shapes (field order is not significant; absent means "omitted"):
//   time       RFC 3339 UTC with microseconds, "2026-11-22T04:35:18.123456Z"
//   enums      StatusName ("PENDING"), AttemptEndName ("retryable_error"),
//              StatusTopic ("order.pending") - see types.h
//   empty      optional strings (reason, node_id, traceparent, ...) are
//              omitted rather than printed as ""
//
// Pure functions without shared state: safe from any thread. ToJson never
// validates UTF-8; callers that dump() strings which came from peers should
// use nlohmann's error_handler_t::replace. ParseOrderJson never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/types.h"

namespace om::proto {

// RFC 3339 UTC with microseconds: "2026-11-22T04:35:18.123456Z". Times before
// 1970 are fine ("1969-12-31T23:59:59.999999Z" for -1); instants outside the
// years 0000-9999 are clamped to them.
std::string FormatTime(int64_t unix_micros);

// {"product_id", "quantity", "unit_price_cents" (omitted when absent)}
nlohmann::json ToJson(const OrderItem& item);
// {"status", "time", "attempt", "node_id" (omit empty), "reason" (omit empty)}
nlohmann::json ToJson(const HistoryEntry& entry);
// {"attempt", "node_id", "started_at", "duration_ms" (double), "outcome",
//  "step", "error_code", "error_message" (the last three omitted when empty),
//  "steps" (omitted when empty)}
nlohmann::json ToJson(const AttemptRecord& attempt);
// {"step", "outcome", "duration_ms", "code", "message" (the last two omitted when empty)}
nlohmann::json ToJson(const StepTrace& trace);
// {"product_id", "name", "unit_price_cents", "currency", "stock"}
nlohmann::json ToJson(const CatalogEntry& entry);
// {"order_id", "status", "customer_id", "currency", "items", "total_cents",
//  "metadata", "attempts", "redrives", "created_at", "updated_at",
//  "next_attempt_at" (only when RETRYING), "reason" (omit empty),
//  "traceparent" (omit empty), "history", "attempt_log", "outputs" (omit empty)}
// total_cents is the pipeline's output total_cents when it priced the order,
// else the sum of quantity * unit_price_cents when every item has a price
// (and the sum fits in int64), else null. metadata is the stored object
// ({} when there is none); stored text that is not a JSON object is shown as
// the raw string.
nlohmann::json ToJson(const OrderRecord& record);
// {"seq", "time", "topic", "order_id", "status", "attempt", "node_id",
//  "reason", "traceparent", "data"} with empty strings omitted; status and
// attempt only for an order event; data is the event's data object.
nlohmann::json ToJson(const Event& event);
// {"order_id", "reason", "dead_lettered_at", "attempts", "redrives"}
nlohmann::json ToJson(const DeadLetter& letter);
// {"node_id", "host", "pid", "credit", "in_flight", "connected_at",
//  "last_heartbeat_at", "completed"}
nlohmann::json ToJson(const NodeInfo& node);
// {"orders_by_status": {"PENDING": n, ... all six}, "backlog", "in_flight",
//  "accepted_total", "retries_total", "late_results_total",
//  "bad_frames_total", "rejected_total", "last_event_seq", "started_at",
//  "max_backlog", "nodes": [...]}
nlohmann::json ToJson(const Stats& stats);

// Limits for a submitted order (the gateway fills them from its config).
struct OrderLimits {
  size_t max_items = 100;
  uint32_t max_quantity = 1000;
  size_t max_id_length = 128;        // customer_id, product_id, in bytes of UTF-8
  size_t max_metadata_bytes = 4096;  // the metadata object as compact JSON
};

// One validation problem. path is a JSON path into the body:
// "items[2].quantity", "customer_id", or "" for the whole body.
struct FieldError {
  std::string path;
  std::string message;
};

// Parses and validates an order body:
//   {"customer_id": string, 1..max_id_length bytes            (required)
//    "items": [ {"product_id": string, 1..max_id_length bytes (required)
//                "quantity": integer 1..max_quantity           (required)
//                "unit_price_cents": integer >= 0 } ]          (optional)
//             1..max_items of them                             (required)
//    "currency": three upper-case letters, default "USD"       (optional)
//    "metadata": object, at most max_metadata_bytes compact    (optional)}
// metadata is kept as compact JSON text (key order preserved) in
// metadata_json; idempotency_key and traceparent are left empty (they come
// from HTTP headers).
//
// Every problem is reported at once, in document order (a missing field is
// reported where its object ends), in *errors (cleared first; may be null).
// Unknown fields are errors. Malformed JSON is a single error at path "" that
// names the 0-based offset of the byte where parsing stopped ("malformed JSON
// at byte 16: syntax error ..."); nesting deeper than 64 levels is refused
// the same way, without an offset.
// Messages say what was expected and what was got ("expected an integer, got
// number 1.5") and are printable ASCII (paths hold the client's keys, which
// are valid UTF-8). Returns InvalidArgument ("3 problems in the order, the
// first: items[0].quantity: ...") when there is any problem, Internal only if
// memory runs out. Never throws.
Result<OrderRequest> ParseOrderJson(std::string_view body, const OrderLimits& limits,
                                    std::vector<FieldError>* errors);

}  // namespace om::proto
