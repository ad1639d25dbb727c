// The few bytes of HTTP/1.1 the bench speaks to a gateway: a POST /orders
// request built from a proto::OrderRequest, and an incremental parser of
// the responses coming back on a keep-alive connection.
//
// Pure: no sockets, no clock. HttpTarget (http_target.h) owns the I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/types.h"

namespace om::bench {

// The JSON body the gateway's POST /orders takes:
// {"customer_id":"..","items":[{"product_id":"..","quantity":N,"unit_price_cents":N}],"currency":".."}
// (unit_price_cents only where the item has one).
// The bench's ids are plain ASCII; anything JSON would need to escape is escaped.
std::string OrderJson(const proto::OrderRequest& order);

// "POST /orders HTTP/1.1" with Host, Content-Type, Content-Length and the body.
std::string PostOrdersRequest(std::string_view host_port, const proto::OrderRequest& order);

// One parsed response.
struct HttpResponse {
  int status = 0;
  bool close = false;     // "Connection: close": the server closes after this one
  std::string order_id;   // the body's "order_id", if any
};

// Parses responses from the bytes of one connection, one at a time.
class HttpResponseParser {
 public:
  enum class State { kNeedMore, kDone, kBad };

  // Looks for one complete response at the start of buf. kDone: *out holds
  // it and *consumed the bytes it took. kBad: not HTTP we understand
  // (no Content-Length, chunked, malformed status line); the connection is
  // unusable.
  static State Parse(std::string_view buf, HttpResponse* out, size_t* consumed);
};

// The value of "key":"value" in a flat JSON object, or "" (no escapes in value).
std::string JsonStringField(std::string_view json, std::string_view key);

}  // namespace om::bench
