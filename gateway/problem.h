// Problem details (RFC 9457): every error the gateway answers is an
// application/problem+json body with type, title, status, detail, instance,
// plus extension members: `errors` (one per field, with a JSON pointer) for
// validation failures, `code` (the broker's ErrorCode name) when the broker
// refused, and `trace_id`. Also the one table from broker ErrorCode to HTTP
// status (protocol/SPEC.md, "Codes"). Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/http_types.h"
#include "protocol/json.h"
#include "protocol/messages.h"

namespace om::gateway {

// Problem types are "urn:ordermesh:problem:<slug>"; openapi.yaml lists them.
inline constexpr std::string_view kProblemTypePrefix = "urn:ordermesh:problem:";

struct Problem {
  int status = 500;
  std::string slug;      // "invalid-order"; "" gives type about:blank
  std::string title;     // "" gives the status's reason phrase
  std::string detail;
  std::string instance;  // the request path
  std::vector<proto::FieldError> errors;
  bool body_fields = true;  // errors name body fields: add a JSON pointer to each
  std::string code;      // broker ErrorCode name, "" when the gateway decided
  std::string trace_id;
  int retry_after_s = 0;  // > 0 adds Retry-After
};

// The problem+json text of p (compact, keys in the order listed above).
std::string ProblemBody(const Problem& p);

// p as a response: status, Content-Type: application/problem+json,
// Cache-Control: no-store, and Retry-After when retry_after_s > 0.
HttpResponse MakeProblem(const Problem& p);

// How a broker S:ERROR code becomes HTTP. SPEC.md's table: bad_request and
// unsupported_version 400, not_found 404, backlog_full 429, draining 503,
// idempotency_mismatch 422, idempotency_in_progress 409, storage 503,
// internal 500. retry_after: whether the answer carries Retry-After.
struct ErrorMapping {
  int status;
  std::string_view slug;
  std::string_view title;
  bool retry_after;
};
ErrorMapping MapErrorCode(proto::ErrorCode code);

// Retry-After seconds for a retry_after_ms hint: rounded up, at least 1.
int RetryAfterSeconds(uint32_t retry_after_ms);

// A Problem for a broker refusal, its detail taken from the broker.
Problem FromBrokerError(const proto::Error& e);

// "items[2].quantity" -> "#/items/2/quantity"; "" -> "#". JSON pointer
// escaping ("~0", "~1") applies to names.
std::string JsonPointer(std::string_view field_path);

}  // namespace om::gateway
