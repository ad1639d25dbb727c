// bench_smoke_check FILE: checks the JSON that the bench_smoke_run test wrote:
// it parses, says the run passed its self-check, and holds every field the
// report promises (not their values: the machine's speed is not under test).
// Exit 0 if so; otherwise prints what is wrong and exits 1.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bench_smoke_check RESULT.json\n");
    return 2;
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
  const std::vector<std::string> required = {
      "/tool", "/mode", "/parameters/target", "/parameters/rate", "/parameters/count", "/parameters/window",
      "/machine/nproc", "/machine/cpu_model", "/machine/kernel", "/summary/sent", "/summary/accepted",
      "/summary/completed", "/summary/accepted_per_s", "/summary/completed_per_s", "/summary/errors/timeout",
      "/summary/errors/backlog_full", "/summary/cpu_cores/bench", "/self_check/ok", "/self_check/missing",
      "/self_check/duplicates", "/self_check/unanswered", "/accept_latency_us/p50", "/accept_latency_us/p99_99",
      "/accept_latency_us/max", "/accept_latency_us/percentiles", "/completion_latency_us/p50",
      "/completion_latency_us/p99_9", "/completion_latency_us/max", "/exit_status"};
  int bad = 0;
  for (const auto& pointer : required) {
    if (!j.contains(nlohmann::json::json_pointer(pointer))) {
      fprintf(stderr, "missing field %s\n", pointer.c_str());
      ++bad;
    }
  }
  if (bad) return 1;
  if (j["exit_status"] != 0 || j["self_check"]["ok"] != true) {
    fprintf(stderr, "the run did not pass its self-check: %s\n", j["self_check"].dump().c_str());
    return 1;
  }
  printf("%s: OK (%s orders, completed %.0f/s)\n", argv[1], j["summary"]["completed"].dump().c_str(),
         j["summary"]["completed_per_s"].get<double>());
  return 0;
}
