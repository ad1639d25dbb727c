#include "bench/report.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "protocol/types.h"

#ifndef ORDERMESH_VERSION
#define ORDERMESH_VERSION "dev"
#endif

namespace om::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr double kSummaryPercentiles[] = {50, 90, 99, 99.9, 99.99};
constexpr double kSpectrum[] = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

std::string Thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string Rate(double per_s) { return Thousands(static_cast<uint64_t>(per_s + 0.5)); }

std::string PercentileLabel(double p) {
  char buf[16];
  snprintf(buf, sizeof buf, "p%g", p);
  return buf;
}

// "backlog_full 3, timeout 1" or "none".
std::string ErrorsByKind(const Counters& c, const Counters* since = nullptr) {
  std::string s;
  auto add = [&](const std::string& name, uint64_t n) {
    if (n == 0) return;
    if (!s.empty()) s += ", ";
    s += name + " " + Thousands(n);
  };
  for (size_t i = 0; i < c.errors.size(); ++i) add(ErrorName(i), c.errors[i] - (since ? since->errors[i] : 0));
  add("timeout", c.timeouts - (since ? since->timeouts : 0));
  add("bad_reply", c.bad_replies - (since ? since->bad_replies : 0));
  for (const auto& [status, n] : c.http_errors) {
    uint64_t before = 0;
    if (since) {
      auto it = since->http_errors.find(status);
      if (it != since->http_errors.end()) before = it->second;
    }
    add(HttpErrorName(status), n - before);
  }
  return s.empty() ? "none" : s;
}

std::string LatencyLine(const Histogram& h) {
  if (h.Count() == 0) return "no measured orders";
  std::string s;
  for (double p : kSummaryPercentiles) s += PercentileLabel(p) + " " + FormatMicros(h.Percentile(p)) + "  ";
  s += "max " + FormatMicros(h.Max()) + "  (" + Thousands(h.Count()) + " orders)";
  return s;
}

Json HistogramJson(const Histogram& h) {
  Json j;
  j["count"] = h.Count();
  j["min"] = h.Min();
  j["mean"] = h.Mean();
  j["p50"] = h.Percentile(50);
  j["p90"] = h.Percentile(90);
  j["p99"] = h.Percentile(99);
  j["p99_9"] = h.Percentile(99.9);
  j["p99_99"] = h.Percentile(99.99);
  j["max"] = h.Max();
  Json spectrum = Json::array();
  for (double p : kSpectrum) spectrum.push_back({{"p", p}, {"us", h.Percentile(p)}});
  j["percentiles"] = spectrum;
  return j;
}

std::string LoadText(const BenchOptions& o) {
  if (!o.closed_loop()) {
    return "open loop, " + o.rate_text + " orders/s (latency from each order's intended send time)";
  }
  return "closed loop, window " + std::to_string(o.window) + " orders in flight (each held until its " +
         (o.window_on == WindowOn::kComplete ? "terminal event" : "ACCEPTED reply") + ")";
}

}  // namespace

std::string FormatMicros(int64_t us) {
  char buf[32];
  if (us < 1000) {
    snprintf(buf, sizeof buf, "%lld µs", static_cast<long long>(us));
  } else if (us < 1'000'000) {
    snprintf(buf, sizeof buf, "%.2f ms", static_cast<double>(us) / 1e3);
  } else {
    snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
  }
  return buf;
}

std::string HttpErrorName(int status) {
  return status == 0 ? "http_connection_lost" : "http_" + std::to_string(status);
}

std::string ErrorName(size_t code) {
  if (code >= 1 && code <= 9) return std::string(proto::ErrorCodeName(static_cast<proto::ErrorCode>(code)));
  return "error_" + std::to_string(code);
}

