#include "gateway/metrics.h"

namespace om::gateway {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

void Head(std::string* out, std::string_view name, std::string_view type, std::string_view help) {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += type;
  *out += '\n';
}

void Sample(std::string* out, std::string_view name, std::string_view labels, std::string_view value) {
  *out += name;
  if (!labels.empty()) {
    *out += '{';
    *out += labels;
    *out += '}';
  }
  *out += ' ';
  *out += value;
  *out += '\n';
}

void Sample(std::string* out, std::string_view name, std::string_view labels, uint64_t value) {
  Sample(out, name, labels, std::to_string(value));
}

// Seconds from microseconds, exact in decimal: 1500 -> "0.0015".
std::string Seconds(uint64_t micros) {
  std::string s = std::to_string(micros / 1'000'000);
  uint64_t frac = micros % 1'000'000;
  if (frac == 0) return s;
  std::string f = std::to_string(frac);
  f.insert(0, 6 - f.size(), '0');
  while (f.back() == '0') f.pop_back();
  return s + "." + f;
}

}  // namespace

Method ParseMethod(std::string_view m) {
  if (m == "GET") return Method::kGet;
  if (m == "POST") return Method::kPost;
  if (m == "OPTIONS") return Method::kOptions;
  if (m == "HEAD") return Method::kHead;
  return Method::kOther;
}

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kPost: return "POST";
    case Method::kOptions: return "OPTIONS";
    case Method::kHead: return "HEAD";
    case Method::kOther: return "other";
  }
  return "other";
}

std::string_view BrokerOpName(BrokerOp op) {
  switch (op) {
    case BrokerOp::kSubmit: return "submit";
    case BrokerOp::kGetOrder: return "get_order";
    case BrokerOp::kListOrders: return "list_orders";
    case BrokerOp::kStats: return "stats";
  }
  return "other";
}

std::string EscapeLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Histogram::Observe(int64_t micros) {
  if (micros < 0) micros = 0;
  size_t i = 0;
  while (i < kBoundsMicros.size() && micros > kBoundsMicros[i]) ++i;
  buckets_[i].fetch_add(1, kRelaxed);
  count_.fetch_add(1, kRelaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(micros), kRelaxed);
}

void Histogram::Render(std::string_view name, std::string_view labels, std::string* out) const {
  std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  std::string bucket = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBoundsMicros.size(); ++i) {
    cumulative += buckets_[i].load(kRelaxed);
    Sample(out, bucket, prefix + "le=\"" + Seconds(static_cast<uint64_t>(kBoundsMicros[i])) + "\"", cumulative);
  }
  cumulative += buckets_.back().load(kRelaxed);
  Sample(out, bucket, prefix + "le=\"+Inf\"", cumulative);
  Sample(out, std::string(name) + "_sum", labels, Seconds(sum_micros_.load(kRelaxed)));
  // _count equals the +Inf bucket by definition; use the same reading.
  Sample(out, std::string(name) + "_count", labels, cumulative);
}

void Metrics::RequestFinished(Route route, Method method, int status, int64_t micros) {
  in_flight_.fetch_sub(1, kRelaxed);
  if (status < 0 || status >= kMaxStatus) status = 0;
  auto r = static_cast<size_t>(route), m = static_cast<size_t>(method);
  requests_[r][m][static_cast<size_t>(status)].fetch_add(1, kRelaxed);
  durations_[r][m].Observe(micros);
}

void Metrics::BrokerRoundTrip(BrokerOp op, int64_t micros) { round_trips_[static_cast<size_t>(op)].Observe(micros); }

void Metrics::BrokerFailed(BrokerOp op, BrokerFailure why) {
  failures_[static_cast<size_t>(op)][static_cast<size_t>(why)].fetch_add(1, kRelaxed);
}

uint64_t Metrics::requests(Route route, Method method, int status) const {
  return requests_[static_cast<size_t>(route)][static_cast<size_t>(method)][static_cast<size_t>(status)].load(kRelaxed);
}

