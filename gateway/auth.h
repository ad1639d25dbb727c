// API-key authentication. A client sends its key as
// `Authorization: Bearer <key>` (scheme case-insensitive) or as
// `X-API-Key: <key>`; Authorization wins when both are present. Keys are
// compared in constant time against every configured key (no early exit on
// the first match, no early exit inside a comparison), and neither keys nor
// the headers that carry them are ever logged.
//
// Immutable after construction: Check() is safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/http_types.h"

namespace om::gateway {

// True when a equals b. The time taken depends only on a.size() (the
// presented key, which the client knows), never on where they differ or on
// b's contents. REQUIRES: b is not empty.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The key a request presents. Empty key with an empty *why: none presented.
// Empty key with *why set: a header was there but unusable (wrong scheme,
// no token).
std::string_view PresentedKey(std::string_view authorization, std::string_view x_api_key, std::string* why);

class Authenticator {
 public:
  explicit Authenticator(std::vector<std::string> keys);

  // False when no keys are configured: every request is let through.
  bool enabled() const { return !keys_.empty(); }

  struct Outcome {
    bool ok = false;
    std::string detail;  // why not, for the 401 problem; never quotes the key
  };
  Outcome Check(const HttpRequest& req) const;

 private:
  std::vector<std::string> keys_;
};

}  // namespace om::gateway