void PrintBanner(FILE* out, const BenchOptions& o, const RunSetup& s) {
  fprintf(out, "ordermesh-bench %s (%s)\n", ORDERMESH_VERSION, s.mode.c_str());
  fprintf(out, "  target      %s\n", s.target.c_str());
  if (s.events.empty()) {
    fprintf(out, "  events      none (no broker: an order is done when accepted)\n");
  } else {
    fprintf(out, "  events      %s (SUB \"\", order.* kept, waited %d ms before the first send)\n", s.events.c_str(),
            o.subscribe_wait_ms);
  }
  if (!s.spawn_dir.empty()) {
    fprintf(out, "  spawned     %s (data and logs%s)\n", s.spawn_dir.c_str(),
            o.keep_dir ? ", kept" : ", removed at the end; --keep-dir keeps them");
    for (const auto& cmd : s.spawned) fprintf(out, "              %s\n", cmd.c_str());
  }
  fprintf(out, "  load        %s, %d connection%s\n", LoadText(o).c_str(), o.connections,
          o.connections == 1 ? "" : "s");
  if (o.count > 0) {
    fprintf(out, "  length      %s orders, the first %g s of them warm-up\n", Thousands(o.count).c_str(), o.warmup_s);
  } else {
    fprintf(out, "  length      %g s measured after %g s warm-up\n", o.duration_s, o.warmup_s);
  }
  fprintf(out, "  order       %d item%s, %s\n", o.items, o.items == 1 ? "" : "s",
          o.products > 0 ? ("products sku-1..sku-" + std::to_string(o.products) + " spread over the orders").c_str()
                         : "the same products in every order");
  if (!o.chaos.empty()) fprintf(out, "  chaos       %s\n", o.chaos.c_str());
  fprintf(out, "  limits      reply timeout %g s, drain timeout %g s\n", o.timeout_s, o.drain_timeout_s);
  if (!o.json_path.empty()) fprintf(out, "  json        %s\n", o.json_path.c_str());
  fprintf(out, "  machine     %d CPUs, %s, %s, load %s at start\n", s.machine.nproc, s.machine.cpu_model.c_str(),
          s.machine.kernel.c_str(), s.load_at_start.c_str());
  fflush(out);
}

void PrintProgressLine(FILE* out, const ProgressLine& l) {
  const double dt = l.interval_s > 0 ? l.interval_s : 1;
  auto per_s = [&](uint64_t now, uint64_t prev) { return Rate(static_cast<double>(now - prev) / dt); };
  auto pct = [](const Histogram* h, double p) { return h && h->Count() ? FormatMicros(h->Percentile(p)) : "-"; };
  fprintf(out,
          "[%6.1fs %3.0f%%] sent %s/s  accepted %s/s  completed %s/s  errors: %s | accept p50 %s p99 %s | completion p50 %s "
          "p99 %s | in flight %lld, awaiting events %zu%s%s\n",
          l.elapsed_s, std::min(l.progress_pct, 100.0), per_s(l.now.sent, l.prev.sent).c_str(), per_s(l.now.accepted, l.prev.accepted).c_str(),
          per_s(l.now.completed, l.prev.completed).c_str(), ErrorsByKind(l.now, &l.prev).c_str(),
          pct(l.accept, 50).c_str(), pct(l.accept, 99).c_str(), pct(l.completion, 50).c_str(),
          pct(l.completion, 99).c_str(), static_cast<long long>(l.in_flight), l.pending, l.phase.empty() ? "" : "  ",
          l.phase.c_str());
  fflush(out);
}

