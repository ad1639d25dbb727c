#include "common/http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace om::http {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

bool ParseHttpUrl(const std::string& url, HttpUrl* out, std::string* problem) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    *problem = url.rfind("https://", 0) == 0 ? "https is not supported (no TLS); use http://" : "must start with http://";
    return false;
  }
  const size_t slash = url.find_first_of("/?", scheme.size());
  std::string authority = url.substr(scheme.size(), slash == std::string::npos ? std::string::npos : slash - scheme.size());
  out->target = slash == std::string::npos ? "/" : url.substr(slash);
  if (out->target[0] == '?') out->target = "/" + out->target;
  if (authority.empty() || authority.find('@') != std::string::npos) {
    *problem = "needs a host (and no user:password@)";
    return false;
  }
  std::string port;
  if (authority[0] == '[') {  // [::1]:8080
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      *problem = "has an unclosed [";
      return false;
    }
    out->host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        *problem = "has junk after ]";
        return false;
      }
      port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.find(':');
    out->host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  out->port = 80;
  if (!port.empty() || authority.back() == ':') {
    int p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || ptr != port.data() + port.size() || p < 1 || p > 65535) {
      *problem = "has a bad port '" + port + "'";
      return false;
    }
    out->port = p;
  }
  if (out->host.empty()) {
    *problem = "needs a host";
    return false;
  }
  return true;
}

HttpClient::HttpClient(int port, std::chrono::milliseconds timeout) : HttpClient("127.0.0.1", port, timeout) {}

HttpClient::HttpClient(std::string host, int port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buf_.clear();
}

bool HttpClient::Connect(HttpResult* r) {
  Close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(port_);
  if (int rc = getaddrinfo(host_.c_str(), port.c_str(), &hints, &found); rc != 0) {
    r->error = "resolve " + host_ + ": " + gai_strerror(rc);
    return false;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addrs(found, freeaddrinfo);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  r->error = "no address for " + host_;
  for (addrinfo* a = addrs.get(); a != nullptr; a = a->ai_next) {
    fd_ = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd_ < 0) continue;
    // Non-blocking connect, so that an unreachable host costs at most the timeout.
    int rc = connect(fd_, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLOUT, 0};
      rc = poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
      if (rc == 0) {
        r->error = "connect: timed out";
        r->timed_out = true;
        Close();
        return false;
      }
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
      errno = err;
      rc = err == 0 ? 0 : -1;
    }
    if (rc == 0) break;
    r->error = std::string("connect: ") + strerror(errno);
    Close();
  }
  if (fd_ < 0) return false;
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  timeval send_timeout{static_cast<time_t>(timeout_.count() / 1000),
                       static_cast<suseconds_t>(timeout_.count() % 1000 * 1000)};
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  r->error.clear();
  ++connects_;
  return true;
}

bool HttpClient::ReadMore(std::chrono::steady_clock::time_point deadline, HttpResult* r) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    r->error = "timed out";
    r->timed_out = true;
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  int rc = poll(&p, 1, static_cast<int>(left.count()));
  if (rc <= 0) {
    r->error = rc == 0 ? "timed out" : "poll failed";
    r->timed_out = rc == 0;
    return false;
  }
  char chunk[16384];
  ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    r->error = n == 0 ? "connection closed" : std::string("recv: ") + strerror(errno);
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
    if (!ReadMore(deadline, &r)) {
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
        if (!ReadMore(deadline, &r)) return fail();
      }
      size_t size = std::stoul(buf_.substr(0, eol), nullptr, 16);
      while (buf_.size() < eol + 2 + size + 2) {
        if (!ReadMore(deadline, &r)) return fail();
      }
      r.body += buf_.substr(eol + 2, size);
      buf_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
  } else if (!length.empty()) {
    size_t n = std::stoul(length);
    while (buf_.size() < n) {
      if (!ReadMore(deadline, &r)) return fail();
    }
    r.body = buf_.substr(0, n);
    buf_.erase(0, n);
  } else {
    HttpResult ignored;
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
  if (fd_ < 0 && !Connect(&r)) return r;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything (or SO_SNDTIMEO)
    sent += static_cast<size_t>(n);
  }
  size_t space = bytes.find(' ');
  try {
    return ReadResponse(space != std::string::npos && bytes.compare(0, space, "HEAD") == 0);
  } catch (const std::exception& e) {  // a status code or chunk size that is not a number
    Close();
    r.error = std::string("malformed response: ") + e.what();
    return r;
  }
}

HttpResult HttpClient::Request(const std::string& method, const std::string& target, const Headers& headers,
                               const std::string& body, bool chunked) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: " + host_ + ":" + std::to_string(port_) + "\r\n";
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

}  // namespace om::http
