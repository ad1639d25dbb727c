// Test helper: a tiny blocking HTTP/1.1 client over one TCP connection to a
// loopback port, keep-alive capable (it reconnects only when the server
// closed the connection). Enough HTTP for the gateway's tests: Content-Length
// and chunked bodies, raw bytes for malformed requests. One thread per client.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace om::gateway::testing {

struct HttpResult {
  int status = 0;                              // 0: no response (see error)
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined by ", "
  std::string body;
  std::string error;
  bool server_closed = false;  // the server closed the connection after this response

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Get(const std::string& target, const Headers& headers = {});
  HttpResult Post(const std::string& target, const std::string& body, const Headers& headers = {});
  // Any request; chunked sends the body with Transfer-Encoding: chunked.
  HttpResult Request(const std::string& method, const std::string& target, const Headers& headers,
                     const std::string& body, bool chunked = false);
  // Sends bytes as they are and reads one response.
  HttpResult Raw(const std::string& bytes);

  int connects() const { return connects_; }  // TCP connections opened so far

 private:
  bool Connect(std::string* error);
  void Close();
  bool ReadMore(std::chrono::steady_clock::time_point deadline, std::string* error);
  HttpResult ReadResponse(bool head);

  int port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  int connects_ = 0;
  std::string buf_;
};

}  // namespace om::gateway::testing
