// Test helper: a strict reader of the Prometheus text exposition format
// (0.0.4), enough to prove that /metrics is well formed: HELP/TYPE comments
// before their samples, one TYPE per family, metric and label names legal,
// label values quoted and escaped, values numeric, histogram buckets
// cumulative and ending in +Inf equal to _count. Header-only; tests only.
#pragma once

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace om::gateway::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// [a-zA-Z_:][a-zA-Z0-9_:]*
inline bool IsMetricName(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Parses text into samples; "" on success, else the first problem with its line.
inline std::string ParsePrometheusText(const std::string& text, std::vector<PromSample>* samples) {
  static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};
  std::map<std::string, std::string> types;
  std::set<std::string> typed_families;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  if (text.empty() || text.back() != '\n') return "the text must end with a newline";
  while (std::getline(in, line)) {
    ++n;
    auto where = [&] { return "line " + std::to_string(n) + ": " + line; };
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0) {
      size_t space = line.find(' ', 7);
      if (space == std::string::npos || !IsMetricName(line.substr(7, space - 7))) return "bad HELP at " + where();
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      size_t space = line.find(' ', 7);
      std::string family = space == std::string::npos ? "" : line.substr(7, space - 7);
      std::string type = space == std::string::npos ? "" : line.substr(space + 1);
      if (!IsMetricName(family) || !kTypes.count(type)) return "bad TYPE at " + where();
      if (!typed_families.insert(family).second) return "second TYPE for a family at " + where();
      types[family] = type;
      continue;
    }
    if (line[0] == '#') continue;
    PromSample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!IsMetricName(s.name)) return "bad metric name at " + where();
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t eq = line.find('=', i);
        if (eq == std::string::npos) return "bad label at " + where();
        std::string label = line.substr(i, eq - i);
        if (!IsMetricName(label) || label.find(':') != std::string::npos) return "bad label name at " + where();
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return "unquoted label value at " + where();
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            if (++j >= line.size()) return "bad escape at " + where();
            char c = line[j];
            if (c != '\\' && c != '"' && c != 'n') return "bad escape at " + where();
            value += c == 'n' ? '\n' : c;
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) return "unterminated label value at " + where();
        s.labels[label] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return "unterminated labels at " + where();
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return "no value at " + where();
    std::string value = line.substr(i + 1);
    char* end = nullptr;
    s.value = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') {
      if (value != "+Inf" && value != "-Inf" && value != "NaN") return "bad value at " + where();
    }
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string sfx = suffix;
      if (family.size() > sfx.size() && family.compare(family.size() - sfx.size(), sfx.size(), sfx) == 0 &&
          types.count(family.substr(0, family.size() - sfx.size())) &&
          types[family.substr(0, family.size() - sfx.size())] == "histogram") {
        family = family.substr(0, family.size() - sfx.size());
        break;
      }
    }
    if (!types.count(family)) return "sample before its TYPE at " + where();
    samples->push_back(std::move(s));
  }
  // Histograms: buckets cumulative per label set, +Inf == _count.
  std::map<std::string, std::pair<double, double>> last;  // series -> (last bucket value, +Inf)
  for (const auto& s : *samples) {
    if (s.name.size() < 7 || s.name.compare(s.name.size() - 7, 7, "_bucket") != 0) continue;
    auto labels = s.labels;
    std::string le = labels["le"];
    labels.erase("le");
    std::string key = s.name;
    for (const auto& [k, v] : labels) key += "|" + k + "=" + v;
    auto& [prev, inf] = last[key];
    if (s.value < prev) return "histogram buckets not cumulative in " + key;
    prev = s.value;
    if (le == "+Inf") inf = s.value;
  }
  return "";
}

}  // namespace om::gateway::testing
