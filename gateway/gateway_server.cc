#include "gateway/gateway_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <mutex>

#include "gateway/problem.h"

namespace om::gateway {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// IMF-fixdate of now, formatted once per second per thread.
std::string_view HttpDate() {
  thread_local time_t cached_sec = 0;
  thread_local char buf[40];
  time_t now = time(nullptr);
  if (now != cached_sec) {
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_sec = now;
  }
  return buf;
}

// Reads the request body through civetweb (which undoes chunking and sends
// 100 Continue when the client asked for it).
class CivetBody final : public BodySource {
 public:
  CivetBody(mg_connection* conn, int64_t content_length) : conn_(conn), length_(content_length) {}

  Outcome Read(size_t max_bytes, std::string* out) override {
    out->clear();
    if (length_ >= 0) {
      if (static_cast<uint64_t>(length_) > max_bytes) return Outcome::kTooLarge;
      out->resize(static_cast<size_t>(length_));
      size_t got = 0;
      while (got < out->size()) {
        int n = mg_read(conn_, out->data() + got, out->size() - got);
        if (n <= 0) return Outcome::kError;
        got += static_cast<size_t>(n);
      }
      return Outcome::kOk;
    }
    char buf[8192];
    while (true) {
      int n = mg_read(conn_, buf, sizeof buf);
      if (n < 0) return Outcome::kError;
      if (n == 0) return Outcome::kOk;
      if (out->size() + static_cast<size_t>(n) > max_bytes) return Outcome::kTooLarge;
      out->append(buf, static_cast<size_t>(n));
    }
  }

