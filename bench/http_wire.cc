#include "bench/http_wire.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace om::bench {
namespace {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string OrderJson(const proto::OrderRequest& order) {
  std::string j;
  j.reserve(64 + order.items.size() * 64);
  j += "{\"customer_id\":";
  AppendJsonString(&j, order.customer_id);
  j += ",\"items\":[";
  for (size_t i = 0; i < order.items.size(); ++i) {
    const proto::OrderItem& it = order.items[i];
    if (i) j += ',';
    j += "{\"product_id\":";
    AppendJsonString(&j, it.product_id);
    j += ",\"quantity\":" + std::to_string(it.quantity);
    if (it.unit_price_cents) j += ",\"unit_price_cents\":" + std::to_string(*it.unit_price_cents);
    j += '}';
  }
  j += ']';
  if (!order.currency.empty()) {
    j += ",\"currency\":";
    AppendJsonString(&j, order.currency);
  }
  j += '}';
  return j;
}

std::string PostOrdersRequest(std::string_view host_port, const proto::OrderRequest& order) {
  const std::string body = OrderJson(order);
  std::string r;
  r.reserve(128 + body.size());
  r += "POST /orders HTTP/1.1\r\nHost: ";
  r += host_port;
  r += "\r\nContent-Type: application/json\r\nContent-Length: ";
  r += std::to_string(body.size());
  r += "\r\n\r\n";
  r += body;
  return r;
}

HttpResponseParser::State HttpResponseParser::Parse(std::string_view buf, HttpResponse* out, size_t* consumed) {
  const size_t head_end = buf.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return buf.size() > 64 * 1024 ? State::kBad : State::kNeedMore;
  std::string_view head = buf.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 202 Accepted"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ') return State::kBad;
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) return State::kBad;
    status = status * 10 + (status_line[i] - '0');
  }
  long long length = -1;
  bool close = status_line.substr(0, 8) == "HTTP/1.0";
  while (line_end != std::string_view::npos) {
    size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(start, line_end == std::string_view::npos ? line_end : line_end - start);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = Trim(line.substr(0, colon)), value = Trim(line.substr(colon + 1));
    if (IEquals(name, "Content-Length")) {
      length = 0;
      for (char c : value) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return State::kBad;
        length = length * 10 + (c - '0');
      }
    } else if (IEquals(name, "Transfer-Encoding")) {
      return State::kBad;  // the gateway never chunks; the bench does not decode it
    } else if (IEquals(name, "Connection")) {
      if (IEquals(value, "close")) close = true;
      if (IEquals(value, "keep-alive")) close = false;
    }
  }
  if (length < 0) return State::kBad;
  const size_t total = head_end + 4 + static_cast<size_t>(length);
  if (buf.size() < total) return State::kNeedMore;
  out->status = status;
  out->close = close;
  out->order_id = JsonStringField(buf.substr(head_end + 4, static_cast<size_t>(length)), "order_id");
  *consumed = total;
  return State::kDone;
}

std::string JsonStringField(std::string_view json, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\"";
  size_t at = json.find(needle);
  if (at == std::string_view::npos) return "";
  at += needle.size();
  while (at < json.size() && (json[at] == ' ' || json[at] == ':')) ++at;
  if (at >= json.size() || json[at] != '"') return "";
  size_t end = json.find('"', at + 1);
  if (end == std::string_view::npos) return "";
  return std::string(json.substr(at + 1, end - at - 1));
}

}  // namespace om::bench
