// The bench's output: the banner, the progress lines, the final summary
// (text on stdout) and the JSON result file. Formatting only: every number
// comes from the caller. Call from one thread.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/machine_info.h"
#include "bench/run_result.h"

namespace om::bench {

// How the run was set up, for the banner and the JSON.
struct RunSetup {
  std::string mode;          // "broker" or "echo"
  std::string target;        // Target::Describe()
  std::string events;        // the SUB endpoint
  std::string spawn_dir;     // --spawn: the temp dir, else ""
  std::vector<std::string> spawned;  // --spawn: the command line of each program started
  MachineInfo machine;
  std::string load_at_start;  // 1-minute load average before the run
  std::string load_at_end;
  std::string started_at;     // ISO 8601, UTC
};

struct ProgressLine {
  double elapsed_s = 0;
  double interval_s = 0;
  std::string phase;  // "warm-up", "drain" or ""
  double progress_pct = 0;  // of the sending phase (count or warm-up + duration)
  Counters now, prev;
  const Histogram* accept = nullptr;
  const Histogram* completion = nullptr;
  int64_t in_flight = 0;  // requests not yet answered
  size_t pending = 0;     // accepted orders without a terminal event yet
};

void PrintBanner(FILE* out, const BenchOptions& o, const RunSetup& setup);
void PrintProgressLine(FILE* out, const ProgressLine& line);
void PrintSummary(FILE* out, const BenchOptions& o, const RunResult& r);
// Writes the whole result as JSON. Errors name the file.
[[nodiscard]] Status WriteJson(const std::string& path, const BenchOptions& o, const RunSetup& setup,
                               const RunResult& r);

// "850 µs", "1.25 ms", "2.50 s".
std::string FormatMicros(int64_t us);
// The name of an ErrorCode value ("backlog_full"); "error_<n>" if unknown.
std::string ErrorName(size_t code);
// "http_503"; "http_connection_lost" for 0.
std::string HttpErrorName(int status);

}  // namespace om::bench
