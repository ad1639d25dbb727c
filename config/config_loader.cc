#include "config/config_loader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#ifndef ORDERMESH_VERSION
#error "ORDERMESH_VERSION must be defined by the build (see config/CMakeLists.txt)"
#endif

extern char** environ;

namespace om::config {

namespace internal {

enum class Type { kString, kInt, kDouble, kBool, kList };

using Target = std::variant<std::string*, int64_t*, int*, double*, bool*, std::vector<std::string>*>;
using Value = std::variant<std::string, int64_t, double, bool, std::vector<std::string>>;

struct Option {
  std::string key;                         // "payment.latency_ms"
  std::string help;
  Type type = Type::kString;
  Target target;
  std::vector<std::string> allowed{};      // kString; empty means any
  int64_t int_min = 0, int_max = 0;        // kInt
  double double_min = 0, double_max = 0;   // kDouble
  std::string env_name{};                  // "ORDERMESH_NODE_PAYMENT_LATENCY_MS"
  std::string flag_name{};                 // "--payment-latency-ms"
  CLI::Option* flag = nullptr;             // set by Bind(); owned by the app
};

// An array of tables, type-erased by ConfigLoader::AddTables.
struct TableArray {
  std::string key;                                  // "sinks"
  std::string help;
  std::string env_name;                             // only to explain a variable of this name
  std::function<void()> clear;                      // empties the target list
  std::function<void(TableKeys&)> append;           // appends a default item and binds its keys
  std::function<Status()> check_last;               // validates the item appended last
  std::function<std::vector<TableKeys>()> bind_all; // the keys of every item, for Describe
};

}  // namespace internal

namespace {

using internal::Option;
using internal::Type;
using internal::Value;

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string FormatDouble(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(d);
}

std::string FormatValue(const Value& value) {
  struct {
    std::string operator()(const std::string& s) { return s; }
    std::string operator()(int64_t i) { return std::to_string(i); }
    std::string operator()(double d) { return FormatDouble(d); }
    std::string operator()(bool b) { return b ? "true" : "false"; }
    std::string operator()(const std::vector<std::string>& l) { return Join(l, ","); }
  } format;
  return std::visit(format, value);
}

Value Load(const Option& option) {
  return std::visit([](auto* t) -> Value { return Value(*t); }, option.target);
}

// REQUIRES: value holds the option's type and passed Check().
void Store(const Option& option, Value value) {
  std::visit([&value](auto* target) {
    using T = std::remove_pointer_t<decltype(target)>;
    if constexpr (std::is_same_v<T, int>) {
      *target = static_cast<int>(std::get<int64_t>(value));  // within [min, max], which are ints
    } else {
      *target = std::get<T>(std::move(value));
    }
  }, option.target);
}

// Per Type: the placeholder shown in --help, and the problem when a value has another type.
struct TypeText {
  const char* label;
  const char* wrong_type;
};
constexpr TypeText kTypeText[] = {
    {"TEXT", "must be a string"},          {"INT", "must be an integer"},
    {"NUMBER", "must be a number"},        {"BOOL", "must be true or false"},
    {"A,B,...", "must be an array of strings"},
};
const TypeText& TextOf(Type type) { return kTypeText[static_cast<int>(type)]; }

std::string RangeProblem(const Option& option) {
  if (option.type == Type::kInt) {
    return "is out of range (" + std::to_string(option.int_min) + ".." + std::to_string(option.int_max) + ")";
  }
  return "is out of range (" + FormatDouble(option.double_min) + ".." + FormatDouble(option.double_max) + ")";
}

// Comma-separated items, trimmed; empty items are dropped.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const size_t first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    items.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
  }
  return items;
}

template <typename Number>
Result<Value> ParseNumber(const Option& option, const std::string& text) {
  Number n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc::result_out_of_range) return Status::InvalidArgument(RangeProblem(option));
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Status::InvalidArgument(TextOf(option.type).wrong_type);
  }
  return Value(n);
}

