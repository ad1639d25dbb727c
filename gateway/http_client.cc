#include "gateway/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace om::gateway::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

HttpClient::HttpClient(int port, std::chrono::milliseconds timeout) : port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buf_.clear();
}

bool HttpClient::Connect(std::string* error) {
  Close();
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = std::string("connect: ") + strerror(errno);
    Close();
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ++connects_;
  return true;
}

bool HttpClient::ReadMore(std::chrono::steady_clock::time_point deadline, std::string* error) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    *error = "timed out";
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  int rc = poll(&p, 1, static_cast<int>(left.count()));
  if (rc <= 0) {
    *error = rc == 0 ? "timed out" : "poll failed";
    return false;
  }
  char chunk[16384];
  ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    *error = n == 0 ? "connection closed" : std::string("recv: ") + strerror(errno);
    return false;
  }
  buf_.append(chunk, static_cast<size_t>(n));
  return true;
}

HttpResult HttpClient::ReadResponse(bool head) {
  HttpResult r;
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(deadline, &r.error)) {
      Close();
      return r;
    }
  }
  std::string head_text = buf_.substr(0, end);
  buf_.erase(0, end + 4);
  size_t line_end = head_text.find("\r\n");
  std::string status_line = head_text.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    r.error = "bad status line: " + status_line;
    Close();
    return r;
  }
  r.status = std::stoi(status_line.substr(9, 3));
  size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
  while (pos < head_text.size()) {
    size_t eol = head_text.find("\r\n", pos);
    if (eol == std::string::npos) eol = head_text.size();
    std::string line = head_text.substr(pos, eol - pos);
    pos = eol + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = Lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    auto& slot = r.headers[name];
    slot = slot.empty() ? value : slot + ", " + value;
  }
  auto fail = [&] {  // the connection is in an unknown state: drop it
    Close();
    return r;
  };
  bool chunked = Lower(r.Header("transfer-encoding")).find("chunked") != std::string::npos;
  std::string length = r.Header("content-length");
  if (head || r.status == 204 || r.status == 304 || r.status / 100 == 1) {
    // no body
  } else if (chunked) {
    while (true) {
      size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (!ReadMore(deadline, &r.error)) return fail();
      }
      size_t size = std::stoul(buf_.substr(0, eol), nullptr, 16);
      while (buf_.size() < eol + 2 + size + 2) {
        if (!ReadMore(deadline, &r.error)) return fail();
      }
      r.body += buf_.substr(eol + 2, size);
      buf_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
  } else if (!length.empty()) {
    size_t n = std::stoul(length);
    while (buf_.size() < n) {
      if (!ReadMore(deadline, &r.error)) return fail();
    }
    r.body = buf_.substr(0, n);
    buf_.erase(0, n);
  } else {
    std::string ignored;
    while (ReadMore(deadline, &ignored)) {
    }
    r.body = std::move(buf_);
    r.server_closed = true;
    Close();
    return r;
  }
  if (Lower(r.Header("connection")).find("close") != std::string::npos) {
    r.server_closed = true;
    Close();
  }
  return r;
}

HttpResult HttpClient::Raw(const std::string& bytes) {
  HttpResult r;
  if (fd_ < 0 && !Connect(&r.error)) return r;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += static_cast<size_t>(n);
  }
  size_t space = bytes.find(' ');
  return ReadResponse(space != std::string::npos && bytes.compare(0, space, "HEAD") == 0);
}

HttpResult HttpClient::Request(const std::string& method, const std::string& target, const Headers& headers,
                               const std::string& body, bool chunked) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
  if (chunked) {
    req += "Transfer-Encoding: chunked\r\n\r\n";
    char size[32];
    snprintf(size, sizeof size, "%zx\r\n", body.size());
    if (!body.empty()) req += size + body + "\r\n";
    req += "0\r\n\r\n";
  } else {
    if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
  }
  // A keep-alive connection the server closed while idle: reconnect once.
  if (fd_ >= 0) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 0) > 0 && buf_.empty()) {
      char c;
      if (recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) Close();
    }
  }
  return Raw(req);
}

HttpResult HttpClient::Get(const std::string& target, const Headers& headers) {
  return Request("GET", target, headers, "");
}

HttpResult HttpClient::Post(const std::string& target, const std::string& body, const Headers& headers) {
  Headers h = headers;
  bool has_type = false;
  for (const auto& [n, v] : h) has_type |= Lower(n) == "content-type";
  if (!has_type) h.emplace_back("Content-Type", "application/json");
  return Request("POST", target, h, body);
}

}  // namespace om::gateway::testing
