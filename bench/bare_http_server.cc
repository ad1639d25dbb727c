// ordermesh-bench-bare-http: the reference the gateway is measured against.
// A civetweb server configured like the gateway's (keep-alive, TCP_NODELAY,
// one worker per connection) whose only handler reads the request body and
// answers 202 with a gateway-shaped body and Location, doing no work: no
// parsing, no validation, no broker. `ordermesh-bench bare-http` starts it
// and loads it with the same HttpTarget that loads the gateway, so
// gateway / bare is what the gateway's own work costs.
//
//   ordermesh-bench-bare-http --listen 127.0.0.1:8090 --num-threads 64
//
// GET of any path answers 200 (the bench's readiness probe). Runs until
// SIGTERM or SIGINT, then stops civetweb (answering requests in progress).
#include <civetweb.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "common/signals.h"

namespace {

std::atomic<uint64_t> next_order{1};

int OnBeginRequest(mg_connection* conn) {
  const mg_request_info* ri = mg_get_request_info(conn);
  char buf[8192];
  while (mg_read(conn, buf, sizeof buf) > 0) {
  }
  if (ri->request_method && std::strcmp(ri->request_method, "POST") == 0) {
    // A UUID-shaped id, so the response is as long as the gateway's.
    char id[40];
    snprintf(id, sizeof id, "00000000-0000-7000-8000-%012llx",
             static_cast<unsigned long long>(next_order.fetch_add(1, std::memory_order_relaxed)));
    const std::string body = std::string("{\"order_id\":\"") + id + "\",\"status\":\"PENDING\"}";
    const std::string resp = "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nLocation: /orders/" +
                             std::string(id) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                             body;
    mg_write(conn, resp.data(), resp.size());
    return 202;
  }
  static const char kOk[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";
  mg_write(conn, kOk, sizeof kOk - 1);
  return 200;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:8090";
  int threads = 64;
  CLI::App app{"ordermesh-bench-bare-http: a civetweb server that answers every POST with 202 and does nothing else"};
  app.add_option("--listen", listen, "host:port to serve")->capture_default_str();
  app.add_option("--num-threads", threads, "civetweb worker threads (>= keep-alive connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000));
  CLI11_PARSE(app, argc, argv);
  om::InstallShutdownHandlers();

  mg_init_library(0);
  const std::string threads_text = std::to_string(threads);
  const std::string queue = std::to_string(std::max(threads, 128));
  const char* config[] = {"listening_ports",  listen.c_str(), "num_threads",  threads_text.c_str(),
                          "enable_keep_alive", "yes",         "keep_alive_timeout_ms", "60000",
                          "tcp_nodelay",      "1",            "connection_queue", queue.c_str(),
                          "listen_backlog",   "1024",         nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &OnBeginRequest;
  mg_context* ctx = mg_start(&callbacks, nullptr, config);
  if (!ctx) {
    fprintf(stderr, "ordermesh-bench-bare-http: cannot serve %s\n", listen.c_str());
    return 2;
  }
  fprintf(stderr, "ordermesh-bench-bare-http: serving %s with %d threads\n", listen.c_str(), threads);
  while (!om::ShutdownRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  mg_stop(ctx);
  mg_exit_library();
  return 0;
}
