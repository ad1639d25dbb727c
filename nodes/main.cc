// ordermesh-node: a stateless order processor. See nodes/node.h.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "common/log.h"
#include "common/signals.h"
#include "config/config_loader.h"
#include "nodes/node.h"

int main(int argc, char** argv) {
  om::node::NodeOptions options;
  CLI::App app{"ordermesh-node: takes orders from the broker, runs them through the pipeline, reports outcomes"};
  om::config::ConfigLoader loader("ordermesh-node", "node");
  om::node::RegisterOptions(loader, options);
  loader.Bind(app);
  CLI11_PARSE(app, argc, argv);
  if (om::Status st = loader.Finish(); !st.ok()) {
    std::cerr << "ordermesh-node: " << st.message() << "\n";
    return 2;
  }
  if (om::Status st = om::InitLogging("node", options.log_level, options.log_format); !st.ok()) {
    std::cerr << "ordermesh-node: " << st.message() << "\n";
    return 2;
  }
  auto pipeline = om::node::Pipeline::Make(options);
  if (!pipeline.ok()) {
    std::cerr << "ordermesh-node: " << pipeline.status().message() << "\n";
    return 2;
  }
  om::InstallShutdownHandlers();
  om::node::Node node(options, std::move(pipeline).value());
  if (om::Status st = node.Run(); !st.ok()) {
    spdlog::critical("node stopped on error: {}", st.ToString());
    return 1;
  }
  return 0;
}
