// ordermesh-broker: the one stateful process. See broker/broker_server.h.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "broker/broker_server.h"
#include "broker/options.h"
#include "common/log.h"
#include "common/signals.h"
#include "config/config_loader.h"

int main(int argc, char** argv) {
  om::broker::BrokerOptions options;
  CLI::App app{"ordermesh-broker: accepts orders durably, dispatches them to nodes, publishes events"};
  om::config::ConfigLoader loader("ordermesh-broker", "broker");
  om::broker::RegisterOptions(loader, options);
  loader.Bind(app);
  CLI11_PARSE(app, argc, argv);
  if (om::Status st = loader.Finish(); !st.ok()) {
    std::cerr << "ordermesh-broker: " << st.message() << "\n";
    return 2;
  }
  if (om::Status st = om::InitLogging("broker", options.log_level, options.log_format); !st.ok()) {
    std::cerr << "ordermesh-broker: " << st.message() << "\n";
    return 2;
  }
  om::InstallShutdownHandlers();

  om::broker::BrokerServer server(options);
  if (om::Status st = server.Start(); !st.ok()) {
    spdlog::critical("cannot start: {}", st.ToString());
    return 1;
  }
  om::Status st = server.Run();
  if (!st.ok()) {
    spdlog::critical("broker stopped on error: {}", st.ToString());
    return 1;
  }
  return 0;
}
