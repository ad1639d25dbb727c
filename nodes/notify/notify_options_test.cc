#include "nodes/notify/notify_options.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <fstream>

#include "config/config_loader.h"
#include "nodes/notify/sink_test_util.h"

namespace om::notify {
namespace {

class NotifyOptionsTest : public testing::TempDirTest {
 protected:
  Status Load(const std::string& toml) {
    const std::string path = Path("n.toml");
    std::ofstream(path) << toml;
    config::ConfigLoader loader("ordermesh-notify", "notify");
    RegisterOptions(loader, options_);
    CLI::App app;
    loader.Bind(app);
    std::vector<std::string> args = {path, "--config"};
    app.parse(args);
    return loader.Finish();
  }
  NotifyOptions options_;
};

TEST_F(NotifyOptionsTest, SinksAndStateFileLoadFromTheFile) {
  Status s = Load(R"(
[notify]
state_file = "/tmp/s.json"
[[notify.sinks]]
type = "webhook"
url = "http://127.0.0.1:9000/hook"
topics = ["order.failed", "order.dead_lettered"]
timeout_ms = 300
max_attempts = 3
[[notify.sinks]]
type = "file"
path = "/tmp/all.jsonl"
)");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(options_.state_file, "/tmp/s.json");
  ASSERT_EQ(options_.sinks.size(), 2u);
  EXPECT_EQ(options_.sinks[0].url, "http://127.0.0.1:9000/hook");
  EXPECT_EQ(options_.sinks[0].timeout_ms, 300);
  EXPECT_EQ(options_.sinks[0].max_attempts, 3);
  EXPECT_EQ(options_.sinks[0].topics, (std::vector<std::string>{"order.failed", "order.dead_lettered"}));
  EXPECT_EQ(options_.sinks[1].path, "/tmp/all.jsonl");
  EXPECT_TRUE(CheckSinks(options_.sinks).ok());
}

TEST_F(NotifyOptionsTest, SinkRulesNameTheKeyAndTheItem) {
  auto error = [&](const std::string& toml) { return Load(toml).message(); };
  EXPECT_NE(error("[[notify.sinks]]\ntype = \"file\"\n").find("[[notify.sinks]] #1: a file sink needs path"),
            std::string::npos);
  EXPECT_NE(error("[[notify.sinks]]\ntype = \"webhook\"\nurl = \"https://x/h\"\n").find("https is not supported"),
            std::string::npos);
  EXPECT_NE(error("[[notify.sinks]]\ntype = \"file\"\npath = \"/a\"\nurl = \"http://x/\"\n").find("url is for webhook sinks"),
            std::string::npos);
  EXPECT_NE(error("[[notify.sinks]]\ntype = \"stdout\"\nmax_attempts = 2\n").find("max_attempts is for webhook sinks"),
            std::string::npos);
  EXPECT_NE(error("[[notify.sinks]]\ntype = \"stdout\"\npat = \"/a\"\n").find("unknown key 'pat'"), std::string::npos);
}

TEST(CheckSinks, TwoSinksMayNotShareAFile) {
  SinkOptions a{.type = "file", .path = "/x"};
  SinkOptions hook{.type = "webhook", .url = "http://127.0.0.1:1/", .dead_letter_file = "/x"};
  Status s = CheckSinks({a, hook});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("sink #2's dead_letter_file /x is also sink #1's path /x"), std::string::npos) << s.message();
  EXPECT_FALSE(CheckSinks({SinkOptions{}, SinkOptions{}}).ok()) << "two stdout sinks";
}

}  // namespace
}  // namespace om::notify
