#include "gateway/http_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/problem.h"
#include "gateway/query.h"
#include "gateway/traceparent.h"

namespace om::gateway {
namespace {

using std::chrono::milliseconds;

constexpr size_t kMaxOrderIdBytes = 128;
constexpr std::string_view kOrdersMethods = "GET, POST";
constexpr std::string_view kReadMethods = "GET";

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.Add("Content-Type", "application/json");
  r.Add("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

HttpResponse SimpleProblem(int status, std::string slug, std::string title, std::string detail,
                           std::string_view instance, std::string trace_id = {}) {
  Problem p;
  p.status = status;
  p.slug = std::move(slug);
  p.title = std::move(title);
  p.detail = std::move(detail);
  p.instance = std::string(instance);
  p.trace_id = std::move(trace_id);
  return MakeProblem(p);
}

// Which route a path is, the methods it serves, and the {id} for /orders/{id}.
struct Match {
  Route route = Route::kOther;
  std::string_view methods;
  std::string_view id;
};

Match MatchRoute(std::string_view path) {
  if (path == "/orders") return {Route::kOrders, kOrdersMethods, {}};
  constexpr std::string_view kPrefix = "/orders/";
  if (path.substr(0, kPrefix.size()) == kPrefix) {
    std::string_view id = path.substr(kPrefix.size());
    if (id.empty() || id.find('/') != std::string_view::npos) return {};
    return {Route::kOrder, kReadMethods, id};
  }
  if (path == "/livez") return {Route::kLivez, kReadMethods, {}};
  if (path == "/readyz") return {Route::kReadyz, kReadMethods, {}};
  if (path == "/metrics") return {Route::kMetrics, kReadMethods, {}};
  if (path == "/openapi.yaml") return {Route::kOpenapi, kReadMethods, {}};
  return {};
}

bool ValidOrderId(std::string_view id) {
  if (id.size() > kMaxOrderIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
  });
}

}  // namespace

HttpApi::HttpApi(const GatewayOptions& options, BrokerCaller* broker, Metrics* metrics, std::string openapi_yaml)
    : options_(options),
      limits_{static_cast<size_t>(options.max_items), static_cast<uint32_t>(options.max_quantity),
              static_cast<size_t>(options.max_id_length), static_cast<size_t>(options.max_metadata_bytes)},
      timeout_(options.request_timeout_ms),
      probe_timeout_(std::min<int64_t>(options.request_timeout_ms, 1000)),
      broker_(broker),
      metrics_(metrics),
      openapi_yaml_(std::move(openapi_yaml)),
      auth_(options.api_keys),
      cors_(options.cors_origins) {}

HttpResponse HttpApi::Handle(const HttpRequest& req) {
  const Match m = MatchRoute(req.path);
  const bool preflight = m.route != Route::kOther && CorsPolicy::IsPreflight(req);
  HttpResponse r = preflight ? cors_.Preflight(req, m.methods) : Dispatch(req, m.route, m.methods, m.id);
  r.route = m.route;
  if (!preflight) cors_.Decorate(req.Find("Origin"), &r);  // a preflight answer has its own
  if (draining()) r.close = true;                           // clients move to another gateway
  return r;
}

HttpResponse HttpApi::Dispatch(const HttpRequest& req, Route route, std::string_view methods, std::string_view id) {
  if (route == Route::kOther) return SimpleProblem(404, "not-found", "Not found", "no resource at this path", req.path);
  if (req.method == "OPTIONS") {
    HttpResponse r;
    r.status = 204;
    r.Add("Allow", std::string(methods) + ", OPTIONS");
    return r;
  }
  if (!MethodListed(methods, req.method)) {
    HttpResponse r = SimpleProblem(
        405, "method-not-allowed", "Method not allowed",
        "this resource serves " + std::string(methods) + ", not " + std::string(req.method), req.path);
    r.Add("Allow", std::string(methods) + ", OPTIONS");
    return r;
  }
  if (route == Route::kOrders || route == Route::kOrder) {  // the health and document routes are open
    Authenticator::Outcome auth = auth_.Check(req);
    if (!auth.ok) {
      HttpResponse r = SimpleProblem(401, "unauthorized", "Missing or invalid API key", auth.detail, req.path);
      r.Add("WWW-Authenticate", "Bearer realm=\"ordermesh\"");
      return r;
    }
  }
  switch (route) {
    case Route::kOrders: return req.method == "POST" ? PostOrder(req) : ListOrders(req);
    case Route::kOrder: return GetOrder(req, id);
    case Route::kLivez: return Json(200, R"({"status":"ok"})");
    case Route::kReadyz: return Readyz(req);
    case Route::kMetrics: return MetricsPage();
    case Route::kOpenapi: {
      HttpResponse r;
      r.Add("Content-Type", "application/yaml");
      r.body = openapi_yaml_;
      return r;
    }
    case Route::kOther: break;
  }
  return SimpleProblem(404, "not-found", "Not found", "no resource at this path", req.path);
}

HttpResponse HttpApi::PostOrder(const HttpRequest& req) {
  TraceContext span = StartSpan(ParseTraceparent(req.Find("traceparent")));
  const std::string& trace = span.trace_id;
  std::string_view content_type = req.Find("Content-Type");
  if (!IsJsonContentType(content_type)) {
    return SimpleProblem(415, "unsupported-media-type", "Unsupported media type",
                         content_type.empty() ? "send the order as Content-Type: application/json"
                                              : "send the order as Content-Type: application/json, not " +
                                                    std::string(content_type.substr(0, 100)),
                         req.path, trace);
  }
  auto too_large = [&] {
    HttpResponse r = SimpleProblem(413, "body-too-large", "Request body too large",
                                   "the body must be at most " + std::to_string(options_.max_body_bytes) + " bytes",
                                   req.path, trace);
    r.close = true;  // the rest of the body is not read
    return r;
  };
  if (req.content_length > options_.max_body_bytes) return too_large();
  thread_local std::string body;  // the worker's buffer, capacity reused
  body.clear();
  if (req.body) {
    switch (req.body->Read(static_cast<size_t>(options_.max_body_bytes), &body)) {
      case BodySource::Outcome::kOk: break;
      case BodySource::Outcome::kTooLarge: return too_large();
      case BodySource::Outcome::kError: {
        HttpResponse r = SimpleProblem(400, "malformed-body", "Malformed request body",
                                       "the body could not be read completely", req.path, trace);
        r.close = true;
        return r;
      }
    }
  }

  std::string key;
  if (req.Has("Idempotency-Key")) {
    key = std::string(req.Find("Idempotency-Key"));
    if (std::string why = CheckIdempotencyKey(key); !why.empty()) {
      Problem p;
      p.status = 400;
      p.slug = "invalid-request";
      p.title = "Invalid request";
      p.detail = "the Idempotency-Key header is not usable";
      p.instance = std::string(req.path);
      p.errors = {{"Idempotency-Key", why}};
      p.body_fields = false;
      p.trace_id = trace;
      return MakeProblem(p);
    }
  }

  std::vector<proto::FieldError> errors;
  auto order = proto::ParseOrderJson(body, limits_, &errors);
  if (!order.ok()) {
    Problem p;
    p.status = 400;
    p.instance = std::string(req.path);
    p.trace_id = trace;
    bool malformed = errors.size() == 1 && errors[0].path.empty() &&
                     (errors[0].message.rfind("malformed JSON", 0) == 0 || errors[0].message.rfind("JSON nested", 0) == 0);
    if (malformed) {
      p.slug = "malformed-json";
      p.title = "Malformed JSON";
      p.detail = errors[0].message;
    } else {
      p.slug = "invalid-order";
      p.title = "The order is invalid";
      p.detail = std::to_string(errors.size()) + (errors.size() == 1 ? " problem" : " problems") + " in the order";
      p.errors = std::move(errors);
    }
    return MakeProblem(p);
  }
  order->idempotency_key = std::move(key);
  order->traceparent = span.ToHeader();

  auto reply = CallBroker(BrokerOp::kSubmit, proto::Submit{std::move(order).value()}, timeout_);
  if (!reply.ok()) return NoBrokerReply(reply.status(), req, trace);
  if (auto* a = std::get_if<proto::Accepted>(&reply.value())) {
    HttpResponse r;
    r.status = 202;
    r.Add("Content-Type", "application/json");
    std::string location;
    location.reserve(8 + a->order_id.size());
    location.append("/orders/").append(a->order_id);
    r.Add("Location", std::move(location));
    if (a->duplicate) r.Add("Idempotent-Replayed", "true");
    r.body.reserve(40 + a->order_id.size());
    r.body.append(R"({"order_id":")").append(a->order_id).append(R"(","status":"PENDING"})");
    if (spdlog::should_log(spdlog::level::debug)) {
      spdlog::debug("order {} accepted{} traceparent {}", a->order_id, a->duplicate ? " (idempotent repeat)" : "",
                    span.ToHeader());
    }
    r.order_id = std::move(a->order_id);
    r.trace_id = trace;
    return r;
  }
  if (auto* e = std::get_if<proto::Error>(&reply.value())) {
    Problem p = FromBrokerError(*e);
    p.instance = std::string(req.path);
    p.trace_id = trace;
    if (e->code == proto::ErrorCode::kIdempotencyMismatch) {
      p.detail = "this Idempotency-Key was used with a different order body: " + e->detail;
    }
    return MakeProblem(p);
  }
  return NoBrokerReply(Status::Corruption("the broker answered a submit with an unexpected message"), req, trace);
}

HttpResponse HttpApi::GetOrder(const HttpRequest& req, std::string_view id) {
  if (!ValidOrderId(id)) return SimpleProblem(404, "not-found", "Not found", "no order with this id", req.path);
  auto reply = CallBroker(BrokerOp::kGetOrder, proto::GetOrder{std::string(id)}, timeout_);
  if (!reply.ok()) return NoBrokerReply(reply.status(), req, {});
  if (auto* o = std::get_if<proto::Order>(&reply.value())) {
    HttpResponse r = Json(200, Dump(proto::ToJson(o->order)));
    r.order_id = o->order.order_id;
    return r;
  }
  if (auto* e = std::get_if<proto::Error>(&reply.value())) {
    Problem p = FromBrokerError(*e);
    p.instance = std::string(req.path);
    if (e->code == proto::ErrorCode::kNotFound) p.detail = "no order with this id";
    return MakeProblem(p);
  }
  return NoBrokerReply(Status::Corruption("the broker answered a get with an unexpected message"), req, {});
}

HttpResponse HttpApi::ListOrders(const HttpRequest& req) {
  std::vector<proto::FieldError> errors;
  auto q = ParseListQuery(req.query, &errors);
  if (!q) {
    Problem p;
    p.status = 400;
    p.slug = "invalid-request";
    p.title = "Invalid query";
    p.detail = std::to_string(errors.size()) + (errors.size() == 1 ? " problem" : " problems") +
               " in the query parameters";
    p.instance = std::string(req.path);
    p.errors = std::move(errors);
    p.body_fields = false;
    return MakeProblem(p);
  }
  auto reply = CallBroker(BrokerOp::kListOrders, proto::ListOrders{q->status, q->limit, q->cursor}, timeout_);
  if (!reply.ok()) return NoBrokerReply(reply.status(), req, {});
  if (auto* list = std::get_if<proto::OrderList>(&reply.value())) {
    nlohmann::json orders = nlohmann::json::array();
    for (const auto& rec : list->orders) orders.push_back(proto::ToJson(rec));
    nlohmann::json body{{"orders", std::move(orders)}};
    body["next_cursor"] = list->next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(list->next_cursor);
    HttpResponse r = Json(200, Dump(body));
    if (!list->next_cursor.empty()) {
      r.Add("Link", "</orders?status=" + std::string(proto::StatusName(q->status)) + "&limit=" +
                        std::to_string(q->limit) + "&cursor=" + PercentEncode(list->next_cursor) + ">; rel=\"next\"");
    }
    return r;
  }
  if (auto* e = std::get_if<proto::Error>(&reply.value())) {
    Problem p = FromBrokerError(*e);
    p.instance = std::string(req.path);
    return MakeProblem(p);
  }
  return NoBrokerReply(Status::Corruption("the broker answered a list with an unexpected message"), req, {});
}

HttpResponse HttpApi::Readyz(const HttpRequest& req) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  bool ready = true;
  if (draining()) {
    ready = false;
    checks.push_back({{"name", "draining"}, {"ok", false}, {"detail", "the gateway is shutting down"}});
  } else {
    checks.push_back({{"name", "draining"}, {"ok", true}});
    int64_t t0 = NowMicros();
    auto reply = CallBroker(BrokerOp::kStats, proto::GetStats{false}, probe_timeout_);
    bool ok = reply.ok() && std::holds_alternative<proto::StatsReply>(reply.value());
    ready = ok;
    char took[32];
    std::snprintf(took, sizeof took, "%.1f ms", static_cast<double>(NowMicros() - t0) / 1000.0);
    checks.push_back({{"name", "broker"},
                      {"ok", ok},
                      {"detail", ok ? options_.broker_endpoint + " answered in " + took
                                    : (reply.ok() ? std::string("unexpected reply") : reply.status().message())}});
  }
  nlohmann::ordered_json body{{"status", ready ? "ready" : "not ready"}};
  if (HasQueryParam(req.query, "verbose")) body["checks"] = std::move(checks);
  return Json(ready ? 200 : 503, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse HttpApi::MetricsPage() {
  std::optional<proto::Stats> stats;
  auto reply = CallBroker(BrokerOp::kStats, proto::GetStats{true}, probe_timeout_);
  if (reply.ok()) {
    if (auto* s = std::get_if<proto::StatsReply>(&reply.value())) stats = std::move(s->stats);
  }
  HttpResponse r;
  r.status = 200;
  r.Add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.Add("Cache-Control", "no-store");
  r.body = metrics_->Render(stats);
  return r;
}

Result<proto::FrontReply> HttpApi::CallBroker(BrokerOp op, const proto::FrontRequest& req, milliseconds timeout) {
  int64_t t0 = NowMicros();
  auto reply = broker_->Call(req, timeout);
  if (reply.ok()) {
    metrics_->BrokerRoundTrip(op, NowMicros() - t0);
  } else {
    Code c = reply.status().code();
    metrics_->BrokerFailed(op, c == Code::kTimeout       ? BrokerFailure::kTimeout
                               : c == Code::kCorruption ? BrokerFailure::kBadReply
                                                        : BrokerFailure::kUnavailable);
  }
  return reply;
}

HttpResponse HttpApi::NoBrokerReply(const Status& st, const HttpRequest& req, const std::string& trace_id) {
  Problem p;
  p.instance = std::string(req.path);
  p.trace_id = trace_id;
  if (st.code() == Code::kCorruption) {
    p.status = 502;
    p.slug = "bad-broker-reply";
    p.title = "Bad reply from the broker";
    p.detail = st.message();
    spdlog::error("{} {}: {}", req.method, req.path, st.message());
    return MakeProblem(p);
  }
  p.status = 503;
  p.slug = "broker-unavailable";
  p.title = "The broker is not available";
  p.retry_after_s = 1;
  p.detail = st.message();
  if (st.code() == Code::kTimeout && req.method == "POST") {
    p.detail += "; the order may or may not have been accepted: retry with the same Idempotency-Key";
  }
  return MakeProblem(p);
}

}  // namespace om::gateway
