#include "config/config_loader.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

extern char** environ;

namespace om::config {
namespace {

testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

// Built-in defaults of a made-up node program.
struct NodeOptions {
  std::string name = "node-1";
  int max_inflight = 16;
  int64_t latency_ms = 5;
  double failure_rate = 0.25;
  std::string durability = "sync";
  bool verbose = false;
  std::vector<std::string> peers = {"a"};
};

class ConfigLoaderTest : public testing::Test {
 protected:
  void SetUp() override {
    ClearEnvironment();
    std::string pattern = (std::filesystem::temp_directory_path() / "config_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    ClearEnvironment();
    std::filesystem::remove_all(dir_);
  }

  // Unsets every ORDERMESH_* variable, so tests neither see nor leak any.
  static void ClearEnvironment() {
    std::vector<std::string> names;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry(*e);
      if (entry.rfind("ORDERMESH_", 0) == 0) names.push_back(entry.substr(0, entry.find('=')));
    }
    for (const auto& name : names) unsetenv(name.c_str());
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // Registers opts_ on a fresh loader and app, parses args, and finishes.
  Status Load(std::vector<std::string> args = {}) {
    loader_ = std::make_unique<ConfigLoader>("ordermesh-node", "node");
    loader_->Add("name", &opts_.name, "node name")
        .Add("max_inflight", &opts_.max_inflight, "orders in flight", 1, 1000)
        .Add("payment.latency_ms", &opts_.latency_ms, "simulated latency", 0, 60000)
        .Add("payment.failure_rate", &opts_.failure_rate, "share of payments that fail", 0.0, 1.0)
        .Add("durability", &opts_.durability, "how results are written", {"sync", "async"})
        .Add("verbose", &opts_.verbose, "log every order")
        .Add("peers", &opts_.peers, "peer endpoints");
    app_ = std::make_unique<CLI::App>("test");
    loader_->Bind(*app_);
    args.insert(args.begin(), "ordermesh-node");
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    app_->parse(static_cast<int>(argv.size()), argv.data());
    return loader_->Finish();
  }

  // Loads with `text` as the --config file and returns the error message ("" if OK).
  std::string LoadFileError(const std::string& text) {
    Status s = Load({"--config", Write("ordermesh.toml", text)});
    return s.ok() ? "" : s.message();
  }

  std::string dir_;
  NodeOptions opts_;
  std::unique_ptr<ConfigLoader> loader_;
  std::unique_ptr<CLI::App> app_;
};

TEST_F(ConfigLoaderTest, KeepsDefaultsWhenNothingIsGiven) {
  ASSERT_TRUE(Load().ok());
  const NodeOptions defaults;
  EXPECT_EQ(opts_.name, defaults.name);
  EXPECT_EQ(opts_.max_inflight, defaults.max_inflight);
  EXPECT_EQ(opts_.latency_ms, defaults.latency_ms);
  EXPECT_EQ(opts_.failure_rate, defaults.failure_rate);
  EXPECT_EQ(opts_.durability, defaults.durability);
  EXPECT_EQ(opts_.verbose, defaults.verbose);
  EXPECT_EQ(opts_.peers, defaults.peers);
  EXPECT_EQ(loader_->config_path(), "");
}

TEST_F(ConfigLoaderTest, FileOverridesDefault) {
  const std::string path = Write("a.toml", "[node]\nmax_inflight = 32\nverbose = true\n");
  ASSERT_TRUE(Load({"--config", path}).ok());
  EXPECT_EQ(opts_.max_inflight, 32);
  EXPECT_TRUE(opts_.verbose);
  EXPECT_EQ(opts_.name, "node-1");
  EXPECT_EQ(loader_->config_path(), path);
}

TEST_F(ConfigLoaderTest, FileNamedByEnvironmentWhenFlagAbsent) {
  const std::string path = Write("a.toml", "[node]\nmax_inflight = 32\n");
  setenv("ORDERMESH_CONFIG", path.c_str(), 1);
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(opts_.max_inflight, 32);
  EXPECT_EQ(loader_->config_path(), path);
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesFile) {
  setenv("ORDERMESH_NODE_MAX_INFLIGHT", "64", 1);
  ASSERT_TRUE(Load({"--config", Write("a.toml", "[node]\nmax_inflight = 32\n")}).ok());
  EXPECT_EQ(opts_.max_inflight, 64);
}

TEST_F(ConfigLoaderTest, FlagOverridesEnvironment) {
  setenv("ORDERMESH_NODE_MAX_INFLIGHT", "64", 1);
  ASSERT_TRUE(Load({"--max-inflight", "128"}).ok());
  EXPECT_EQ(opts_.max_inflight, 128);
}

TEST_F(ConfigLoaderTest, SubTableKeyReadFromFile) {
  ASSERT_TRUE(Load({"--config", Write("a.toml", "[node.payment]\nlatency_ms = 40\n")}).ok());
  EXPECT_EQ(opts_.latency_ms, 40);
}

TEST_F(ConfigLoaderTest, SubTableKeyReadFromEnvironment) {
  setenv("ORDERMESH_NODE_PAYMENT_LATENCY_MS", "41", 1);
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(opts_.latency_ms, 41);
}

TEST_F(ConfigLoaderTest, SubTableKeyReadFromFlag) {
  ASSERT_TRUE(Load({"--payment-latency-ms=42"}).ok());
  EXPECT_EQ(opts_.latency_ms, 42);
}

TEST_F(ConfigLoaderTest, UnknownKeyInOwnSectionNamesKeyFileAndLine) {
  const std::string error = LoadFileError("[node]\nmax_inflight = 3\nmax_inflght = 4\n");
  EXPECT_TRUE(Contains(error, dir_ + "/ordermesh.toml:3:1: [node] unknown key 'max_inflght'"));
}

TEST_F(ConfigLoaderTest, UnknownKeyInOwnSubTableIsError) {
  const std::string error = LoadFileError("[node.payment]\nlatency = 4\n");
  EXPECT_TRUE(Contains(error, "ordermesh.toml:2:1: [node.payment] unknown key 'latency'"));
}

TEST_F(ConfigLoaderTest, UnknownTopLevelTableIsError) {
  const std::string error = LoadFileError("[node]\nmax_inflight = 3\n\n[brokr]\nport = 1\n");
  EXPECT_TRUE(Contains(error, "ordermesh.toml:4:"));
  EXPECT_TRUE(Contains(error, "unknown table [brokr]"));
}

TEST_F(ConfigLoaderTest, OtherProgramsSectionsAreIgnored) {
  const std::string error =
      LoadFileError("[broker]\nanything = 1\n[gateway.http]\nport = \"x\"\n[node]\nmax_inflight = 3\n");
  EXPECT_EQ(error, "");
  EXPECT_EQ(opts_.max_inflight, 3);
}

TEST_F(ConfigLoaderTest, WrongTypeInFileNamesKey) {
  const std::string error = LoadFileError("[node]\nmax_inflight = \"lots\"\n");
  EXPECT_TRUE(Contains(error, "ordermesh.toml:2:16: [node] max_inflight = 'lots' must be an integer"));
}

TEST_F(ConfigLoaderTest, WrongTypeInEnvironmentNamesVariableAndKey) {
  setenv("ORDERMESH_NODE_MAX_INFLIGHT", "lots", 1);
  Status s = Load();
  EXPECT_EQ(s.message(), "ORDERMESH_NODE_MAX_INFLIGHT=lots: max_inflight must be an integer");
}

TEST_F(ConfigLoaderTest, OutOfRangeInFileNamesKeyAndRange) {
  const std::string error = LoadFileError("[node]\nmax_inflight = -3\n");
  EXPECT_TRUE(Contains(error, "[node] max_inflight = -3 is out of range (1..1000)"));
}

TEST_F(ConfigLoaderTest, OutOfRangeFlagNamesFlagAndRange) {
  Status s = Load({"--payment-failure-rate", "1.5"});
  EXPECT_EQ(s.message(), "--payment-failure-rate=1.5: payment.failure_rate is out of range (0..1)");
}

TEST_F(ConfigLoaderTest, StringNotAllowedListsAllowedValues) {
  setenv("ORDERMESH_NODE_DURABILITY", "fast", 1);
  Status s = Load();
  EXPECT_EQ(s.message(), "ORDERMESH_NODE_DURABILITY=fast: durability must be one of sync, async");
}

TEST_F(ConfigLoaderTest, TomlSyntaxErrorNamesFileLineAndColumn) {
  const std::string error = LoadFileError("[node]\nmax_inflight = 3\nname = \"unterminated\n");
  EXPECT_TRUE(Contains(error, dir_ + "/ordermesh.toml:3:"));
  EXPECT_TRUE(Contains(error, "TOML syntax error"));
}

TEST_F(ConfigLoaderTest, MissingConfigFileIsClearError) {
  Status s = Load({"--config", dir_ + "/absent.toml"});
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_TRUE(Contains(s.message(), "config file '" + dir_ + "/absent.toml' (from --config) cannot be read"));
}

TEST_F(ConfigLoaderTest, IntegerInFileAcceptedForDouble) {
  ASSERT_TRUE(Load({"--config", Write("a.toml", "[node.payment]\nfailure_rate = 1\n")}).ok());
  EXPECT_EQ(opts_.failure_rate, 1.0);
}

TEST_F(ConfigLoaderTest, ListOfStringsFromFile) {
  ASSERT_TRUE(Load({"--config", Write("a.toml", "[node]\npeers = [\"tcp://x:1\", \"tcp://y:2\"]\n")}).ok());
  EXPECT_EQ(opts_.peers, (std::vector<std::string>{"tcp://x:1", "tcp://y:2"}));
}

TEST_F(ConfigLoaderTest, ListOfStringsFromEnvironmentIsCommaSeparated) {
  setenv("ORDERMESH_NODE_PEERS", "tcp://x:1, tcp://y:2", 1);
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(opts_.peers, (std::vector<std::string>{"tcp://x:1", "tcp://y:2"}));
}

TEST_F(ConfigLoaderTest, ListOfStringsFromRepeatedFlags) {
  ASSERT_TRUE(Load({"--peers", "p,q", "--peers", "r"}).ok());
  EXPECT_EQ(opts_.peers, (std::vector<std::string>{"p", "q", "r"}));
}

TEST_F(ConfigLoaderTest, ArrayOfNumbersIsNotAListOfStrings) {
  const std::string error = LoadFileError("[node]\npeers = [1, 2]\n");
  EXPECT_TRUE(Contains(error, "[node] peers = [ 1, 2 ] must be an array of strings"));
}

TEST_F(ConfigLoaderTest, BoolFromEnvironmentAcceptsOneAndZeroOnly) {
  setenv("ORDERMESH_NODE_VERBOSE", "1", 1);
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(opts_.verbose);
  setenv("ORDERMESH_NODE_VERBOSE", "yes", 1);
  EXPECT_EQ(Load().message(), "ORDERMESH_NODE_VERBOSE=yes: verbose must be true, false, 1 or 0");
}

TEST_F(ConfigLoaderTest, BoolFlagWithoutValueSetsTrueAndTakesExplicitFalse) {
  ASSERT_TRUE(Load({"--verbose"}).ok());
  EXPECT_TRUE(opts_.verbose);
  setenv("ORDERMESH_NODE_VERBOSE", "true", 1);
  ASSERT_TRUE(Load({"--verbose=false"}).ok());
  EXPECT_FALSE(opts_.verbose);
}

TEST_F(ConfigLoaderTest, UnknownVariableWithOwnPrefixIsError) {
  setenv("ORDERMESH_NODE_MAX_INFLGHT", "3", 1);
  EXPECT_TRUE(Contains(Load().message(), "ORDERMESH_NODE_MAX_INFLGHT"));
}

TEST_F(ConfigLoaderTest, SubTableGivenAsScalarIsError) {
  EXPECT_TRUE(Contains(LoadFileError("[node]\npayment = 5\n"), "[node] payment must be a table"));
}

TEST_F(ConfigLoaderTest, VersionFlagPrintsProgramAndVersion) {
  try {
    (void)Load({"--version"});
    FAIL() << "--version did not stop parsing";
  } catch (const CLI::CallForVersion& e) {
    EXPECT_EQ(std::string(e.what()), std::string("ordermesh-node ") + ORDERMESH_VERSION);
  }
}

TEST_F(ConfigLoaderTest, HelpShowsFlagsWithDefaults) {
  ASSERT_TRUE(Load().ok());
  const std::string help = app_->help();
  EXPECT_TRUE(Contains(help, "--payment-latency-ms INT=5"));
  EXPECT_TRUE(Contains(help, "simulated latency"));
  EXPECT_TRUE(Contains(help, "--config"));
  EXPECT_TRUE(Contains(help, "--version"));
}

TEST_F(ConfigLoaderTest, ProgramOptionsLiveBesideLoaderFlags) {
  ConfigLoader loader("ordermesh-node", "node");
  int inflight = 1;
  loader.Add("max_inflight", &inflight, "orders in flight", 1, 1000);
  CLI::App app;
  std::string mode;
  app.add_option("--mode", mode);
  loader.Bind(app);
  app.parse("--mode fast --max-inflight 7", false);
  ASSERT_TRUE(loader.Finish().ok());
  EXPECT_EQ(mode, "fast");
  EXPECT_EQ(inflight, 7);
  EXPECT_THROW(app.add_option("--max-inflight"), CLI::OptionAlreadyAdded);
}

TEST_F(ConfigLoaderTest, DescribeListsEveryKeyInAddOrder) {
  ASSERT_TRUE(Load({"--max-inflight", "9"}).ok());
  EXPECT_EQ(loader_->Describe(),
            "name=node-1\nmax_inflight=9\npayment.latency_ms=5\npayment.failure_rate=0.25\n"
            "durability=sync\nverbose=false\npeers=a");
}

// Arrays of tables: [[notify.sinks]] items of a made-up notifier.
struct Sink {
  std::string type = "stdout";
  std::string path;
  int64_t timeout_ms = 2000;
  std::vector<std::string> topics;
};

class TableArrayTest : public ConfigLoaderTest {
 protected:
  Status LoadSinks(const std::string& text, std::vector<std::string> args = {}) {
    loader_ = std::make_unique<ConfigLoader>("ordermesh-notify", "notify");
    loader_->Add("name", &name_, "a scalar beside the array");
    loader_->AddTables<Sink>(
        "sinks", &sinks_, "where events go",
        [](TableKeys& k, Sink& s) {
          k.Add("type", &s.type, "sink kind", {"stdout", "file"})
              .Add("path", &s.path, "file path")
              .Add("timeout_ms", &s.timeout_ms, "timeout", 1, 60'000)
              .Add("topics", &s.topics, "topic prefixes");
        },
        [](const Sink& s) {
          if (s.type == "file" && s.path.empty()) return Status::InvalidArgument("a file sink needs path");
          return Status::Ok();
        });
    app_ = std::make_unique<CLI::App>("test");
    loader_->Bind(*app_);
    if (!text.empty()) {
      args.push_back("--config");
      args.push_back(Write("sinks.toml", text));
    }
    args.insert(args.begin(), "ordermesh-notify");
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    app_->parse(static_cast<int>(argv.size()), argv.data());
    return loader_->Finish();
  }
  std::string SinksError(const std::string& text) {
    Status s = LoadSinks(text);
    return s.ok() ? "" : s.message();
  }

  std::string name_ = "n";
  std::vector<Sink> sinks_ = {Sink{}};  // built-in default: one stdout sink
};

TEST_F(TableArrayTest, KeepsTheDefaultListWithoutTheKey) {
  ASSERT_TRUE(LoadSinks("[notify]\nname = \"x\"\n").ok());
  ASSERT_EQ(sinks_.size(), 1u);
  EXPECT_EQ(sinks_[0].type, "stdout");
  EXPECT_EQ(name_, "x");
}

TEST_F(TableArrayTest, FileItemsReplaceTheDefaultListInOrderWithItemDefaults) {
  Status s = LoadSinks(
      "[notify]\nname = \"x\"\n"
      "[[notify.sinks]]\ntype = \"file\"\npath = \"/tmp/a\"\ntopics = [\"order.failed\"]\n"
      "[[notify.sinks]]\ntimeout_ms = 7\n");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sinks_.size(), 2u);
  EXPECT_EQ(sinks_[0].type, "file");
  EXPECT_EQ(sinks_[0].path, "/tmp/a");
  EXPECT_EQ(sinks_[0].timeout_ms, 2000);
  EXPECT_EQ(sinks_[0].topics, std::vector<std::string>{"order.failed"});
  EXPECT_EQ(sinks_[1].type, "stdout");
  EXPECT_EQ(sinks_[1].timeout_ms, 7);
  EXPECT_EQ(name_, "x");
}

TEST_F(TableArrayTest, UnknownKeyInAnItemNamesKeyItemFileAndLine) {
  const std::string e = SinksError("[[notify.sinks]]\ntype = \"file\"\npath = \"/a\"\n[[notify.sinks]]\nurll = \"x\"\n");
  EXPECT_TRUE(Contains(e, "sinks.toml:5:1: [[notify.sinks]] #2: unknown key 'urll'"));
}

TEST_F(TableArrayTest, WrongTypeOutOfRangeAndNotAllowedNameTheItemKey) {
  EXPECT_TRUE(Contains(SinksError("[[notify.sinks]]\ntimeout_ms = \"slow\"\n"),
                       "[[notify.sinks]] #1: timeout_ms = 'slow' must be an integer"));
  EXPECT_TRUE(Contains(SinksError("[[notify.sinks]]\ntimeout_ms = 0\n"),
                       "[[notify.sinks]] #1: timeout_ms = 0 is out of range (1..60000)"));
  EXPECT_TRUE(Contains(SinksError("[[notify.sinks]]\ntype = \"pager\"\n"),
                       "[[notify.sinks]] #1: type = 'pager' must be one of stdout, file"));
}

TEST_F(TableArrayTest, ItemCheckFailureNamesTheItemAndFile) {
  const std::string e = SinksError("[[notify.sinks]]\ntype = \"stdout\"\n[[notify.sinks]]\ntype = \"file\"\n");
  EXPECT_TRUE(Contains(e, "sinks.toml:"));
  EXPECT_TRUE(Contains(e, "[[notify.sinks]] #2: a file sink needs path"));
}

TEST_F(TableArrayTest, PlainTableOrScalarIsNotAnArrayOfTables) {
  EXPECT_TRUE(Contains(SinksError("[notify]\nsinks = \"stdout\"\n"),
                       "[notify] sinks must be an array of tables, written as [[notify.sinks]] blocks"));
  EXPECT_TRUE(Contains(SinksError("[notify.sinks]\ntype = \"file\"\n"), "must be an array of tables"));
}

TEST_F(TableArrayTest, EnvironmentVariableForTheArrayExplainsWhereToSetIt) {
  setenv("ORDERMESH_NOTIFY_SINKS", "file", 1);
  Status s = LoadSinks("");
  EXPECT_TRUE(Contains(s.message(), "ORDERMESH_NOTIFY_SINKS: sinks is an array of tables"));
}

TEST_F(TableArrayTest, DescribeListsEveryItemKey) {
  ASSERT_TRUE(LoadSinks("[[notify.sinks]]\ntype = \"file\"\npath = \"/a\"\n").ok());
  EXPECT_EQ(loader_->Describe(), "name=n\nsinks[0].type=file\nsinks[0].path=/a\nsinks[0].timeout_ms=2000\nsinks[0].topics=");
}

TEST(TableKeys, RejectsDottedAndDuplicateKeys) {
  std::string a, b;
  TableKeys k;
  EXPECT_THROW(k.Add("a.b", &a, ""), std::invalid_argument);
  k.Add("a", &a, "");
  EXPECT_THROW(k.Add("a", &b, ""), std::invalid_argument);
}

}  // namespace
}  // namespace om::config