 private:
  mg_connection* conn_;
  int64_t length_;
};

bool HasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view t = list.substr(0, comma);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (EqualsIgnoreCase(t, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// civetweb's own rule (should_keep_alive), which decides whether it reads
// another request from this connection: the response must say the same.
bool ClientKeepsAlive(const mg_connection* conn, const mg_request_info* ri) {
  const char* header = mg_get_header(conn, "Connection");
  if (header) return HasToken(header, "keep-alive");
  return ri->http_version && std::string_view(ri->http_version) == "1.1";
}

void WriteAll(mg_connection* conn, const std::string& bytes) {
  // mg_write loops until everything is sent or the client is gone.
  (void)mg_write(conn, bytes.data(), bytes.size());
}

}  // namespace

GatewayServer::GatewayServer(const GatewayOptions& options, HttpApi* api, Metrics* metrics)
    : options_(options), api_(api), metrics_(metrics) {}

GatewayServer::~GatewayServer() { Stop(); }

Status GatewayServer::Start() {
  static std::once_flag library_once;
  std::call_once(library_once, [] { mg_init_library(0); });
  const std::string threads = std::to_string(options_.num_threads);
  const std::string keep_alive_ms = std::to_string(options_.keep_alive_timeout_ms);
  const std::string http_timeout_ms = std::to_string(options_.http_timeout_ms);
  const std::string queue = std::to_string(std::max(options_.num_threads, 128));
  const char* config[] = {
      "listening_ports", options_.listen.c_str(),
      "num_threads", threads.c_str(),
      "enable_keep_alive", "yes",
      "keep_alive_timeout_ms", keep_alive_ms.c_str(),
      "request_timeout_ms", http_timeout_ms.c_str(),
      "tcp_nodelay", "1",
      "connection_queue", queue.c_str(),
      "listen_backlog", "1024",
      "enable_directory_listing", "no",
      "enable_auth_domain_check", "no",
      // civetweb answers CORS with `*` by default: off. HttpApi does CORS.
      "access_control_allow_origin", "",
      "access_control_allow_methods", "",
      "access_control_allow_headers", "",
      nullptr,
  };
  mg_callbacks callbacks{};
  callbacks.begin_request = &GatewayServer::OnBeginRequest;
  callbacks.http_error = &GatewayServer::OnHttpError;
  callbacks.log_message = &GatewayServer::OnLogMessage;
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  mg_init_data init{&callbacks, this, config};
  ctx_ = mg_start2(&init, &error);
  if (!ctx_) {
    return Status::Unavailable("cannot serve HTTP on " + options_.listen + ": " +
                               (error_text[0] ? error_text : "civetweb failed to start"));
  }
  mg_server_port ports[4] = {};
  int n = mg_get_server_ports(ctx_, 4, ports);
  port_ = n > 0 ? ports[0].port : 0;
  return Status::Ok();
}

void GatewayServer::Stop() {
  if (ctx_) {
    mg_stop(ctx_);  // joins every worker: requests in progress finish first
    ctx_ = nullptr;
  }
}

int GatewayServer::OnBeginRequest(mg_connection* conn) {
  auto* self = static_cast<GatewayServer*>(mg_get_user_data(mg_get_context(conn)));
  return self->Serve(conn);
}

int GatewayServer::Serve(mg_connection* conn) {
  const int64_t t0 = NowMicros();
  metrics_->RequestStarted();
  const mg_request_info* ri = mg_get_request_info(conn);
  thread_local std::vector<Header> headers;  // capacity reused by this worker
  headers.clear();
  HttpRequest req;
  req.headers.swap(headers);
  req.method = ri->request_method ? ri->request_method : "";
  // HEAD is GET without the body (RFC 9110 9.3.2); the metrics still say HEAD.
  const bool head = req.method == "HEAD";
  const Method method = ParseMethod(req.method);
  if (head) req.method = "GET";
  req.path = ri->local_uri ? ri->local_uri : (ri->request_uri ? ri->request_uri : "");
  req.query = ri->query_string ? ri->query_string : "";
  for (int i = 0; i < ri->num_headers; ++i) {
    req.headers.push_back({ri->http_headers[i].name, ri->http_headers[i].value});
  }
  req.content_length = ri->content_length;
  CivetBody body(conn, ri->content_length);
  req.body = &body;

  HttpResponse resp = api_->Handle(req);
  req.headers.swap(headers);
  const bool keep_alive = !resp.close && ClientKeepsAlive(conn, ri);
  if (!keep_alive) mg_disable_connection_keep_alive(conn);
  thread_local std::string bytes;  // a worker's buffer, reused request after request
  SerializeResponse(resp, keep_alive, HttpDate(), &bytes, head);
  WriteAll(conn, bytes);

  const int64_t took = NowMicros() - t0;
  metrics_->RequestFinished(resp.route, method, resp.status, took);
  if (options_.access_log) {
    // Never the headers: they carry API keys.
    spdlog::info("{} {} {} {:.3f} ms{}{}{}{}", ri->request_method ? ri->request_method : "", req.path, resp.status, static_cast<double>(took) / 1000.0,
                 resp.order_id.empty() ? "" : " order ", resp.order_id, resp.trace_id.empty() ? "" : " trace ",
                 resp.trace_id);
  }
  return resp.status;
}

int GatewayServer::OnHttpError(mg_connection* conn, int status, const char* message) {
  auto* self = static_cast<GatewayServer*>(mg_get_user_data(mg_get_context(conn)));
  self->metrics_->RequestStarted();
  Problem p;
  p.status = status;
  p.detail = message ? message : "";
  HttpResponse resp = MakeProblem(p);
  mg_disable_connection_keep_alive(conn);
  std::string bytes;
  SerializeResponse(resp, false, HttpDate(), &bytes);
  WriteAll(conn, bytes);
  self->metrics_->RequestFinished(Route::kOther, Method::kOther, status, 0);
  return 0;  // handled: civetweb writes nothing more
}

int GatewayServer::OnLogMessage(const mg_connection*, const char* message) {
  spdlog::warn("civetweb: {}", message ? message : "");
  return 1;  // logged here; civetweb writes nothing
}

}  // namespace om::gateway
