// CORS by allow-list. Only origins listed in the config get CORS headers;
// there is no wildcard (civetweb's own default of `*` is switched off in
// gateway_server.cc). Decisions are pure; immutable after construction, so
// safe from any thread.
//
//  - A request with an allowed Origin gets Access-Control-Allow-Origin: <that
//    origin>, Vary: Origin and Access-Control-Expose-Headers (Location, Link,
//    Retry-After, Idempotent-Replayed). Other origins get no CORS headers (the
//    browser then hides the response), but the request is still served.
//  - A preflight (OPTIONS with Origin and Access-Control-Request-Method) from
//    an allowed origin for a method the route serves is 204 with
//    Allow-Methods, Allow-Headers, Max-Age; from another origin it is 403,
//    for a method the route does not serve 405.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/http_types.h"

namespace om::gateway {

inline constexpr std::string_view kCorsAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, X-API-Key, traceparent, tracestate";
inline constexpr std::string_view kCorsExposeHeaders = "Location, Link, Retry-After, Idempotent-Replayed";
inline constexpr int kCorsMaxAgeSeconds = 600;

// An origin as a browser serializes it: scheme "://" host [":" port], no path.
[[nodiscard]] Status CheckOrigin(std::string_view origin);

class CorsPolicy {
 public:
  // Origins are compared case-insensitively in scheme and host (stored lower-case).
  explicit CorsPolicy(const std::vector<std::string>& origins);

  bool enabled() const { return !origins_.empty(); }
  bool Allows(std::string_view origin) const;

  // True for an OPTIONS request carrying Origin and Access-Control-Request-Method.
  static bool IsPreflight(const HttpRequest& req);

  // Adds the headers of an actual response for a request from `origin` ("" for none).
  void Decorate(std::string_view origin, HttpResponse* r) const;

  // Answers a preflight for a route serving `methods` ("GET, POST").
  HttpResponse Preflight(const HttpRequest& req, std::string_view methods) const;

 private:
  std::vector<std::string> origins_;
};

// True when `method` is one of the comma-separated `methods`.
bool MethodListed(std::string_view methods, std::string_view method);

}  // namespace om::gateway
