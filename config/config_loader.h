// ConfigLoader: the one loader that fills every ordermesh program's options.
//
// A program registers each option with Add(); the target variable holds the
// built-in default on entry. Finish() then overrides it, lowest precedence
// first, from:
//   1. the deployment's TOML file, table [<section>] (dotted keys live in
//      sub-tables: key "payment.latency_ms" is `latency_ms` in [node.payment]);
//   2. the environment, ORDERMESH_<SECTION>_<KEY> with the key upper-cased and
//      '.' turned into '_' (ORDERMESH_NODE_PAYMENT_LATENCY_MS);
//   3. the command line, --<key> with '.' and '_' turned into '-'
//      (--payment-latency-ms).
// The file is named by --config, else by $ORDERMESH_CONFIG, else there is none.
//
// Rejected, with a message naming the key and where the value came from:
// an unknown key in the program's own table or its sub-tables, an unknown
// top-level table, an ORDERMESH_<SECTION>_* variable that matches no key, a
// wrong type, a number out of range, a string not in `allowed`, and a TOML
// syntax error (file:line:column). Tables of the other programs are not
// checked here; their own programs check them.
//
// Arrays of tables (AddTables) are read from the file only: `[[notify.sinks]]`
// blocks, each a table of flat keys registered per item, with the same type,
// range, allowed-value and unknown-key checks (messages name the item:
// "[[notify.sinks]] #2"). The file's array replaces the built-in default list.
// They have no environment variable or flag; the program may add its own
// shortcut flags (e.g. ordermesh-notify --file PATH).
//
// Text values (environment and flags) are parsed per option type: integers
// and doubles in decimal, bools as true/false/1/0, lists of strings as
// comma-separated items (spaces around items trimmed, empty items dropped).
//
// Usage:
//   ConfigLoader loader("ordermesh-broker", "broker");
//   loader.Add("max_backlog", &opts.max_backlog, "orders held before 429", 1, 100'000'000);
//   CLI::App app{"ordermesh broker"};
//   loader.Bind(app);
//   CLI11_PARSE(app, argc, argv);
//   if (Status s = loader.Finish(); !s.ok()) { /* print s.message(), exit 2 */ }
//
// Ownership: targets and the CLI::App are owned by the caller and must
// outlive Finish(). Thread-safety: none; use from the start-up thread only.
// Programming errors (a duplicate or malformed key, an unknown section, a flag
// that clashes with one the program added) throw at Add()/Bind() time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace om::config {

namespace internal {
struct Option;      // one registered key; defined in config_loader.cc
struct TableArray;  // one registered array of tables; defined in config_loader.cc
}  // namespace internal

// The keys of one table in an array of tables (see ConfigLoader::AddTables),
// bound to one item. Same Add overloads as ConfigLoader; keys are flat
// ([a-z0-9_], no '.'). Built by the loader; programs only call Add.
class TableKeys {
 public:
  TableKeys();
  ~TableKeys();
  TableKeys(TableKeys&&) noexcept;
  TableKeys& operator=(TableKeys&&) noexcept;

  TableKeys& Add(const std::string& key, std::string* target, std::string help,
                 std::vector<std::string> allowed = {});
  TableKeys& Add(const std::string& key, int64_t* target, std::string help, int64_t min, int64_t max);
  TableKeys& Add(const std::string& key, int* target, std::string help, int min, int max);
  TableKeys& Add(const std::string& key, double* target, std::string help, double min, double max);
  TableKeys& Add(const std::string& key, bool* target, std::string help);
  TableKeys& Add(const std::string& key, std::vector<std::string>* target, std::string help);

 private:
  friend class ConfigLoader;
  TableKeys& AddOption(internal::Option option);
  std::vector<internal::Option> options_;
};

// The top-level tables a deployment file may hold, one per program.
inline constexpr const char* kSections[] = {"broker", "node", "notify", "gateway", "cli", "bench"};

class ConfigLoader {
 public:
  // program: the binary's name, e.g. "ordermesh-broker" (used by --version).
  // section: its TOML table, e.g. "broker"; must be one of kSections.
  ConfigLoader(std::string program, std::string section);
  ~ConfigLoader();