// Text from the environment or a flag.
Result<Value> ParseText(const Option& option, const std::string& text) {
  switch (option.type) {
    case Type::kString: return Value(text);
    case Type::kList: return Value(SplitList(text));
    case Type::kInt: return ParseNumber<int64_t>(option, text);
    case Type::kDouble: return ParseNumber<double>(option, text);
    case Type::kBool:
      if (text == "true" || text == "1") return Value(true);
      if (text == "false" || text == "0") return Value(false);
      return Status::InvalidArgument("must be true, false, 1 or 0");
  }
  return Status::Internal("unknown option type");
}

// A TOML value, converted to the option's type. Integers are accepted for doubles.
Result<Value> FromToml(const Option& option, const toml::node& node) {
  switch (option.type) {
    case Type::kString:
      if (auto* s = node.as_string()) return Value(s->get());
      break;
    case Type::kInt:
      if (auto* i = node.as_integer()) return Value(i->get());
      break;
    case Type::kDouble:
      if (auto* d = node.as_floating_point()) return Value(d->get());
      if (auto* i = node.as_integer()) return Value(static_cast<double>(i->get()));
      break;
    case Type::kBool:
      if (auto* b = node.as_boolean()) return Value(b->get());
      break;
    case Type::kList: {
      const toml::array* array = node.as_array();
      if (array == nullptr || !(array->empty() || array->is_homogeneous(toml::node_type::string))) break;
      std::vector<std::string> items;
      for (const toml::node& item : *array) items.push_back(item.as_string()->get());
      return Value(std::move(items));
    }
  }
  return Status::InvalidArgument(TextOf(option.type).wrong_type);
}

// OK if value is within the option's range or allowed set. Errors here and in
// ParseText/FromToml carry only the problem ("is out of range (1..5)"); the
// caller puts the key and where the value came from in front.
Status Check(const Option& option, const Value& value) {
  if (option.type == Type::kInt) {
    const int64_t i = std::get<int64_t>(value);
    if (i < option.int_min || i > option.int_max) return Status::InvalidArgument(RangeProblem(option));
  } else if (option.type == Type::kDouble) {
    const double d = std::get<double>(value);
    if (!(d >= option.double_min && d <= option.double_max)) {  // also rejects NaN
      return Status::InvalidArgument(RangeProblem(option));
    }
  } else if (option.type == Type::kString && !option.allowed.empty()) {
    const auto& s = std::get<std::string>(value);
    if (std::find(option.allowed.begin(), option.allowed.end(), s) == option.allowed.end()) {
      return Status::InvalidArgument("must be one of " + Join(option.allowed, ", "));
    }
  }
  return Status::Ok();
}

// Parses text from the environment or a flag and stores it. `where` is the
// origin as the user wrote it ("ORDERMESH_BROKER_X=5", "--x=5").
Status ApplyText(const Option& option, const std::string& text, const std::string& where) {
  Result<Value> value = ParseText(option, text);
  Status s = value.ok() ? Check(option, *value) : value.status();
  if (!s.ok()) return Status::InvalidArgument(where + ": " + option.key + " " + s.message());
  Store(option, std::move(value).value());
  return Status::Ok();
}

std::string At(const std::string& path, const toml::source_region& source) {
  if (source.begin.line == 0) return path + ": ";
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column) + ": ";
}

// A short rendering of a TOML value for messages: `-3`, `"fast"`, `[ 1, 2 ]`.
std::string TomlText(const toml::node& node) {
  if (node.is_table()) return "a table";
  std::ostringstream out;
  node.visit([&out](const auto& n) { out << n; });
  return out.str();
}

bool IsKnownSection(std::string_view name) {
  return std::find(std::begin(kSections), std::end(kSections), name) != std::end(kSections);
}

