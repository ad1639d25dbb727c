// Keeps openapi.yaml true: every (path, method, status) it documents must be
// produced by the real gateway in a scenario below, and every scenario's
// status must be documented. The gateway runs against a scripted broker (a
// ROUTER on a test thread) so that every broker answer, including the rare
// ones (internal error, garbage, silence), is reproducible.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "gateway/gateway_fixture.h"
#include "protocol/codec.h"

namespace om::gateway::testing {
namespace {

using namespace std::chrono_literals;
using Triple = std::tuple<std::string, std::string, int>;  // path template, method, status

constexpr const char* kKey = "openapi-test-key-0123456789";

std::string OpenApiText() {
  std::ifstream in(std::string(OM_GATEWAY_SOURCE_DIR) + "/openapi.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The documented triples, read from the layout openapi.yaml keeps: paths at
// two spaces ("  /orders:"), methods at four ("    get:"), "responses:" at
// six and quoted codes at eight ("        '202':").
std::set<Triple> Documented(const std::string& yaml) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  auto indent = [](const std::string& l) { return l.find_first_not_of(' '); };
  std::set<Triple> out;
  std::istringstream in(yaml);
  std::string line, path, method;
  bool in_paths = false, in_responses = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths || line.empty() || line.back() != ':') {
      if (in_paths && !line.empty() && line[0] != ' ') break;  // the next top-level key
      continue;
    }
    if (line[0] != ' ') break;
    const size_t at = indent(line);
    const std::string key = line.substr(at, line.size() - at - 1);
    if (at == 2 && key.rfind('/', 0) == 0) {
      path = key, method.clear(), in_responses = false;
    } else if (at == 4) {
      method = kMethods.count(key) ? key : "", in_responses = false;
    } else if (at == 6) {
      in_responses = key == "responses" && !method.empty();
    } else if (at == 8 && in_responses && key.size() == 5 && key.front() == '\'' && key.back() == '\'') {
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(toupper(c));
      out.emplace(path, upper, std::stoi(key.substr(1, 3)));
    }
  }
  return out;
}

// Answers by what the request says: Submit by customer_id ("ok", "dup",
// "err-<code name>", "garbage", "silent"); GetOrder by id ("missing", "err-internal",
// "garbage", "silent", else found); ListOrders by limit (13 internal, 14
// garbage, 15 silent); GetStats unless stats_silent.
class ScriptedBroker {
 public:
  ScriptedBroker() {
    router_.set(zmq::sockopt::linger, 0);
    router_.bind("tcp://127.0.0.1:*");
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] { Run(); });
  }
  ~ScriptedBroker() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return endpoint_; }
  std::atomic<bool> stats_silent{false};

 private:
  static std::optional<std::string> Answer(uint64_t id, const std::string& what) {
    static const std::map<std::string, proto::ErrorCode> kCodes = {
        {"err-bad_request", proto::ErrorCode::kBadRequest},
        {"err-backlog_full", proto::ErrorCode::kBacklogFull},
        {"err-idempotency_in_progress", proto::ErrorCode::kIdempotencyInProgress},
        {"err-idempotency_mismatch", proto::ErrorCode::kIdempotencyMismatch},
        {"err-internal", proto::ErrorCode::kInternal},
        {"err-storage", proto::ErrorCode::kStorage},
        {"err-draining", proto::ErrorCode::kDraining},
        {"missing", proto::ErrorCode::kNotFound}};
    if (what == "silent") return std::nullopt;
    if (what == "garbage") {
      // A readable header (so the reply finds its call) around a payload that is not one.
      msgpack::sbuffer buf;
      msgpack::packer<msgpack::sbuffer> pk(buf);
      pk.pack_array(4);
      pk.pack_uint32(proto::kProtocolVersion);
      pk.pack_uint8(static_cast<uint8_t>(proto::MsgType::kError));
      pk.pack_uint64(id);
      pk.pack(std::string("not a payload"));
      return std::string(buf.data(), buf.size());
    }
    if (auto it = kCodes.find(what); it != kCodes.end()) {
      return proto::Encode(id, proto::Error{it->second, "scripted " + what, 1000});
    }
    return "";
  }

  std::optional<std::string> Reply(uint64_t id, const proto::FrontRequest& req) {
    if (auto* s = std::get_if<proto::Submit>(&req)) {
      auto a = Answer(id, s->order.customer_id);
      if (a && a->empty()) return proto::Encode(id, proto::Accepted{"01a2-order", s->order.customer_id == "dup"});
      return a;
    }
    if (auto* g = std::get_if<proto::GetOrder>(&req)) {
      auto a = Answer(id, g->order_id);
      if (a && a->empty()) {
        proto::OrderRecord rec;
        rec.order_id = g->order_id;
        return proto::Encode(id, proto::Order{rec});
      }
      return a;
    }
    if (auto* l = std::get_if<proto::ListOrders>(&req)) {
      if (l->limit == 13) return Answer(id, "err-internal");
      if (l->limit == 14) return Answer(id, "garbage");
      if (l->limit == 15) return std::nullopt;
      return proto::Encode(id, proto::OrderList{});
    }
    if (std::holds_alternative<proto::GetStats>(req) && !stats_silent) {
      proto::StatsReply stats;
      stats.stats.orders_by_status = std::vector<uint64_t>(7, 0);
      return proto::Encode(id, stats);
    }
    return std::nullopt;
  }

  void Run() {
    while (!stop_) {
      zmq::pollitem_t item{router_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, 20ms);
      zmq::message_t from, body;
      while (router_.recv(from, zmq::recv_flags::dontwait)) {
        (void)router_.recv(body, zmq::recv_flags::none);
        auto env = proto::DecodeFrontRequest(body.to_string_view());
        if (!env.ok()) continue;
        auto reply = Reply(env->id, env->msg);
        if (!reply) continue;
        router_.send(from, zmq::send_flags::sndmore);
        router_.send(zmq::buffer(*reply), zmq::send_flags::none);
      }
    }
  }

  zmq::context_t ctx_{1};
  zmq::socket_t router_{ctx_, zmq::socket_type::router};
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string Order(const std::string& customer) {
  return R"({"customer_id":")" + customer + R"(","items":[{"product_id":"sku-1","quantity":1}]})";
}

