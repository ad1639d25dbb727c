#include "bench/csv_writer.h"

#include <cstdio>
#include <fstream>

namespace om::bench {
namespace {

std::string PerSecond(uint64_t n, double interval_s) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.1f", interval_s > 0 ? static_cast<double>(n) / interval_s : 0.0);
  return buf;
}

std::string Micros(int64_t us) { return us < 0 ? "" : std::to_string(us); }

}  // namespace

std::string SeriesCsv(const std::vector<IntervalSample>& series) {
  std::string out =
      "t_s,interval_s,phase,sent_per_s,accepted_per_s,completed_per_s,errors_per_s,accept_p50_us,accept_p99_us,"
      "completion_p50_us,completion_p99_us,in_flight,awaiting_events\n";
  for (const IntervalSample& s : series) {
    char head[64];
    snprintf(head, sizeof head, "%.3f,%.3f,", s.t_s, s.interval_s);
    out += head;
    out += (s.phase.empty() ? "measured" : s.phase) + ",";
    out += PerSecond(s.sent, s.interval_s) + "," + PerSecond(s.accepted, s.interval_s) + "," +
           PerSecond(s.completed, s.interval_s) + "," + PerSecond(s.errors, s.interval_s) + ",";
    out += Micros(s.accept_p50_us) + "," + Micros(s.accept_p99_us) + "," + Micros(s.completion_p50_us) + "," +
           Micros(s.completion_p99_us) + ",";
    out += std::to_string(s.in_flight) + "," + std::to_string(s.pending) + "\n";
  }
  return out;
}

Status WriteSeriesCsv(const std::string& path, const std::vector<IntervalSample>& series) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) return Status::IoError("cannot write " + path);
  f << SeriesCsv(series);
  if (!f) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace om::bench
