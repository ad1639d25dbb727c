// Stable names of the protocol's enums (JSON, logs, topics, CLI).
#include <array>
#include <charconv>
#include <cctype>

#include "protocol/types.h"

namespace om::proto {

bool IsTerminal(OrderStatus s) {
  return s == OrderStatus::kProcessed || s == OrderStatus::kFailed || s == OrderStatus::kDeadLettered;
}

std::string_view StatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kNone: return "";
    case OrderStatus::kPending: return "PENDING";
    case OrderStatus::kProcessing: return "PROCESSING";
    case OrderStatus::kRetrying: return "RETRYING";
    case OrderStatus::kProcessed: return "PROCESSED";
    case OrderStatus::kFailed: return "FAILED";
    case OrderStatus::kDeadLettered: return "DEAD_LETTERED";
  }
  return "UNKNOWN";
}

std::string_view StatusTopic(OrderStatus s) {
  switch (s) {
    case OrderStatus::kNone: return "";
    case OrderStatus::kPending: return "order.pending";
    case OrderStatus::kProcessing: return "order.processing";
    case OrderStatus::kRetrying: return "order.retrying";
    case OrderStatus::kProcessed: return "order.processed";
    case OrderStatus::kFailed: return "order.failed";
    case OrderStatus::kDeadLettered: return "order.dead_lettered";
  }
  return "order.unknown";
}

std::string EventTopic(const Event& e) { return e.topic.empty() ? std::string(StatusTopic(e.status)) : e.topic; }

std::optional<int64_t> PricedTotalCents(const std::map<std::string, std::string>& outputs) {
  auto it = outputs.find("total_cents");
  if (it == outputs.end()) return std::nullopt;
  int64_t cents = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cents);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return cents;
}

std::optional<OrderStatus> ParseStatus(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (int i = 1; i < kNumStatuses; ++i) {
    auto s = static_cast<OrderStatus>(i);
    if (StatusName(s) == upper) return s;
  }
  return std::nullopt;
}

std::string_view AttemptEndName(AttemptEnd e) {
  switch (e) {
    case AttemptEnd::kOk: return "ok";
    case AttemptEnd::kRetryableError: return "retryable_error";
    case AttemptEnd::kTerminalError: return "terminal_error";
    case AttemptEnd::kVisibilityTimeout: return "visibility_timeout";
    case AttemptEnd::kNodeLost: return "node_lost";
    case AttemptEnd::kReleased: return "released";
    case AttemptEnd::kInProgress: return "in_progress";
  }
  return "unknown";
}

std::string_view ErrorCodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::kBadRequest: return "bad_request";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kBacklogFull: return "backlog_full";
    case ErrorCode::kDraining: return "draining";
    case ErrorCode::kIdempotencyMismatch: return "idempotency_mismatch";
    case ErrorCode::kIdempotencyInProgress: return "idempotency_in_progress";
    case ErrorCode::kUnsupportedVersion: return "unsupported_version";
    case ErrorCode::kStorage: return "storage";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace om::proto
