// Small pure parsers for the HTTP API: the query string of GET /orders,
// percent-encoding, the Content-Type of POST /orders and the
// Idempotency-Key header. Safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json.h"
#include "protocol/types.h"

namespace om::gateway {

inline constexpr uint32_t kDefaultPageLimit = 50;
inline constexpr uint32_t kMaxPageLimit = 1000;  // the broker's own cap
inline constexpr size_t kMaxCursorBytes = 128;
inline constexpr size_t kMaxIdempotencyKeyBytes = 255;

// GET /orders?status=PENDING&limit=50&cursor=...
struct ListQuery {
  proto::OrderStatus status = proto::OrderStatus::kPending;
  uint32_t limit = kDefaultPageLimit;
  std::string cursor;  // "" for the first page
};

// status is required (any case: PENDING or pending); limit is 1..1000
// (default 50); cursor is at most 128 printable bytes. Unknown and repeated
// parameters are errors. Every problem goes to *errors (cleared first), path
// = the parameter's name; nullopt when there is any.
std::optional<ListQuery> ParseListQuery(std::string_view query, std::vector<proto::FieldError>* errors);

// Decodes %XX and '+' (a query component). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view s);
// Encodes everything but unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view s);

// True when a query string holds parameter `name` ("verbose", "verbose=1").
bool HasQueryParam(std::string_view query, std::string_view name);

// "application/json", any case, optionally with parameters; a charset
// parameter must be utf-8.
bool IsJsonContentType(std::string_view content_type);

// "" when key is a usable Idempotency-Key (1..255 bytes of visible ASCII),
// else why not.
std::string CheckIdempotencyKey(std::string_view key);

}  // namespace om::gateway
