// HttpClient: a small blocking HTTP/1.1 client over one TCP connection,
// keep-alive capable (it reconnects only when the server closed the
// connection, or after a failed exchange left it in an unknown state).
// Enough HTTP for the gateway's tests and the notifier's webhook sink:
// Content-Length and chunked bodies, raw bytes for malformed requests. No TLS.
//
// `timeout` bounds each phase of one exchange: the connect, the send (as
// SO_SNDTIMEO) and the whole response; a response that does not arrive in
// time is an HttpResult with status 0, timed_out set and the connection
// closed. A malformed response is status 0 with the problem in error. Host
// names are resolved with getaddrinfo (IPv4 or IPv6).
//
// Thread-safety: none; one thread per client.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace om::http {

struct HttpResult {
  int status = 0;                              // 0: no response (see error)
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined by ", "
  std::string body;
  std::string error;
  bool timed_out = false;      // status 0 because the connect, send or response took longer than the timeout
  bool server_closed = false;  // the server closed the connection after this response

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// The parts of an http:// URL that HttpClient needs.
struct HttpUrl {
  std::string host;            // name, IPv4, or IPv6 without the brackets
  int port = 80;
  std::string target = "/";    // path and query
};
// Accepts http://host[:port][/path[?query]]; false for anything else
// (https, userinfo, a bad port), with *problem saying what is wrong.
bool ParseHttpUrl(const std::string& url, HttpUrl* out, std::string* problem);

class HttpClient {
 public:
  // A server on 127.0.0.1:port.
  explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  HttpClient(std::string host, int port, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Get(const std::string& target, const Headers& headers = {});
  // Content-Type defaults to application/json.
  HttpResult Post(const std::string& target, const std::string& body, const Headers& headers = {});
  // Any request; chunked sends the body with Transfer-Encoding: chunked.
  HttpResult Request(const std::string& method, const std::string& target, const Headers& headers,
                     const std::string& body, bool chunked = false);
  // Sends bytes as they are and reads one response.
  HttpResult Raw(const std::string& bytes);

  int connects() const { return connects_; }  // TCP connections opened so far

 private:
  bool Connect(HttpResult* r);
  void Close();
  // Appends what arrives before deadline to buf_; false (and r->error) on timeout, close or error.
  bool ReadMore(std::chrono::steady_clock::time_point deadline, HttpResult* r);
  HttpResult ReadResponse(bool head);

  std::string host_;
  int port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  int connects_ = 0;
  std::string buf_;
};

}  // namespace om::http
