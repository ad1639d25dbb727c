// `ordermesh-bench sweep`: one bench run per value of one setting, then a
// table and a chart (SVG; also PNG when gnuplot is installed).
//
//   ordermesh-bench sweep --vary node.credit=1,4,16,64 [--chart FILE.svg]
//                         [--latency completion|accept] [--] BENCH FLAGS...
//
// KEY is any --set key (broker.*, node.*, gateway.*, e.g. node.credit or
// node.payment.latency_ms) or one of the bench's own flags rate, nodes,
// connections, window, items, products. Each run is a fresh ordermesh-bench
// process (so each --spawn mesh starts clean) with the bench flags plus
// `--set KEY=VALUE` (or `--KEY VALUE`) and a --json file in a temp dir; the
// sweep reads the JSONs back. It stops early after Ctrl-C. Exit status 0
// when every run passed its self-check, else 1; 2 for bad flags.
//
// ParseVary and ScenarioArgs are pure and unit-tested; SweepMain runs
// processes and writes files.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace om::bench {

struct VarySpec {
  std::string key;                  // "node.credit", or a bench flag: "rate", "nodes"
  std::vector<std::string> values;  // as given, in order
};

// "node.credit=1,4,16,64" -> {"node.credit", {"1","4","16","64"}}. The key
// is a bench flag (above) or PROGRAM.KEY with PROGRAM broker, node or
// gateway; no empty values. Errors quote the text.
[[nodiscard]] Result<VarySpec> ParseVary(const std::string& text);

// The flags of the run for one value: base, then `--KEY VALUE` (a bench
// flag) or `--set KEY=VALUE`, then `--json json_path`.
std::vector<std::string> ScenarioArgs(const std::vector<std::string>& base, const VarySpec& vary,
                                      const std::string& value, const std::string& json_path);

// The `sweep` subcommand; argv[0] is "sweep".
int SweepMain(int argc, char** argv);

}  // namespace om::bench
