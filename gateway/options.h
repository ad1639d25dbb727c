// GatewayOptions: every setting of ordermesh-gateway, with its default.
// Registered under the [gateway] table of the deployment file; the defaults
// suit one laptop (loopback only, no API keys).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace om::config {
class ConfigLoader;
}

namespace om::gateway {

struct GatewayOptions {
  // host:port civetweb listens on. Without api_keys only a loopback host is
  // allowed (127.0.0.0/8, ::1, localhost) unless allow_anonymous is set.
  std::string listen = "127.0.0.1:8080";
  std::string broker_endpoint = "tcp://127.0.0.1:5555";  // the broker's front socket
  // civetweb worker threads. civetweb holds one thread per keep-alive
  // connection, so this must be at least the number of client connections.
  int num_threads = 64;
  int64_t request_timeout_ms = 5'000;     // deadline of one broker round trip; then 503
  int64_t max_body_bytes = 65'536;        // larger request bodies get 413
  int max_items = 100;                    // items per order
  int max_quantity = 1'000;               // quantity per item
  int max_id_length = 128;                // customer_id / product_id bytes
  int max_metadata_bytes = 4'096;         // metadata object as compact JSON
  std::vector<std::string> api_keys;      // accepted keys; never logged
  bool allow_anonymous = false;           // serve without keys on a non-loopback address
  std::vector<std::string> cors_origins;  // allowed browser origins; empty: no CORS
  int64_t keep_alive_timeout_ms = 1'000;  // idle keep-alive connection is closed after this
  int64_t http_timeout_ms = 10'000;       // reading a request / writing a response
  int64_t drain_delay_ms = 1'000;         // SIGTERM: /readyz is 503 this long before the listener closes
  int hwm = 100'000;                      // ZeroMQ high-water marks of the DEALER
  bool access_log = false;                // one info line per request (method, path, status, ms, order, trace)
  std::string log_level = "info";
  std::string log_format = "text";       // text | json
};

// Registers every field with the loader under section [gateway].
void RegisterOptions(config::ConfigLoader& loader, GatewayOptions& o);

// Checks what the loader cannot: the listen address's shape, key lengths,
// CORS origins, and the "no keys means loopback only" rule. *warning gets a line main() logs at
// start when the gateway serves without keys.
[[nodiscard]] Status CheckOptions(const GatewayOptions& o, std::string* warning);

// True when the host of a "host:port" listen address is a loopback address.
bool IsLoopbackListen(const std::string& listen);

}  // namespace om::gateway
