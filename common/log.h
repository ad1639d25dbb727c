// Logging set-up shared by every program: spdlog to stderr, as human text or
// as one JSON object per line. Call InitLogging once in main() before any
// thread starts; afterwards spdlog's global functions are thread-safe.
#pragma once

#include <string>

#include "common/status.h"

namespace om {

// level: trace|debug|info|warn|error|off. format: text|json.
Status InitLogging(const std::string& program, const std::string& level, const std::string& format);

// Escapes s for use inside a JSON string literal (no surrounding quotes).
std::string JsonEscape(const std::string& s);

}  // namespace om
