// The per-interval series of a run as CSV (--csv FILE): one header line,
// then one line per interval (a --report-interval, or a second), so a
// spreadsheet or gnuplot can plot throughput and latency over time.
//
// Columns: t_s, interval_s, phase, sent_per_s, accepted_per_s,
// completed_per_s, errors_per_s, accept_p50_us, accept_p99_us,
// completion_p50_us, completion_p99_us, in_flight, awaiting_events.
// A latency with no sample in its interval is an empty field.
#pragma once

#include <string>
#include <vector>

#include "bench/run_result.h"
#include "common/status.h"

namespace om::bench {

// The CSV text of the series.
std::string SeriesCsv(const std::vector<IntervalSample>& series);
// Writes it to path. Errors name the file.
[[nodiscard]] Status WriteSeriesCsv(const std::string& path, const std::vector<IntervalSample>& series);

}  // namespace om::bench