// Reads and parses a file; origin names who asked for it ("--config").
Result<toml::table> ReadToml(const std::string& path, const std::string& origin) {
  const std::string cannot = "config file '" + path + "' (from " + origin + ") cannot be read: ";
  if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(cannot + "it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string message = cannot + std::strerror(err);
    return err == ENOENT ? Status::NotFound(message) : Status::IoError(message);
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    const std::string description(e.description());
    return Status::InvalidArgument(At(path, e.source()) + "TOML syntax error: " + description);
  }
}

// Every top-level entry must be one of the programs' tables.
Status CheckTopLevel(const toml::table& root, const std::string& path) {
  const std::string known = Join({std::begin(kSections), std::end(kSections)}, ", ");
  for (auto&& [name, node] : root) {
    const std::string where = At(path, name.source());
    const std::string table(name.str());
    if (!node.is_table()) {
      const std::string problem =
          IsKnownSection(table) ? table + " must be a table" : "unknown top-level key '" + table + "'";
      return Status::InvalidArgument(where + problem);
    }
    if (!IsKnownSection(table)) {
      return Status::InvalidArgument(where + "unknown table [" + table + "]; the known tables are " + known);
    }
  }
  return Status::Ok();
}

bool IsValidKey(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

// "payment.latency_ms" -> "PAYMENT_LATENCY_MS".
std::string EnvWord(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : (c == '.' ? '_' : c);
  return s;
}

Option MakeOption(const std::string& key, std::string* target, std::string help, std::vector<std::string> allowed) {
  return {.key = key, .help = std::move(help), .type = Type::kString, .target = target, .allowed = std::move(allowed)};
}
Option MakeOption(const std::string& key, int64_t* target, std::string help, int64_t min, int64_t max) {
  return {.key = key, .help = std::move(help), .type = Type::kInt, .target = target, .int_min = min, .int_max = max};
}
Option MakeOption(const std::string& key, int* target, std::string help, int min, int max) {
  return {.key = key, .help = std::move(help), .type = Type::kInt, .target = target, .int_min = min, .int_max = max};
}
Option MakeOption(const std::string& key, double* target, std::string help, double min, double max) {
  return {.key = key, .help = std::move(help), .type = Type::kDouble, .target = target, .double_min = min,
          .double_max = max};
}
Option MakeOption(const std::string& key, bool* target, std::string help) {
  return {.key = key, .help = std::move(help), .type = Type::kBool, .target = target};
}
Option MakeOption(const std::string& key, std::vector<std::string>* target, std::string help) {
  return {.key = key, .help = std::move(help), .type = Type::kList, .target = target};
}

// Reads a TOML value into option, or says why not ("[notify] x = 3 must be a string").
Status ApplyToml(const Option& option, const toml::node& node, const std::string& path, const std::string& label) {
  Result<Value> value = FromToml(option, node);
  Status s = value.ok() ? Check(option, *value) : value.status();
  if (!s.ok()) {
    return Status::InvalidArgument(At(path, node.source()) + label + option.key.substr(option.key.rfind('.') + 1) +
                                   " = " + TomlText(node) + " " + s.message());
  }
  Store(option, std::move(value).value());
  return Status::Ok();
}

}  // namespace

TableKeys::TableKeys() = default;
TableKeys::~TableKeys() = default;
TableKeys::TableKeys(TableKeys&&) noexcept = default;
TableKeys& TableKeys::operator=(TableKeys&&) noexcept = default;

TableKeys& TableKeys::AddOption(Option option) {
  if (!IsValidKey(option.key) || option.key.find('.') != std::string::npos) {
    throw std::invalid_argument("TableKeys: malformed key '" + option.key + "' (flat keys only)");
  }
  for (const Option& other : options_) {
    if (other.key == option.key) throw std::invalid_argument("TableKeys: duplicate key '" + option.key + "'");
  }
  options_.push_back(std::move(option));
  return *this;
}

