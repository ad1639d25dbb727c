// ordermesh-gateway: the HTTP API in front of the broker. Stateless: run as
// many as you like behind a load balancer. See gateway/http_api.h for the
// routes and gateway/broker_link.h for which thread owns what.
//
// SIGTERM/SIGINT: /readyz turns 503 at once (and responses close their
// connections) for drain_delay_ms, so a load balancer stops sending; then
// the listener closes, requests in progress finish, and the process exits 0.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "common/log.h"
#include "common/signals.h"
#include "config/config_loader.h"
#include "gateway/broker_link.h"
#include "gateway/gateway_server.h"
#include "gateway/http_api.h"
#include "gateway/metrics.h"
#include "gateway/openapi_text.h"
#include "gateway/options.h"

namespace {

void SleepUnlessForced(std::chrono::milliseconds total) {
  // A second signal exits at once (common/signals.cc); just wait here.
  auto end = std::chrono::steady_clock::now() + total;
  while (std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

int main(int argc, char** argv) {
  om::gateway::GatewayOptions options;
  CLI::App app{"ordermesh-gateway: the HTTP order API (civetweb) in front of the broker"};
  om::config::ConfigLoader loader("ordermesh-gateway", "gateway");
  om::gateway::RegisterOptions(loader, options);
  loader.Bind(app);
  CLI11_PARSE(app, argc, argv);
  std::string warning;
  om::Status st = loader.Finish();
  if (st.ok()) st = om::gateway::CheckOptions(options, &warning);
  if (!st.ok()) {
    std::cerr << "ordermesh-gateway: " << st.message() << "\n";
    return 2;
  }
  if (st = om::InitLogging("gateway", options.log_level, options.log_format); !st.ok()) {
    std::cerr << "ordermesh-gateway: " << st.message() << "\n";
    return 2;
  }
  if (!warning.empty()) spdlog::warn("{}", warning);

  om::gateway::BrokerLink link(options.broker_endpoint, options.hwm);
  if (st = link.Start(); !st.ok()) {
    spdlog::critical("cannot start: {}", st.ToString());
    return 2;
  }
  auto metrics = std::make_unique<om::gateway::Metrics>();
  om::gateway::HttpApi api(options, &link, metrics.get(), std::string(om::gateway::OpenApiYaml()));
  om::gateway::GatewayServer server(options, &api, metrics.get());
  if (st = server.Start(); !st.ok()) {
    spdlog::critical("cannot start: {}", st.ToString());
    return 1;
  }
  om::InstallShutdownHandlers();  // after civetweb's start, which sets its own SIGPIPE handling
  spdlog::info("gateway listening on http://{} (port {}), broker {}, {} HTTP threads, {} API key(s), {} CORS origin(s)",
               options.listen, server.port(), options.broker_endpoint, options.num_threads, options.api_keys.size(),
               options.cors_origins.size());

  while (!om::ShutdownRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));

  spdlog::info("draining: /readyz answers 503 for {} ms, then the listener closes", options.drain_delay_ms);
  api.BeginDrain();
  SleepUnlessForced(std::chrono::milliseconds(options.drain_delay_ms));
  server.Stop();  // requests in progress are answered first
  link.Stop();
  spdlog::info("gateway stopped");
  return 0;
}