void PrintSummary(FILE* out, const BenchOptions& o, const RunResult& r) {
  const Counters& c = r.counters;
  const SelfCheck& k = r.check;
  fprintf(out, "\n== summary%s ==\n", r.interrupted ? " (interrupted)" : "");
  if (!r.fatal.empty()) fprintf(out, "  RUN FAILED: %s\n", r.fatal.c_str());
  fprintf(out, "  duration            %.2f s wall (sending %.2f s; measured %.2f s after %g s warm-up)\n", r.wall_s,
          r.sending_s, r.measured_s, o.warmup_s);
  fprintf(out, "  orders              sent %s, answered %s, accepted %s, completed %s (processed %s, failed %s, "
          "dead-lettered %s)\n",
          Thousands(c.sent).c_str(), Thousands(c.answered).c_str(), Thousands(c.accepted).c_str(),
          Thousands(c.completed).c_str(), Thousands(c.processed).c_str(), Thousands(c.failed).c_str(),
          Thousands(c.dead_lettered).c_str());
  fprintf(out, "  throughput          accepted %s orders/s, completed %s orders/s\n", Rate(r.accepted_per_s).c_str(),
          Rate(r.completed_per_s).c_str());
  fprintf(out, "  accept latency      %s\n", LatencyLine(r.accept_latency).c_str());
  fprintf(out, "  completion latency  %s\n", LatencyLine(r.completion_latency).c_str());
  fprintf(out, "  errors              %s\n", ErrorsByKind(c).c_str());
  if (c.late_replies || c.unknown_replies || c.duplicate_replies) {
    fprintf(out, "  odd replies         late %s, unknown id %s, duplicate %s\n", Thousands(c.late_replies).c_str(),
            Thousands(c.unknown_replies).c_str(), Thousands(c.duplicate_replies).c_str());
  }
  if (r.interrupted || !r.fatal.empty()) {
    fprintf(out, "  self-check          skipped (the run did not finish): missing %s, unanswered %s so far\n",
            Thousands(k.missing).c_str(), Thousands(k.unanswered).c_str());
  } else if (k.ok() && !o.follows_events()) {
    fprintf(out, "  self-check          OK: every submit was answered (no broker behind it: no events to check)\n");
  } else if (k.ok()) {
    fprintf(out, "  self-check          OK: every accepted order ended with exactly one terminal event, every "
            "submit was answered\n");
  } else {
    fprintf(out, "  self-check          FAILED: missing %s, duplicates %s, unanswered %s, duplicate accepts %s%s\n",
            Thousands(k.missing).c_str(), Thousands(k.duplicates).c_str(), Thousands(k.unanswered).c_str(),
            Thousands(k.duplicate_accepts).c_str(), k.drained ? "" : " (drain timed out)");
  }
  fprintf(out, "  event feed          gaps %s (recovered from the event log %s), foreign events %s%s\n",
          Thousands(k.event_gaps).c_str(), Thousands(k.recovered).c_str(), Thousands(k.foreign_events).c_str(),
          k.window_slots_released ? (", slow orders that gave up their window slot " +
                                     Thousands(k.window_slots_released)).c_str()
                                  : "");
  if (!o.closed_loop()) {
    fprintf(out, "  send lag            p50 %s  p99 %s  max %s (how late the bench sent against the schedule)\n",
            FormatMicros(r.send_lag.Percentile(50)).c_str(), FormatMicros(r.send_lag.Percentile(99)).c_str(),
            FormatMicros(r.send_lag.Max()).c_str());
  }
  if (!o.chaos.empty()) fprintf(out, "  chaos               %s nodes killed and restarted\n", Thousands(r.chaos_kills).c_str());
  std::string cpu;
  for (const CpuUse& u : r.cpu) {
    char buf[64];
    snprintf(buf, sizeof buf, "%s%s %.2f", cpu.empty() ? "" : ", ", u.who.c_str(), u.cores);
    cpu += buf;
  }
  fprintf(out, "  cpu (cores busy)    %s\n", cpu.c_str());
  if (r.broker) {
    const BrokerDelta& b = *r.broker;
    fprintf(out, "  broker              accepted %s, retries %s, late results %s, bad frames %s, rejected %s; at the "
            "end: backlog %s, in flight %s, nodes %zu\n",
            Thousands(b.accepted).c_str(), Thousands(b.retries).c_str(), Thousands(b.late_results).c_str(),
            Thousands(b.bad_frames).c_str(), Thousands(b.rejected).c_str(), Thousands(b.backlog_end).c_str(),
            Thousands(b.in_flight_end).c_str(), b.nodes);
  }
  fflush(out);
}