TableKeys& TableKeys::Add(const std::string& key, std::string* target, std::string help,
                          std::vector<std::string> allowed) {
  return AddOption(MakeOption(key, target, std::move(help), std::move(allowed)));
}
TableKeys& TableKeys::Add(const std::string& key, int64_t* target, std::string help, int64_t min, int64_t max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
TableKeys& TableKeys::Add(const std::string& key, int* target, std::string help, int min, int max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
TableKeys& TableKeys::Add(const std::string& key, double* target, std::string help, double min, double max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
TableKeys& TableKeys::Add(const std::string& key, bool* target, std::string help) {
  return AddOption(MakeOption(key, target, std::move(help)));
}
TableKeys& TableKeys::Add(const std::string& key, std::vector<std::string>* target, std::string help) {
  return AddOption(MakeOption(key, target, std::move(help)));
}

ConfigLoader::ConfigLoader(std::string program, std::string section)
    : program_(std::move(program)), section_(std::move(section)) {
  if (!IsKnownSection(section_)) {
    throw std::invalid_argument("ConfigLoader: unknown section '" + section_ + "'");
  }
}

ConfigLoader::~ConfigLoader() = default;

ConfigLoader& ConfigLoader::AddOption(Option option) {
  if (bound_) throw std::logic_error("ConfigLoader: Add('" + option.key + "') after Bind()");
  if (!IsValidKey(option.key)) {
    throw std::invalid_argument("ConfigLoader: malformed key '" + option.key + "'");
  }
  if (option.int_min > option.int_max || option.double_min > option.double_max) {
    throw std::invalid_argument("ConfigLoader: key '" + option.key + "' has min > max");
  }
  option.env_name = "ORDERMESH_" + EnvWord(section_) + "_" + EnvWord(option.key);
  option.flag_name = "--" + option.key;
  std::replace(option.flag_name.begin(), option.flag_name.end(), '.', '-');
  std::replace(option.flag_name.begin(), option.flag_name.end(), '_', '-');
  for (const Option& other : options_) {
    // Equal env names also means equal flag names ("a.b" and "a_b").
    if (other.env_name == option.env_name || other.key.rfind(option.key + ".", 0) == 0 ||
        option.key.rfind(other.key + ".", 0) == 0) {
      throw std::invalid_argument("ConfigLoader: key '" + option.key + "' clashes with '" + other.key + "'");
    }
  }
  options_.push_back(std::move(option));
  return *this;
}

ConfigLoader& ConfigLoader::Add(const std::string& key, std::string* target, std::string help,
                                std::vector<std::string> allowed) {
  return AddOption(MakeOption(key, target, std::move(help), std::move(allowed)));
}
ConfigLoader& ConfigLoader::Add(const std::string& key, int64_t* target, std::string help, int64_t min,
                                int64_t max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
ConfigLoader& ConfigLoader::Add(const std::string& key, int* target, std::string help, int min, int max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
ConfigLoader& ConfigLoader::Add(const std::string& key, double* target, std::string help, double min,
                                double max) {
  return AddOption(MakeOption(key, target, std::move(help), min, max));
}
ConfigLoader& ConfigLoader::Add(const std::string& key, bool* target, std::string help) {
  return AddOption(MakeOption(key, target, std::move(help)));
}
ConfigLoader& ConfigLoader::Add(const std::string& key, std::vector<std::string>* target, std::string help) {
  return AddOption(MakeOption(key, target, std::move(help)));
}

ConfigLoader& ConfigLoader::AddTableArray(const std::string& key, std::string help, std::function<void()> clear,
                                          std::function<void(TableKeys&)> append,
                                          std::function<Status()> check_last,
                                          std::function<std::vector<TableKeys>()> bind_all) {
  if (bound_) throw std::logic_error("ConfigLoader: AddTables('" + key + "') after Bind()");
  if (!IsValidKey(key)) throw std::invalid_argument("ConfigLoader: malformed key '" + key + "'");
  const std::string env_name = "ORDERMESH_" + EnvWord(section_) + "_" + EnvWord(key);
  for (const Option& other : options_) {
    if (other.env_name == env_name || other.key.rfind(key + ".", 0) == 0 || key.rfind(other.key + ".", 0) == 0) {
      throw std::invalid_argument("ConfigLoader: key '" + key + "' clashes with '" + other.key + "'");
    }
  }
  for (const internal::TableArray& other : arrays_) {
    if (other.env_name == env_name) {
      throw std::invalid_argument("ConfigLoader: key '" + key + "' clashes with '" + other.key + "'");
    }
  }
  arrays_.push_back({.key = key, .help = std::move(help), .env_name = env_name, .clear = std::move(clear),
                     .append = std::move(append), .check_last = std::move(check_last),
                     .bind_all = std::move(bind_all)});
  return *this;
}

void ConfigLoader::Bind(CLI::App& app) {
  bound_ = true;
  app.add_option("--config", config_flag_)
      ->description("TOML file with a [" + section_ + "] table (else $ORDERMESH_CONFIG)")
      ->type_name("FILE");
  app.set_version_flag("--version", program_ + " " + ORDERMESH_VERSION);
  const std::string group = "Options of [" + section_ + "] (also ORDERMESH_" + EnvWord(section_) + "_<KEY>)";
  for (Option& option : options_) {
    // No variable is bound: Finish() reads the raw strings, so flags, the
    // environment and the file share one parser and one error format.
    if (option.type == Type::kBool) {
      option.flag = app.add_flag(option.flag_name);
    } else {
      option.flag = app.add_option(option.flag_name)->type_name(TextOf(option.type).label);
    }
    option.flag->description(option.help)->default_str(FormatValue(Load(option)))->group(group);
    // Repeats: the last one wins; for lists every item counts.
    option.flag->multi_option_policy(option.type == Type::kList ? CLI::MultiOptionPolicy::TakeAll
                                                                : CLI::MultiOptionPolicy::TakeLast);
  }
}

Status ConfigLoader::Finish() {
  config_path_.clear();
  if (!config_flag_.empty()) {
    if (Status s = ApplyFile(config_flag_, "--config"); !s.ok()) return s;
  } else if (const char* env = std::getenv("ORDERMESH_CONFIG"); env != nullptr && *env != '\0') {
    if (Status s = ApplyFile(env, "ORDERMESH_CONFIG"); !s.ok()) return s;
  }
  if (Status s = ApplyEnvironment(); !s.ok()) return s;
  return ApplyFlags();
}

Status ConfigLoader::ApplyFile(const std::string& path, const std::string& origin) {
  Result<toml::table> root = ReadToml(path, origin);
  if (!root.ok()) return root.status();
  config_path_ = path;
  if (Status s = CheckTopLevel(*root, path); !s.ok()) return s;

  const toml::table* own = (*root)[section_].as_table();
  if (own == nullptr) return Status::Ok();

  // An array of tables: each item's keys are bound, applied and checked in turn.
  auto apply_array = [&](const internal::TableArray& array, const toml::node& node) -> Status {
    const std::string name = "[[" + section_ + "." + array.key + "]]";
    if (!node.is_array_of_tables()) {
      return Status::InvalidArgument(At(path, node.source()) + "[" + section_ + "] " + array.key +
                                     " must be an array of tables, written as " + name + " blocks");
    }
    array.clear();
    int number = 0;
    for (const toml::node& item : *node.as_array()) {
      const std::string label = name + " #" + std::to_string(++number) + ": ";
      TableKeys keys;
      array.append(keys);
      for (auto&& [item_name, value] : *item.as_table()) {
        const std::string key(item_name.str());
        auto it = std::find_if(keys.options_.begin(), keys.options_.end(), [&](const Option& o) { return o.key == key; });
        if (it == keys.options_.end()) {
          return Status::InvalidArgument(At(path, item_name.source()) + label + "unknown key '" + key + "'");
        }
        if (Status s = ApplyToml(*it, value, path, label); !s.ok()) return s;
      }
      if (Status s = array.check_last(); !s.ok()) {
        return Status::InvalidArgument(At(path, item.source()) + label + s.message());
      }
    }
    return Status::Ok();
  };

  // Walks [section] and its sub-tables; prefix is "" or "payment.".
  auto walk = [&](auto& self, const toml::table& table, const std::string& prefix) -> Status {
    const std::string label =
        "[" + section_ + (prefix.empty() ? "" : "." + prefix.substr(0, prefix.size() - 1)) + "] ";
    for (auto&& [name, node] : table) {
      const std::string leaf(name.str());
      const std::string key = prefix + leaf;
      if (const Option* option = FindOption(key)) {
        if (Status s = ApplyToml(*option, node, path, label); !s.ok()) return s;
      } else if (const internal::TableArray* array = FindTableArray(key)) {
        if (Status s = apply_array(*array, node); !s.ok()) return s;
      } else if (IsTablePrefix(key)) {
        if (!node.is_table()) {
          return Status::InvalidArgument(At(path, name.source()) + label + leaf + " must be a table");
        }
        if (Status s = self(self, *node.as_table(), key + "."); !s.ok()) return s;
      } else {
        return Status::InvalidArgument(At(path, name.source()) + label + "unknown key '" + leaf + "'");
      }
    }
    return Status::Ok();
  };
  return walk(walk, *own, "");
}

Status ConfigLoader::ApplyEnvironment() {
  // A variable with our prefix that matches no key is a typo, not a no-op.
  const std::string prefix = "ORDERMESH_" + EnvWord(section_) + "_";
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view var(*entry);
    const std::string name(var.substr(0, var.find('=')));
    if (name.rfind(prefix, 0) != 0) continue;
    const bool known = std::any_of(options_.begin(), options_.end(),
                                   [&](const Option& o) { return o.env_name == name; });
    for (const internal::TableArray& array : arrays_) {
      if (array.env_name == name) {
        return Status::InvalidArgument(name + ": " + array.key + " is an array of tables; set it in the config file as [[" +
                                       section_ + "." + array.key + "]] blocks");
      }
    }
    if (!known) return Status::InvalidArgument(name + ": no [" + section_ + "] key has this variable name");
  }
  for (const Option& option : options_) {
    const char* text = std::getenv(option.env_name.c_str());
    if (text == nullptr) continue;
    if (Status s = ApplyText(option, text, option.env_name + "=" + text); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ConfigLoader::ApplyFlags() {
  for (const Option& option : options_) {
    if (option.flag == nullptr || option.flag->count() == 0) continue;
    const std::vector<std::string>& results = option.flag->results();
    std::string text = option.type == Type::kList ? Join(results, ",") : results.back();
    if (Status s = ApplyText(option, text, option.flag_name + "=" + text); !s.ok()) return s;
  }
  return Status::Ok();
}

const Option* ConfigLoader::FindOption(const std::string& key) const {
  for (const Option& option : options_) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

const internal::TableArray* ConfigLoader::FindTableArray(const std::string& key) const {
  for (const internal::TableArray& array : arrays_) {
    if (array.key == key) return &array;
  }
  return nullptr;
}

bool ConfigLoader::IsTablePrefix(const std::string& key) const {
  return std::any_of(options_.begin(), options_.end(),
                     [&](const Option& o) { return o.key.rfind(key + ".", 0) == 0; });
}

std::string ConfigLoader::Describe() const {
  std::string out;
  for (const Option& option : options_) {
    if (!out.empty()) out += '\n';
    out += option.key + "=" + FormatValue(Load(option));
  }
  for (const internal::TableArray& array : arrays_) {
    std::vector<TableKeys> items = array.bind_all();
    for (size_t i = 0; i < items.size(); ++i) {
      for (const Option& option : items[i].options_) {
        if (!out.empty()) out += '\n';
        out += array.key + "[" + std::to_string(i) + "]." + option.key + "=" + FormatValue(Load(option));
      }
    }
  }
  return out;
}

}  // namespace om::config
