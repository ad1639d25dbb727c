// config/ordermesh.toml is the documentation of every key: it must load
// without error in every program, and the values it shows must be the
// built-in defaults (so the file and the code cannot drift apart).
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "broker/options.h"
#include "config/config_loader.h"
#include "gateway/options.h"
#include "nodes/node_options.h"
#include "nodes/notify/notify_options.h"
#include "tools/cli/cli_options.h"

namespace om {
namespace {

const std::string kConfigFile = std::string(ORDERMESH_SOURCE_DIR) + "/config/ordermesh.toml";

// Loads the shipped file into a fresh options struct and returns
// {defaults described, loaded described}.
template <typename Options>
std::pair<std::string, std::string> LoadShipped(const std::string& program, const std::string& section) {
  Options defaults, loaded;
  config::ConfigLoader d(program, section), l(program, section);
  RegisterOptions(d, defaults);
  RegisterOptions(l, loaded);
  CLI::App app_d, app_l;
  d.Bind(app_d);
  l.Bind(app_l);
  std::vector<std::string> none;
  app_d.parse(none);
  std::vector<std::string> args = {kConfigFile, "--config"};  // CLI11 parses a reversed vector
  app_l.parse(args);
  Status sd = d.Finish();
  Status sl = l.Finish();
  EXPECT_TRUE(sd.ok()) << sd.ToString();
  EXPECT_TRUE(sl.ok()) << sl.ToString();
  EXPECT_EQ(l.config_path(), kConfigFile);
  return {d.Describe(), l.Describe()};
}

using broker::RegisterOptions;
using node::RegisterOptions;
using notify::RegisterOptions;
using gateway::RegisterOptions;
using cli::RegisterOptions;

TEST(ShippedConfig, BrokerSectionLoadsAndShowsTheDefaults) {
  auto [defaults, loaded] = LoadShipped<broker::BrokerOptions>("ordermesh-broker", "broker");
  EXPECT_EQ(defaults, loaded);
}

TEST(ShippedConfig, NodeSectionLoadsAndShowsTheDefaults) {
  auto [defaults, loaded] = LoadShipped<node::NodeOptions>("ordermesh-node", "node");
  EXPECT_EQ(defaults, loaded);
}

TEST(ShippedConfig, NotifySectionLoadsAndShowsTheDefaults) {
  auto [defaults, loaded] = LoadShipped<notify::NotifyOptions>("ordermesh-notify", "notify");
  EXPECT_EQ(defaults, loaded);
}

TEST(ShippedConfig, GatewaySectionLoadsAndShowsTheDefaults) {
  auto [defaults, loaded] = LoadShipped<gateway::GatewayOptions>("ordermesh-gateway", "gateway");
  EXPECT_EQ(defaults, loaded);
}

TEST(ShippedConfig, CliSectionLoadsAndShowsTheDefaults) {
  auto [defaults, loaded] = LoadShipped<cli::CliOptions>("ordermesh", "cli");
  EXPECT_EQ(defaults, loaded);
}

}  // namespace
}  // namespace om
