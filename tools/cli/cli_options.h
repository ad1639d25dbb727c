// CliOptions: the [cli] table of the deployment file (ORDERMESH_CLI_<KEY>,
// --<key>): where the admin CLI finds the broker and how long it waits.
#pragma once

#include <cstdint>
#include <string>

namespace om::config {
class ConfigLoader;
}

namespace om::cli {

struct CliOptions {
  std::string broker_endpoint = "tcp://127.0.0.1:5555";  // the broker's front socket
  int64_t timeout_ms = 5'000;                            // wait for each answer
};

// Registers every field with the loader (section [cli]).
void RegisterOptions(config::ConfigLoader& loader, CliOptions& o);

}  // namespace om::cli