Status WriteJson(const std::string& path, const BenchOptions& o, const RunSetup& s, const RunResult& r) {
  Json j;
  j["tool"] = "ordermesh-bench";
  j["version"] = ORDERMESH_VERSION;
  j["mode"] = s.mode;
  j["started_at"] = s.started_at;

  Json& p = j["parameters"];
  p["target"] = s.target;
  p["events"] = s.events;
  p["spawn"] = o.spawn;
  if (o.spawn) {
    p["nodes"] = o.nodes;
    p["set"] = o.sets;
    p["spawned"] = s.spawned;
  }
  if (o.echo) p["transport"] = o.echo_transport;
  p["rate"] = o.closed_loop() ? Json("max") : Json(o.rate);
  p["window"] = o.window;
  p["window_on"] = o.window_on == WindowOn::kComplete ? "complete" : "accept";
  p["connections"] = o.connections;
  p["count"] = o.count;
  p["duration_s"] = o.duration_s;
  p["warmup_s"] = o.warmup_s;
  p["items"] = o.items;
  p["products"] = o.products;
  p["chaos"] = o.chaos;
  p["timeout_s"] = o.timeout_s;
  p["drain_timeout_s"] = o.drain_timeout_s;
  p["subscribe_wait_ms"] = o.subscribe_wait_ms;

  Json& m = j["machine"];
  m["nproc"] = s.machine.nproc;
  m["cpu_model"] = s.machine.cpu_model;
  m["kernel"] = s.machine.kernel;
  m["hostname"] = s.machine.hostname;
  m["loadavg_1m_start"] = s.load_at_start;
  m["loadavg_1m_end"] = s.load_at_end;

  const Counters& c = r.counters;
  Json& sum = j["summary"];
  sum["interrupted"] = r.interrupted;
  sum["fatal"] = r.fatal;
  sum["wall_s"] = r.wall_s;
  sum["sending_s"] = r.sending_s;
  sum["measured_s"] = r.measured_s;
  sum["sent"] = c.sent;
  sum["answered"] = c.answered;
  sum["accepted"] = c.accepted;
  sum["completed"] = c.completed;
  sum["processed"] = c.processed;
  sum["failed"] = c.failed;
  sum["dead_lettered"] = c.dead_lettered;
  sum["accepted_per_s"] = r.accepted_per_s;
  sum["completed_per_s"] = r.completed_per_s;
  Json errors = Json::object();
  for (size_t i = 1; i < c.errors.size(); ++i) errors[ErrorName(i)] = c.errors[i];
  errors["timeout"] = c.timeouts;
  errors["bad_reply"] = c.bad_replies;
  for (const auto& [status, n] : c.http_errors) errors[HttpErrorName(status)] = n;
  sum["errors"] = errors;
  sum["late_replies"] = c.late_replies;
  sum["unknown_replies"] = c.unknown_replies;
  sum["duplicate_replies"] = c.duplicate_replies;
  sum["send_blocked"] = c.send_blocked;
  sum["chaos_kills"] = r.chaos_kills;
  Json cpu = Json::object();
  for (const CpuUse& u : r.cpu) cpu[u.who] = u.cores;
  sum["cpu_cores"] = cpu;
  if (!o.closed_loop()) sum["send_lag_us"] = HistogramJson(r.send_lag);
  if (r.broker) {
    const BrokerDelta& b = *r.broker;
    sum["broker"] = {{"accepted", b.accepted},        {"retries", b.retries},
                     {"late_results", b.late_results}, {"bad_frames", b.bad_frames},
                     {"rejected", b.rejected},         {"backlog_end", b.backlog_end},
                     {"in_flight_end", b.in_flight_end}, {"nodes", b.nodes}};
  }

  const SelfCheck& k = r.check;
  j["self_check"] = {{"ok", k.ok() && !r.interrupted && r.fatal.empty()},
                     {"missing", k.missing},
                     {"duplicates", k.duplicates},
                     {"unanswered", k.unanswered},
                     {"duplicate_accepts", k.duplicate_accepts},
                     {"foreign_events", k.foreign_events},
                     {"event_gaps", k.event_gaps},
                     {"recovered_from_log", k.recovered},
                     {"window_slots_released", k.window_slots_released},
                     {"drained", k.drained}};
  j["accept_latency_us"] = HistogramJson(r.accept_latency);
  j["completion_latency_us"] = HistogramJson(r.completion_latency);
  j["exit_status"] = r.exit_status;

  std::ofstream f(path, std::ios::trunc);
  if (!f) return Status::IoError("cannot write " + path);
  f << j.dump(2) << "\n";
  if (!f) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace om::bench
