#include "bench/sweep.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/machine_info.h"
#include "bench/svg_chart.h"

namespace om::bench {
namespace {

constexpr const char* kUsage =
    "usage: ordermesh-bench sweep --vary KEY=V1,V2,... [--chart FILE.svg] [--latency completion|accept] [--] "
    "BENCH FLAGS...\n"
    "  KEY: a bench flag (rate, nodes, connections, window, items, products) or a --set key (broker.KEY,\n"
    "  node.KEY, gateway.KEY), e.g. node.credit=1,4,16,64\n"
    "  one ordermesh-bench run per value with the BENCH FLAGS plus --set KEY=V (or --KEY V); prints a table,\n"
    "  writes the chart as SVG (default sweep.svg) and, when gnuplot is installed, as PNG beside it.\n";

struct RunRow {
  std::string value;
  bool ran = false;
  int exit_status = -1;
  double accepted_per_s = 0, completed_per_s = 0;
  double accept_p99_us = -1, completion_p99_us = -1;
  bool ok = false;
  std::string load;
};

int RunChild(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

RunRow ReadRow(const std::string& value, const std::string& json_path, int exit_status) {
  RunRow row;
  row.value = value;
  row.exit_status = exit_status;
  std::ifstream in(json_path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return row;
  row.ran = true;
  row.accepted_per_s = j["summary"].value("accepted_per_s", 0.0);
  row.completed_per_s = j["summary"].value("completed_per_s", 0.0);
  if (j["accept_latency_us"].value("count", 0) > 0) row.accept_p99_us = j["accept_latency_us"].value("p99", -1.0);
  if (j["completion_latency_us"].value("count", 0) > 0) {
    row.completion_p99_us = j["completion_latency_us"].value("p99", -1.0);
  }
  row.ok = exit_status == 0 && j["self_check"].value("ok", false);
  row.load = j["machine"].value("loadavg_1m_start", "");
  return row;
}

std::string Micros(double us) {
  char buf[32];
  if (us < 0) return "-";
  if (us < 1000) snprintf(buf, sizeof buf, "%.0f µs", us);
  else snprintf(buf, sizeof buf, "%.2f ms", us / 1000);
  return buf;
}

void PrintTable(const VarySpec& vary, const std::vector<RunRow>& rows) {
  printf("\n== sweep of %s ==\n", vary.key.c_str());
  printf("| %s | accepted/s | completed/s | accept p99 | completion p99 | self-check | load at start |\n",
         vary.key.c_str());
  printf("|---|---:|---:|---:|---:|---|---:|\n");
  for (const RunRow& r : rows) {
    printf("| %s | %.0f | %.0f | %s | %s | %s | %s |\n", r.value.c_str(), r.accepted_per_s, r.completed_per_s,
           Micros(r.accept_p99_us).c_str(), Micros(r.completion_p99_us).c_str(),
           r.ok ? "ok" : (r.ran ? "FAILED" : "did not run"), r.load.c_str());
  }
}

bool HaveGnuplot() { return system("command -v gnuplot >/dev/null 2>&1") == 0; }

void WritePng(const SweepChart& chart, const std::string& png, const std::string& dir) {
  const std::string data = dir + "/sweep.dat", script = dir + "/sweep.gp";
  std::ofstream d(data);
  for (const ChartPoint& p : chart.points) d << '"' << p.label << "\" " << p.throughput << " " << p.p99_us / 1000 << "\n";
  d.close();
  std::ofstream g(script);
  g << "set terminal pngcairo size 800,480 font 'DejaVu Sans,10'\nset output '" << png << "'\n"
    << "set title '" << chart.title << "'\nset xlabel '" << chart.x_label << "'\n"
    << "set ylabel '" << chart.throughput_label << "'\nset y2label '" << chart.latency_label << " (ms)'\n"
    << "set yrange [0:*]\nset y2range [0:*]\nset ytics nomirror\nset y2tics\nset grid ytics\n"
    << "set style fill solid 0.8\nset boxwidth 0.6\nset key above\n"
    << "plot '" << data << "' using 0:2:xtic(1) with boxes lc rgb '#4C78A8' title '" << chart.throughput_label
    << "', '' using 0:3 axes x1y2 with linespoints lw 2 pt 7 lc rgb '#E45756' title '" << chart.latency_label
    << " (ms)'\n";
  g.close();
  if (system(("gnuplot " + script).c_str()) == 0) printf("chart: %s\n", png.c_str());
}

// Keys that are the bench's own flags rather than a spawned program's setting.
bool IsBenchFlagKey(const std::string& key) {
  for (const char* k : {"rate", "nodes", "connections", "window", "items", "products"}) {
    if (key == k) return true;
  }
  return false;
}

std::string MachineText() {
  const MachineInfo m = ReadMachineInfo();
  return std::to_string(m.nproc) + " CPUs, " + m.cpu_model;
}

}  // namespace

Result<VarySpec> ParseVary(const std::string& text) {
  const size_t eq = text.find('=');
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("--vary " + text + ": " + why + " (expected KEY=V1,V2,..., e.g. node.credit=1,4,16)");
  };
  if (eq == std::string::npos || eq == 0) return bad("no KEY=");
  VarySpec spec;
  spec.key = text.substr(0, eq);
  if (!IsBenchFlagKey(spec.key)) {
    const size_t dot = spec.key.find('.');
    const std::string program = spec.key.substr(0, dot);
    if (dot == std::string::npos || dot + 1 == spec.key.size() ||
        (program != "broker" && program != "node" && program != "gateway")) {
      return bad("KEY must be rate, nodes, connections, window, items, products, or broker.KEY, node.KEY, gateway.KEY");
    }
  }
  std::string rest = text.substr(eq + 1);
  size_t start = 0;
  while (true) {
    const size_t comma = rest.find(',', start);
    std::string v = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v.empty()) return bad("an empty value");
    spec.values.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

std::vector<std::string> ScenarioArgs(const std::vector<std::string>& base, const VarySpec& vary,
                                      const std::string& value, const std::string& json_path) {
  std::vector<std::string> args = base;
  if (IsBenchFlagKey(vary.key)) {
    args.insert(args.end(), {"--" + vary.key, value});
  } else {
    args.insert(args.end(), {"--set", vary.key + "=" + value});
  }
  args.insert(args.end(), {"--json", json_path});
  return args;
}

int SweepMain(int argc, char** argv) {
  std::string vary_text, chart_path = "sweep.svg", latency = "completion";
  std::vector<std::string> base;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    if (a == "--help" || a == "-h") {
      printf("%s", kUsage);
      return 0;
    } else if (a == "--vary" || a == "--chart" || a == "--latency") {
      if (!value(a == "--vary" ? &vary_text : a == "--chart" ? &chart_path : &latency)) {
        fprintf(stderr, "ordermesh-bench sweep: %s needs a value\n%s", a.c_str(), kUsage);
        return 2;
      }
    } else if (a == "--") {
      for (++i; i < argc; ++i) base.push_back(argv[i]);
    } else {
      base.push_back(a);
    }
  }
  auto vary = ParseVary(vary_text);
  if (!vary.ok() || (latency != "completion" && latency != "accept")) {
    fprintf(stderr, "ordermesh-bench sweep: %s\n%s",
            vary.ok() ? "--latency must be completion or accept" : vary.status().message().c_str(), kUsage);
    return 2;
  }
  // A chart that cannot be written is found out before the runs, not after.
  if (const auto parent = std::filesystem::path(chart_path).parent_path();
      !parent.empty() && !std::filesystem::is_directory(parent)) {
    fprintf(stderr, "ordermesh-bench sweep: --chart %s: no directory %s\n", chart_path.c_str(), parent.c_str());
    return 2;
  }
  char tmpl[] = "/tmp/ordermesh-sweep-XXXXXX";
  if (!mkdtemp(tmpl)) return 2;
  const std::string dir = tmpl;
  const std::string load_before = LoadAverage1m();
  std::vector<RunRow> rows;
  bool all_ok = true;
  for (size_t i = 0; i < vary->values.size(); ++i) {
    const std::string& v = vary->values[i];
    const std::string json = dir + "/run-" + std::to_string(i) + ".json";
    printf("\n== sweep %zu/%zu: %s = %s ==\n", i + 1, vary->values.size(), vary->key.c_str(), v.c_str());
    const int status = RunChild(ScenarioArgs(base, *vary, v, json));
    rows.push_back(ReadRow(v, json, status));
    all_ok = all_ok && rows.back().ok;
    if (status == 130 || status == 2) break;  // Ctrl-C, or flags the bench refuses: the rest would fail too
  }
  PrintTable(*vary, rows);

  const bool accept = latency == "accept";
  SweepChart chart;
  std::string flags;
  for (const std::string& b : base) flags += (flags.empty() ? "" : " ") + b;
  chart.title = vary->key + " sweep";
  chart.x_label = vary->key;
  chart.throughput_label = accept ? "accepted orders/s" : "completed orders/s";
  chart.latency_label = accept ? "accept p99" : "completion p99";
  chart.footnote = "ordermesh-bench " + flags + " | " + MachineText() + ", load " + load_before + " -> " +
                   LoadAverage1m();
  for (const RunRow& r : rows) {
    chart.points.push_back({r.value, accept ? r.accepted_per_s : r.completed_per_s,
                            accept ? r.accept_p99_us : r.completion_p99_us, r.ok});
  }
  std::ofstream svg(chart_path, std::ios::trunc);
  svg << RenderSvg(chart);
  if (!svg) {
    fprintf(stderr, "ordermesh-bench sweep: cannot write %s\n", chart_path.c_str());
    return 1;
  }
  svg.close();
  printf("chart: %s\n", chart_path.c_str());
  if (HaveGnuplot()) {
    std::string png = chart_path;
    if (png.size() > 4 && png.substr(png.size() - 4) == ".svg") png.resize(png.size() - 4);
    WritePng(chart, png + ".png", dir);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return all_ok ? 0 : 1;
}

}  // namespace om::bench
