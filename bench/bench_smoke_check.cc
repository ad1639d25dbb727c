// bench_smoke_check FILE.json [--mode MODE] [--csv FILE.csv]
//                   [--min-chaos-kills N] [--min-retries N]: checks what a
// bench smoke run wrote: the JSON parses, says the run passed its
// self-check, holds every field the report promises (not their values: the
// machine's speed is not under test) and, with --mode, was a run of that
// mode (broker, gateway, ...; a gateway run must also report the gateway's
// CPU). With --csv, the per-second series has its header and at least one
// measured line. With --min-chaos-kills / --min-retries, the run killed at
// least N nodes and the broker redelivered at least N orders (a churn run
// that passes its self-check without churning proves nothing). Exit 0 if
// so; otherwise prints what is wrong and exits 1.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

int CheckCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::string header, line;
  std::getline(in, header);
  if (header.rfind("t_s,interval_s,phase,sent_per_s,accepted_per_s,completed_per_s,", 0) != 0) {
    fprintf(stderr, "%s: unexpected header '%s'\n", path.c_str(), header.c_str());
    return 1;
  }
  int measured = 0;
  while (std::getline(in, line)) {
    if (line.find(",measured,") != std::string::npos) ++measured;
  }
  if (measured == 0) {
    fprintf(stderr, "%s: no measured interval\n", path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr,
            "usage: bench_smoke_check RESULT.json [--mode MODE] [--csv SERIES.csv] [--min-chaos-kills N] "
            "[--min-retries N]\n");
    return 2;
  }
  std::string mode, csv;
  uint64_t min_kills = 0, min_retries = 0;
  for (int i = 2; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      fprintf(stderr, "%s needs a value\n", flag.c_str());
      return 2;
    }
    if (flag == "--mode") mode = argv[i + 1];
    else if (flag == "--csv") csv = argv[i + 1];
    else if (flag == "--min-chaos-kills") min_kills = std::stoull(argv[i + 1]);
    else if (flag == "--min-retries") min_retries = std::stoull(argv[i + 1]);
    else {
      fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::ifstream in(argv[1]);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    fprintf(stderr, "%s does not parse: %s\n", argv[1], e.what());
    return 1;
  }
  std::vector<std::string> required = {
      "/tool", "/mode", "/parameters/target", "/parameters/rate", "/parameters/count", "/parameters/window",
      "/parameters/products", "/parameters/chaos", "/machine/nproc", "/machine/cpu_model", "/machine/kernel",
      "/summary/sent", "/summary/accepted", "/summary/completed", "/summary/accepted_per_s",
      "/summary/completed_per_s", "/summary/errors/timeout", "/summary/errors/backlog_full",
      "/summary/cpu_cores/bench", "/summary/chaos_kills", "/self_check/ok", "/self_check/missing",
      "/self_check/duplicates", "/self_check/unanswered", "/accept_latency_us/p50", "/accept_latency_us/p99_99",
      "/accept_latency_us/max", "/accept_latency_us/percentiles", "/completion_latency_us/p50",
      "/completion_latency_us/p99_9", "/completion_latency_us/max", "/exit_status"};
  if (mode == "gateway") required.insert(required.end(), {"/summary/cpu_cores/gateway", "/summary/cpu_cores/broker"});
  if (mode == "broker") required.push_back("/summary/cpu_cores/broker");
  if (min_retries > 0) required.push_back("/summary/broker/retries");
  int bad = 0;
  for (const auto& pointer : required) {
    if (!j.contains(nlohmann::json::json_pointer(pointer))) {
      fprintf(stderr, "missing field %s\n", pointer.c_str());
      ++bad;
    }
  }
  if (bad) return 1;
  if (!mode.empty() && j["mode"] != mode) {
    fprintf(stderr, "the run's mode is %s, expected %s\n", j["mode"].dump().c_str(), mode.c_str());
    return 1;
  }
  if (j["exit_status"] != 0 || j["self_check"]["ok"] != true) {
    fprintf(stderr, "the run did not pass its self-check: %s\n", j["self_check"].dump().c_str());
    return 1;
  }
  if (j["summary"]["completed"].get<uint64_t>() == 0) {
    fprintf(stderr, "the run completed no order\n");
    return 1;
  }
  if (!csv.empty() && CheckCsv(csv) != 0) return 1;
  if (const auto kills = j["summary"]["chaos_kills"].get<uint64_t>(); kills < min_kills) {
    fprintf(stderr, "the run killed %llu nodes, expected at least %llu\n", static_cast<unsigned long long>(kills),
            static_cast<unsigned long long>(min_kills));
    return 1;
  }
  if (min_retries > 0) {
    if (const auto retries = j["summary"]["broker"]["retries"].get<uint64_t>(); retries < min_retries) {
      fprintf(stderr, "the broker redelivered %llu orders, expected at least %llu\n",
              static_cast<unsigned long long>(retries), static_cast<unsigned long long>(min_retries));
      return 1;
    }
  }
  printf("%s: OK (%s orders, completed %.0f/s)\n", argv[1], j["summary"]["completed"].dump().c_str(),
         j["summary"]["completed_per_s"].get<double>());
  return 0;
}
