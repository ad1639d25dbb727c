// GatewayServer: the civetweb adapter, and nothing else. civetweb's worker
// threads call OnBeginRequest for every request; it copies the request into
// an HttpRequest (pointers into civetweb's buffers), calls HttpApi::Handle,
// and writes the HttpResponse with one mg_write (status line, headers and
// body together). civetweb's own error pages (malformed request line,
// oversized headers) are replaced by problem+json too.
//
// civetweb configuration that matters: one worker thread per keep-alive
// connection (num_threads must cover the connections), keep-alive on,
// TCP_NODELAY, no document root, and its built-in CORS (`*`) switched off:
// CORS is HttpApi's allow-list.
//
// Start() and Stop() from the main thread only. Stop() closes the listener
// and returns once every request in progress has been answered.
#pragma once

#include <string>

#include "common/status.h"
#include "gateway/http_api.h"
#include "gateway/metrics.h"
#include "gateway/options.h"

struct mg_context;
struct mg_connection;

namespace om::gateway {

class GatewayServer {
 public:
  // api and metrics must outlive the server.
  GatewayServer(const GatewayOptions& options, HttpApi* api, Metrics* metrics);
  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // Binds and starts the workers. Errors name the address (in use, bad).
  [[nodiscard]] Status Start();
  void Stop();

  // The port actually bound (after Start), for logs.
  int port() const { return port_; }

 private:
  static int OnBeginRequest(mg_connection* conn);
  static int OnHttpError(mg_connection* conn, int status, const char* message);
  static int OnLogMessage(const mg_connection* conn, const char* message);
  int Serve(mg_connection* conn);

  const GatewayOptions& options_;
  HttpApi* const api_;
  Metrics* const metrics_;
  mg_context* ctx_ = nullptr;
  int port_ = 0;
};

}  // namespace om::gateway
