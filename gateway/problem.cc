#include "gateway/problem.h"

#include <nlohmann/json.hpp>

namespace om::gateway {

std::string ProblemBody(const Problem& p) {
  nlohmann::ordered_json j;
  j["type"] = p.slug.empty() ? std::string("about:blank") : std::string(kProblemTypePrefix) + p.slug;
  j["title"] = p.title.empty() ? std::string(ReasonPhrase(p.status)) : p.title;
  j["status"] = p.status;
  if (!p.detail.empty()) j["detail"] = p.detail;
  if (!p.instance.empty()) j["instance"] = p.instance;
  if (!p.errors.empty()) {
    auto& errors = j["errors"] = nlohmann::ordered_json::array();
    for (const auto& e : p.errors) {
      nlohmann::ordered_json item{{"field", e.path}};
      if (p.body_fields) item["pointer"] = JsonPointer(e.path);
      item["detail"] = e.message;
      errors.push_back(std::move(item));
    }
  }
  if (!p.code.empty()) j["code"] = p.code;
  if (!p.trace_id.empty()) j["trace_id"] = p.trace_id;
  // Details can quote what a client sent: never fail on bad UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse MakeProblem(const Problem& p) {
  HttpResponse r;
  r.status = p.status;
  r.Add("Content-Type", "application/problem+json");
  r.Add("Cache-Control", "no-store");
  if (p.retry_after_s > 0) r.Add("Retry-After", std::to_string(p.retry_after_s));
  r.body = ProblemBody(p);
  r.trace_id = p.trace_id;
  return r;
}

ErrorMapping MapErrorCode(proto::ErrorCode code) {
  using proto::ErrorCode;
  switch (code) {
    case ErrorCode::kBadRequest: return {400, "invalid-request", "The broker refused the request as invalid", false};
    case ErrorCode::kNotFound: return {404, "not-found", "Not found", false};
    case ErrorCode::kBacklogFull: return {429, "backlog-full", "The order backlog is full", true};
    case ErrorCode::kDraining: return {503, "broker-draining", "The broker is shutting down", true};
    case ErrorCode::kIdempotencyMismatch:
      return {422, "idempotency-mismatch", "Idempotency-Key reused with a different request", false};
    case ErrorCode::kIdempotencyInProgress:
      return {409, "idempotency-in-progress", "A request with this Idempotency-Key is in progress", true};
    case ErrorCode::kUnsupportedVersion:
      return {400, "invalid-request", "The broker does not speak this protocol version", false};
    case ErrorCode::kStorage: return {503, "storage-error", "The broker could not store the request", true};
    case ErrorCode::kInternal: return {500, "internal-error", "Internal error in the broker", false};
  }
  return {500, "internal-error", "Internal error", false};
}

int RetryAfterSeconds(uint32_t retry_after_ms) {
  int64_t s = (static_cast<int64_t>(retry_after_ms) + 999) / 1000;
  return static_cast<int>(s < 1 ? 1 : s);
}

Problem FromBrokerError(const proto::Error& e) {
  ErrorMapping m = MapErrorCode(e.code);
  Problem p;
  p.status = m.status;
  p.slug = std::string(m.slug);
  p.title = std::string(m.title);
  p.detail = e.detail;
  p.code = std::string(proto::ErrorCodeName(e.code));
  if (m.retry_after) p.retry_after_s = RetryAfterSeconds(e.retry_after_ms);
  return p;
}

std::string JsonPointer(std::string_view path) {
  std::string out = "#";
  if (path.empty()) return out;
  out += '/';
  for (char c : path) {
    switch (c) {
      case '.': out += '/'; break;
      case '[': out += '/'; break;
      case ']': break;
      case '~': out += "~0"; break;
      case '/': out += "~1"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace om::gateway
