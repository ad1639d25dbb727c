// The gateway's own view of one HTTP exchange, independent of civetweb, so
// the API logic (http_api.h) is tested without a server. The adapter
// (gateway_server.h) fills an HttpRequest from civetweb's request and writes
// the HttpResponse back. Plain values; a request's string_views point into
// the adapter's request buffers and live as long as the request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace om::gateway {

// The routes, as path templates: a metrics label and the key of the route table.
enum class Route : uint8_t { kOrders, kOrder, kLivez, kReadyz, kMetrics, kOpenapi, kOther };
inline constexpr int kNumRoutes = 7;
std::string_view RouteName(Route r);  // "/orders", "/orders/{id}", ..., "other"

struct Header {
  std::string_view name;
  std::string_view value;
};

// Where the body comes from: the adapter reads the socket, tests a string.
class BodySource {
 public:
  enum class Outcome { kOk, kTooLarge, kError };
  virtual ~BodySource() = default;
  // Reads the whole body into *out, or stops with kTooLarge once more than
  // max_bytes arrived. kError: the client went away or sent bad chunking.
  virtual Outcome Read(size_t max_bytes, std::string* out) = 0;
};

struct HttpRequest {
  std::string_view method;   // "GET"
  std::string_view path;     // URL-decoded, without the query: "/orders/0192..."
  std::string_view query;    // raw text after '?', "" when none
  std::vector<Header> headers;
  int64_t content_length = -1;  // -1: not given (chunked or none)
  BodySource* body = nullptr;   // null: no body can be read

  // The first header with this name (case-insensitive), "" when absent.
  std::string_view Find(std::string_view name) const;
  bool Has(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Length, Date, Connection
  std::string body;
  bool close = false;       // close the connection after this response
  Route route = Route::kOther;
  // For the access log only.
  std::string order_id;
  std::string trace_id;

  void Add(std::string name, std::string value) {
    if (headers.empty()) headers.reserve(6);
    headers.emplace_back(std::move(name), std::move(value));
  }
  // The value of a header set on this response, "" when absent (tests, logs).
  std::string_view Find(std::string_view name) const;
};

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The standard reason phrase of a status ("Accepted"); "Unknown" otherwise.
std::string_view ReasonPhrase(int status);

// The whole response as HTTP/1.1 bytes into *out (cleared first, its
// capacity reused): status line, headers, Date, Content-Length (not on 204),
// Connection (keep-alive or close), blank line, body. date is an
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). head_only: the answer to
// a HEAD request, every header (Content-Length too) but no body.
void SerializeResponse(const HttpResponse& r, bool keep_alive, std::string_view date, std::string* out,
                       bool head_only = false);

}  // namespace om::gateway
