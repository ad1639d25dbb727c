// HttpApi: the gateway's HTTP API as a function from HttpRequest to
// HttpResponse. It routes, authenticates, applies CORS, validates, asks the
// broker through a BrokerCaller and shapes every answer (JSON, or
// problem+json for errors). No civetweb here: the adapter
// (gateway_server.h) only copies the request in and the response out, and
// the tests drive this class with a fake broker.
//
// Routes (openapi.yaml is the full contract):
//   POST /orders           202 {"order_id","status":"PENDING"} + Location, after the broker's durable accept
//   GET  /orders?status=&limit=&cursor=   200 {"orders":[...],"next_cursor"} + Link rel="next"
//   GET  /orders/{id}      200 the order (total, status, attempts, history)
//   GET  /livez            200 while the process runs
//   GET  /readyz[?verbose] 200 when the broker answers and not draining, else 503
//   GET  /metrics          200 Prometheus text
//   GET  /openapi.yaml     200 the OpenAPI document
//   OPTIONS <route>        CORS preflight, or 204 with Allow
// Checks in order: route (404), method (405 + Allow), API key on /orders*
// (401), then the route's own: Content-Type (415), body size (413),
// Idempotency-Key and body validation (400), the broker's answer.
//
// Thread-safety: Handle() is called from every civetweb worker at once; the
// object is immutable after construction except the draining flag (atomic)
// and the metrics (atomic counters).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "gateway/auth.h"
#include "gateway/broker_caller.h"
#include "gateway/cors.h"
#include "gateway/http_types.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "protocol/json.h"

namespace om::gateway {

class HttpApi {
 public:
  // broker and metrics must outlive this object. openapi_yaml is served as is.
  HttpApi(const GatewayOptions& options, BrokerCaller* broker, Metrics* metrics, std::string openapi_yaml);

  HttpResponse Handle(const HttpRequest& req);

  // SIGTERM: /readyz answers 503 from now on and responses close their
  // connections; requests are still served.
  void BeginDrain() { draining_.store(true, std::memory_order_relaxed); }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }

 private:
  // Route, method, API key, then the route's handler.
  HttpResponse Dispatch(const HttpRequest& req, Route route, std::string_view methods, std::string_view id);
  HttpResponse PostOrder(const HttpRequest& req);
  HttpResponse GetOrder(const HttpRequest& req, std::string_view id);
  HttpResponse ListOrders(const HttpRequest& req);
  HttpResponse Readyz(const HttpRequest& req);
  HttpResponse MetricsPage();

  // One broker round trip, timed and counted by op.
  Result<proto::FrontReply> CallBroker(BrokerOp op, const proto::FrontRequest& req, std::chrono::milliseconds timeout);
  // The answer when the broker gave no usable reply (503 / 502).
  HttpResponse NoBrokerReply(const Status& st, const HttpRequest& req, const std::string& trace_id);

  const GatewayOptions options_;
  const proto::OrderLimits limits_;
  const std::chrono::milliseconds timeout_;
  const std::chrono::milliseconds probe_timeout_;  // /readyz and /metrics: min(timeout, 1 s)
  BrokerCaller* const broker_;
  Metrics* const metrics_;
  const std::string openapi_yaml_;
  const Authenticator auth_;
  const CorsPolicy cors_;
  std::atomic<bool> draining_{false};
};

}  // namespace om::gateway