TEST(OpenApi, EveryDocumentedRouteAndStatusIsWhatTheServerDoes) {
  ScriptedBroker broker;
  Gateway g(broker.endpoint(), {"--api-keys", kKey, "--cors-origins", "https://shop.example", "--request-timeout-ms",
                                "400", "--max-body-bytes", "1024"});
  const Headers key = {{"Authorization", std::string("Bearer ") + kKey}};
  const Headers preflight = {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "GET"}};
  const Headers evil = {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}};
  const Headers bad_method = {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "DELETE"}};
  const std::string big = Order(std::string(2000, 'x'));

  struct Scenario {
    Triple triple;
    std::function<HttpResult(HttpClient&)> run;
  };
  auto post = [&](std::string body, Headers h = {}) {
    return [&key, body, h](HttpClient& c) {
      Headers all = key;
      all.insert(all.end(), h.begin(), h.end());
      return c.Post("/orders", body, all);
    };
  };
  auto get = [&](std::string target, Headers h) { return [target, h](HttpClient& c) { return c.Get(target, h); }; };
  auto options = [](std::string target, Headers h) {
    return [target, h](HttpClient& c) { return c.Request("OPTIONS", target, h, ""); };
  };
  const std::vector<Scenario> scenarios = {
      {{"/orders", "POST", 202}, post(Order("ok"))},
      {{"/orders", "POST", 400}, post(Order(""))},
      {{"/orders", "POST", 401}, [&](HttpClient& c) { return c.Post("/orders", Order("ok")); }},
      {{"/orders", "POST", 409}, post(Order("err-idempotency_in_progress"), {{"Idempotency-Key", "k"}})},
      {{"/orders", "POST", 413}, post(big)},
      {{"/orders", "POST", 415}, post(Order("ok"), {{"Content-Type", "text/csv"}})},
      {{"/orders", "POST", 422}, post(Order("err-idempotency_mismatch"), {{"Idempotency-Key", "k"}})},
      {{"/orders", "POST", 429}, post(Order("err-backlog_full"))},
      {{"/orders", "POST", 500}, post(Order("err-internal"))},
      {{"/orders", "POST", 502}, post(Order("garbage"))},
      {{"/orders", "POST", 503}, post(Order("silent"))},
      {{"/orders", "GET", 200}, get("/orders?status=PENDING", key)},
      {{"/orders", "GET", 400}, get("/orders?status=LOST", key)},
      {{"/orders", "GET", 401}, get("/orders?status=PENDING", {})},
      {{"/orders", "GET", 500}, get("/orders?status=PENDING&limit=13", key)},
      {{"/orders", "GET", 502}, get("/orders?status=PENDING&limit=14", key)},
      {{"/orders", "GET", 503}, get("/orders?status=PENDING&limit=15", key)},
      {{"/orders", "OPTIONS", 204}, options("/orders", preflight)},
      {{"/orders", "OPTIONS", 403}, options("/orders", evil)},
      {{"/orders", "OPTIONS", 405}, options("/orders", bad_method)},
      {{"/orders/{id}", "GET", 200}, get("/orders/found", key)},
      {{"/orders/{id}", "GET", 401}, get("/orders/found", {})},
      {{"/orders/{id}", "GET", 404}, get("/orders/missing", key)},
      {{"/orders/{id}", "GET", 500}, get("/orders/err-internal", key)},
      {{"/orders/{id}", "GET", 502}, get("/orders/garbage", key)},
      {{"/orders/{id}", "GET", 503}, get("/orders/silent", key)},
      {{"/orders/{id}", "OPTIONS", 204}, options("/orders/x", {})},
      {{"/orders/{id}", "OPTIONS", 403}, options("/orders/x", evil)},
      {{"/orders/{id}", "OPTIONS", 405}, options("/orders/x", bad_method)},
      {{"/livez", "GET", 200}, get("/livez", {})},
      {{"/readyz", "GET", 200}, get("/readyz?verbose", {})},
      {{"/readyz", "GET", 503},
       [&](HttpClient& c) {
         broker.stats_silent = true;
         HttpResult r = c.Get("/readyz");
         broker.stats_silent = false;
         return r;
       }},
      {{"/metrics", "GET", 200}, get("/metrics", {})},
      {{"/openapi.yaml", "GET", 200}, get("/openapi.yaml", {})},
  };

  std::set<Triple> covered;
  for (const auto& s : scenarios) covered.insert(s.triple);
  const std::set<Triple> documented = Documented(OpenApiText());
  ASSERT_GT(documented.size(), 20u) << "the parser no longer reads openapi.yaml";
  for (const auto& [path, method, status] : documented) {
    EXPECT_TRUE(covered.count({path, method, status})) << "documented but untested: " << method << " " << path << " "
                                                       << status;
  }
  for (const auto& [path, method, status] : covered) {
    EXPECT_TRUE(documented.count({path, method, status}))
        << "the server answers but openapi.yaml does not say so: " << method << " " << path << " " << status;
  }

  HttpClient c(g.port());
  for (const auto& s : scenarios) {
    const auto& [path, method, status] = s.triple;
    HttpResult r = s.run(c);
    EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.error << r.body;
    if (status >= 400 && path != "/readyz") {  // /readyz answers 503 with its own JSON
      EXPECT_EQ(r.Header("content-type"), "application/problem+json") << method << " " << path << " " << status;
      EXPECT_EQ(r.Json()["status"], status) << r.body;
    }
  }
  EXPECT_TRUE(c.Get("/openapi.yaml").body == OpenApiText()) << "the served document is not gateway/openapi.yaml";
}

}  // namespace
}  // namespace om::gateway::testing