  ConfigLoader(const ConfigLoader&) = delete;
  ConfigLoader& operator=(const ConfigLoader&) = delete;

  // Each Add registers one option; *target holds the built-in default on entry
  // and the final value after Finish(). Keys are lower-case [a-z0-9_] words
  // joined by '.'. REQUIRES: called before Bind().
  ConfigLoader& Add(const std::string& key, std::string* target, std::string help,
                    std::vector<std::string> allowed = {});
  ConfigLoader& Add(const std::string& key, int64_t* target, std::string help, int64_t min, int64_t max);
  ConfigLoader& Add(const std::string& key, int* target, std::string help, int min, int max);
  ConfigLoader& Add(const std::string& key, double* target, std::string help, double min, double max);
  ConfigLoader& Add(const std::string& key, bool* target, std::string help);
  ConfigLoader& Add(const std::string& key, std::vector<std::string>* target, std::string help);

  // Registers an array of tables `[[<section>.<key>]]` filling *target (which
  // holds the built-in default list on entry). For each table in the file the
  // loader appends a default-constructed T, calls keys(k, item) to bind that
  // item's keys, applies the table, then runs check(item) if given: its error
  // message is reported with the file, line and item number in front. Item
  // references stay valid only during keys() and check().
  // REQUIRES: called before Bind(); T is default-constructible.
  template <typename T>
  ConfigLoader& AddTables(const std::string& key, std::vector<T>* target, std::string help,
                          std::function<void(TableKeys&, T&)> keys, std::function<Status(const T&)> check = {}) {
    return AddTableArray(
        key, std::move(help), [target] { target->clear(); },
        [target, keys](TableKeys& k) { keys(k, target->emplace_back()); },
        [target, check] { return check ? check(target->back()) : Status::Ok(); },
        [target, keys] {
          std::vector<TableKeys> items;
          for (T& item : *target) keys(items.emplace_back(), item);
          return items;
        });
  }

  // Adds --config FILE, --version and one flag per key to app, with the help
  // text and the default shown in --help. Bool keys are flags: --key or
  // --key=false. Throws CLI::OptionAlreadyAdded if a name clashes with an
  // option the program added. The program may add its own options and
  // subcommands before or after; the loader's flags belong to the top-level
  // app, so they go before a subcommand's name unless the program calls
  // app.fallthrough(). REQUIRES: app outlives Finish().
  void Bind(CLI::App& app);

  // Applies the file, then the environment, then the flags that were given.
  // Returns the first error; the targets are then partly updated and the
  // program should exit. REQUIRES: app.parse(...) succeeded, if Bind was called.
  [[nodiscard]] Status Finish();

  // Path of the file that was read, or "" when none.
  const std::string& config_path() const { return config_path_; }

  // "key=value" for every option, one per line, in Add order; then
  // "key[i].item_key=value" for every item of every array of tables.
  std::string Describe() const;

 private:
  ConfigLoader& AddOption(internal::Option option);
  ConfigLoader& AddTableArray(const std::string& key, std::string help, std::function<void()> clear,
                              std::function<void(TableKeys&)> append, std::function<Status()> check_last,
                              std::function<std::vector<TableKeys>()> bind_all);
  const internal::Option* FindOption(const std::string& key) const;
  const internal::TableArray* FindTableArray(const std::string& key) const;
  // True if some key lies below `key` ("payment" for "payment.latency_ms").
  bool IsTablePrefix(const std::string& key) const;

  // origin says who named the file ("--config", "ORDERMESH_CONFIG").
  Status ApplyFile(const std::string& path, const std::string& origin);
  Status ApplyEnvironment();
  Status ApplyFlags();

  const std::string program_;
  const std::string section_;
  std::vector<internal::Option> options_;  // in Add order
  std::vector<internal::TableArray> arrays_;  // in AddTables order
  std::string config_flag_;  // --config, filled by the app
  std::string config_path_;
  bool bound_ = false;
};

}  // namespace om::config
