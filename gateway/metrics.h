// The gateway's Prometheus metrics and their text rendering (exposition
// format 0.0.4). Recording is lock-free (relaxed atomics, fixed arrays), so
// every civetweb worker records without contention; Render() reads a
// consistent-enough snapshot (each number is exact, the set is not one
// instant). The broker's counts come from its S:STATS reply at scrape time.
//
//   ordermesh_gateway_http_requests_total{method,route,code}     counter
//   ordermesh_gateway_http_request_duration_seconds{method,route} histogram
//   ordermesh_gateway_http_requests_in_flight                     gauge
//   ordermesh_gateway_broker_round_trip_seconds{op}               histogram
//   ordermesh_gateway_broker_failures_total{op,reason}            counter
//   ordermesh_broker_up, ordermesh_broker_* (see RenderBrokerStats)
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/http_types.h"
#include "protocol/types.h"

namespace om::gateway {

enum class Method : uint8_t { kGet, kPost, kOptions, kHead, kOther };
inline constexpr int kNumMethods = 5;
Method ParseMethod(std::string_view m);
std::string_view MethodName(Method m);

enum class BrokerOp : uint8_t { kSubmit, kGetOrder, kListOrders, kStats };
inline constexpr int kNumBrokerOps = 4;
std::string_view BrokerOpName(BrokerOp op);

enum class BrokerFailure : uint8_t { kTimeout, kUnavailable, kBadReply };
inline constexpr int kNumBrokerFailures = 3;

// A histogram over fixed bounds (seconds): 100 us .. 10 s.
class Histogram {
 public:
  static constexpr std::array<int64_t, 16> kBoundsMicros = {100,    250,    500,     1000,    2500,    5000,
                                                            10000,  25000,  50000,   100000,  250000,  500000,
                                                            1000000, 2500000, 5000000, 10000000};
  void Observe(int64_t micros);
  // Appends _bucket / _sum / _count lines; labels is "" or `a="b",c="d"`.
  void Render(std::string_view name, std::string_view labels, std::string* out) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<uint64_t>, kBoundsMicros.size() + 1> buckets_{};  // last: above every bound
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished(Route route, Method method, int status, int64_t micros);
  void BrokerRoundTrip(BrokerOp op, int64_t micros);
  void BrokerFailed(BrokerOp op, BrokerFailure why);

  // The gateway's own metrics, then the broker's (or ordermesh_broker_up 0).
  std::string Render(const std::optional<proto::Stats>& broker) const;

  uint64_t requests(Route route, Method method, int status) const;

 private:
  static constexpr int kMaxStatus = 600;
  std::array<std::array<std::array<std::atomic<uint64_t>, kMaxStatus>, kNumMethods>, kNumRoutes> requests_{};
  std::array<std::array<Histogram, kNumMethods>, kNumRoutes> durations_{};
  std::array<Histogram, kNumBrokerOps> round_trips_{};
  std::array<std::array<std::atomic<uint64_t>, kNumBrokerFailures>, kNumBrokerOps> failures_{};
  std::atomic<int64_t> in_flight_{0};
};

// Appends the broker's counts from its stats reply:
//   ordermesh_broker_up 1, ordermesh_broker_orders{status} (processed,
//   failed, dead-lettered, ... as now stored), ordermesh_broker_accepted_total,
//   ordermesh_broker_retries_total, ordermesh_broker_rejected_total,
//   ordermesh_broker_late_results_total, ordermesh_broker_bad_frames_total,
//   ordermesh_broker_backlog, ordermesh_broker_max_backlog,
//   ordermesh_broker_in_flight, ordermesh_broker_nodes,
//   ordermesh_broker_node_credit, ordermesh_broker_last_event_seq.
void RenderBrokerStats(const std::optional<proto::Stats>& stats, std::string* out);

// Escapes a label value (backslash, double quote, newline).
std::string EscapeLabel(std::string_view v);

}  // namespace om::gateway
