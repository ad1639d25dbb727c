#include "tools/cli/cli_options.h"

#include "config/config_loader.h"

namespace om::cli {

void RegisterOptions(config::ConfigLoader& l, CliOptions& o) {
  l.Add("broker_endpoint", &o.broker_endpoint, "the broker's front endpoint");
  l.Add("timeout_ms", &o.timeout_ms, "how long to wait for each answer of the broker (ms)", 1, 3'600'000);
}

}  // namespace om::cli
