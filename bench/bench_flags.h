// The command line of ordermesh-bench: every flag of BenchOptions (CLI11),
// the subcommands `echo` and `bare-http`, and the examples under --help.
// `sweep` is not here: it re-runs this command line once per value (sweep.h).
#pragma once

#include <CLI/CLI.hpp>

#include "bench/bench_options.h"

namespace om::bench {

struct Subcommands {
  CLI::App* echo = nullptr;
  CLI::App* bare_http = nullptr;
};

// Adds every flag and subcommand to app, bound to o.
Subcommands AddFlags(CLI::App& app, BenchOptions& o);

extern const char* const kExamples;

}  // namespace om::bench
