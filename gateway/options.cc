#include "gateway/options.h"

#include <arpa/inet.h>

#include "config/config_loader.h"
#include "gateway/cors.h"

namespace om::gateway {

void RegisterOptions(config::ConfigLoader& l, GatewayOptions& o) {
  l.Add("listen", &o.listen, "host:port to serve HTTP on (no api_keys: loopback only)");
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's front ZeroMQ endpoint");
  l.Add("num_threads", &o.num_threads, "HTTP worker threads (>= keep-alive connections)", 2, 10'000);
  l.Add("request_timeout_ms", &o.request_timeout_ms, "deadline of one broker round trip (ms); then 503", 10, 600'000);
  l.Add("max_body_bytes", &o.max_body_bytes, "largest request body (bytes); larger is 413", 256, 64 << 20);
  l.Add("max_items", &o.max_items, "items per order", 1, 10'000);
  l.Add("max_quantity", &o.max_quantity, "largest quantity of one item", 1, 1'000'000'000);
  l.Add("max_id_length", &o.max_id_length, "longest customer_id / product_id (bytes)", 1, 256);
  l.Add("max_metadata_bytes", &o.max_metadata_bytes, "largest metadata object as compact JSON (bytes)", 2, 1 << 20);
  l.Add("api_keys", &o.api_keys, "accepted API keys (Authorization: Bearer or X-API-Key); never logged");
  l.Add("allow_anonymous", &o.allow_anonymous, "serve without api_keys on a non-loopback address");
  l.Add("cors_origins", &o.cors_origins, "browser origins allowed by CORS (exact, e.g. https://shop.example)");
  l.Add("keep_alive_timeout_ms", &o.keep_alive_timeout_ms, "idle keep-alive connections close after (ms)", 0, 600'000);
  l.Add("http_timeout_ms", &o.http_timeout_ms, "time to read a request or write a response (ms)", 100, 600'000);
  l.Add("drain_delay_ms", &o.drain_delay_ms, "on SIGTERM, /readyz is 503 this long before the listener closes (ms)",
        0, 600'000);
  l.Add("hwm", &o.hwm, "ZeroMQ high-water mark of the broker socket (messages)", 100, 10'000'000);
  l.Add("access_log", &o.access_log, "log one line per request (never headers or keys)");
  l.Add("log_level", &o.log_level, "trace|debug|info|warn|error|off", {"trace", "debug", "info", "warn", "error", "off"});
  l.Add("log_format", &o.log_format, "text or json (one object per line)", {"text", "json"});
}

namespace {

// Splits "host:port" / "[v6]:port" / "port"; host is "" for a bare port.
bool SplitListen(const std::string& listen, std::string* host, std::string* port) {
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') return false;
    *host = listen.substr(1, close - 1);
    *port = listen.substr(close + 2);
  } else if (size_t colon = listen.rfind(':'); colon != std::string::npos) {
    *host = listen.substr(0, colon);
    *port = listen.substr(colon + 1);
    if (host->find(':') != std::string::npos) return false;  // a bare IPv6 address needs brackets
  } else {
    host->clear();
    *port = listen;
  }
  if (port->empty() || port->size() > 5) return false;
  for (char c : *port) {
    if (c < '0' || c > '9') return false;
  }
  return std::stoi(*port) <= 65535;
}

}  // namespace

bool IsLoopbackListen(const std::string& listen) {
  std::string host, port;
  if (!SplitListen(listen, &host, &port)) return false;
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status CheckOptions(const GatewayOptions& o, std::string* warning) {
  std::string host, port;
  if (!SplitListen(o.listen, &host, &port)) {
    return Status::InvalidArgument("gateway.listen: '" + o.listen + "' is not host:port (e.g. 127.0.0.1:8080)");
  }
  for (const auto& key : o.api_keys) {
    if (key.size() < 16) {
      return Status::InvalidArgument("gateway.api_keys: every key must be at least 16 characters (one has " +
                                     std::to_string(key.size()) + ")");
    }
  }
  for (const auto& origin : o.cors_origins) {
    if (Status st = CheckOrigin(origin); !st.ok()) return st;
  }
  warning->clear();
  if (!o.api_keys.empty()) return Status::Ok();
  if (IsLoopbackListen(o.listen)) {
    *warning = "no api_keys configured: serving without authentication, on the loopback address " + o.listen +
               " only";
    return Status::Ok();
  }
  if (!o.allow_anonymous) {
    return Status::InvalidArgument("gateway.listen: refusing to serve " + o.listen +
                                   " without api_keys; configure gateway.api_keys, listen on a loopback "
                                   "address, or set gateway.allow_anonymous = true");
  }
  *warning = "no api_keys configured and allow_anonymous = true: anyone who reaches " + o.listen +
             " can submit and read orders";
  return Status::Ok();
}

}  // namespace om::gateway