std::string Metrics::Render(const std::optional<proto::Stats>& broker) const {
  std::string out;
  out.reserve(16 * 1024);
  auto labels = [](size_t r, size_t m) {
    return "method=\"" + std::string(MethodName(static_cast<Method>(m))) + "\",route=\"" +
           std::string(RouteName(static_cast<Route>(r))) + "\"";
  };

  const char* kRequests = "ordermesh_gateway_http_requests_total";
  Head(&out, kRequests, "counter", "HTTP requests answered, by method, route and status code.");
  for (size_t r = 0; r < kNumRoutes; ++r) {
    for (size_t m = 0; m < kNumMethods; ++m) {
      for (size_t s = 0; s < kMaxStatus; ++s) {
        uint64_t n = requests_[r][m][s].load(kRelaxed);
        if (n) Sample(&out, kRequests, labels(r, m) + ",code=\"" + std::to_string(s) + "\"", n);
      }
    }
  }

  const char* kDuration = "ordermesh_gateway_http_request_duration_seconds";
  Head(&out, kDuration, "histogram", "Time from a request's headers to its response written, by method and route.");
  for (size_t r = 0; r < kNumRoutes; ++r) {
    for (size_t m = 0; m < kNumMethods; ++m) {
      if (durations_[r][m].count()) durations_[r][m].Render(kDuration, labels(r, m), &out);
    }
  }

  Head(&out, "ordermesh_gateway_http_requests_in_flight", "gauge", "HTTP requests being answered now.");
  Sample(&out, "ordermesh_gateway_http_requests_in_flight", "", std::to_string(in_flight_.load(kRelaxed)));

  const char* kRoundTrip = "ordermesh_gateway_broker_round_trip_seconds";
  Head(&out, kRoundTrip, "histogram",
       "Time from handing a request to the broker link to having its reply, by operation.");
  for (size_t op = 0; op < kNumBrokerOps; ++op) {
    std::string l = "op=\"" + std::string(BrokerOpName(static_cast<BrokerOp>(op))) + "\"";
    round_trips_[op].Render(kRoundTrip, l, &out);
  }

  const char* kFailures = "ordermesh_gateway_broker_failures_total";
  static constexpr const char* kWhy[] = {"timeout", "unavailable", "bad_reply"};
  Head(&out, kFailures, "counter", "Broker requests without a usable reply, by operation and reason.");
  for (size_t op = 0; op < kNumBrokerOps; ++op) {
    for (size_t w = 0; w < kNumBrokerFailures; ++w) {
      Sample(&out, kFailures,
             "op=\"" + std::string(BrokerOpName(static_cast<BrokerOp>(op))) + "\",reason=\"" + kWhy[w] + "\"",
             failures_[op][w].load(kRelaxed));
    }
  }

  RenderBrokerStats(broker, &out);
  return out;
}

void RenderBrokerStats(const std::optional<proto::Stats>& stats, std::string* out) {
  Head(out, "ordermesh_broker_up", "gauge", "1 when the broker answered this scrape's stats request.");
  Sample(out, "ordermesh_broker_up", "", stats ? "1" : "0");
  if (!stats) return;
  const proto::Stats& s = *stats;

  Head(out, "ordermesh_broker_orders", "gauge", "Orders stored by the broker, by current status.");
  for (int st = 1; st < proto::kNumStatuses; ++st) {
    uint64_t n = static_cast<size_t>(st) < s.orders_by_status.size() ? s.orders_by_status[st] : 0;
    Sample(out, "ordermesh_broker_orders",
           "status=\"" + std::string(proto::StatusName(static_cast<proto::OrderStatus>(st))) + "\"", n);
  }
  struct Row {
    const char* name;
    const char* type;
    const char* help;
    uint64_t value;
  };
  const Row rows[] = {
      {"ordermesh_broker_accepted_total", "counter", "Orders accepted since the broker started.", s.accepted_total},
      {"ordermesh_broker_retries_total", "counter", "Deliveries retried since the broker started.", s.retries_total},
      {"ordermesh_broker_rejected_total", "counter", "Submits refused (backlog full, draining, invalid).",
       s.rejected_total},
      {"ordermesh_broker_late_results_total", "counter", "Node results for deliveries no longer current.",
       s.late_results_total},
      {"ordermesh_broker_bad_frames_total", "counter", "Frames the broker could not decode.", s.bad_frames_total},
      {"ordermesh_broker_backlog", "gauge", "Orders waiting to be delivered (PENDING + RETRYING).", s.backlog},
      {"ordermesh_broker_max_backlog", "gauge", "Non-terminal orders held before submits are refused.",
       s.max_backlog},
      {"ordermesh_broker_in_flight", "gauge", "Orders delivered to a node and not yet answered.", s.in_flight},
      {"ordermesh_broker_nodes", "gauge", "Processor nodes connected to the broker.", s.nodes.size()},
      {"ordermesh_broker_last_event_seq", "gauge", "Sequence number of the newest event.", s.last_event_seq},
  };
  for (const auto& row : rows) {
    Head(out, row.name, row.type, row.help);
    Sample(out, row.name, "", row.value);
  }
  uint64_t credit = 0;
  for (const auto& n : s.nodes) credit += n.credit;
  Head(out, "ordermesh_broker_node_credit", "gauge", "Orders the connected nodes accept at once, summed.");
  Sample(out, "ordermesh_broker_node_credit", "", credit);
}

}  // namespace om::gateway
