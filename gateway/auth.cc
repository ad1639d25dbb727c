#include "gateway/auth.h"

namespace om::gateway {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Walk a in full; index b modulo its size so the loop never depends on it.
  volatile unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
  const size_t n = b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i % n]);
  }
  return diff == 0;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view PresentedKey(std::string_view authorization, std::string_view x_api_key, std::string* why) {
  why->clear();
  authorization = Trim(authorization);
  if (!authorization.empty()) {
    size_t space = authorization.find_first_of(" \t");
    std::string_view scheme = authorization.substr(0, space);
    if (!EqualsIgnoreCase(scheme, "Bearer")) {
      *why = "the Authorization scheme must be Bearer";
      return {};
    }
    std::string_view token = space == std::string_view::npos ? std::string_view() : Trim(authorization.substr(space));
    if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) {
      *why = "Authorization: Bearer needs exactly one token";
      return {};
    }
    return token;
  }
  x_api_key = Trim(x_api_key);
  return x_api_key;
}

Authenticator::Authenticator(std::vector<std::string> keys) {
  for (auto& k : keys) {
    if (!k.empty()) keys_.push_back(std::move(k));
  }
}

Authenticator::Outcome Authenticator::Check(const HttpRequest& req) const {
  if (keys_.empty()) return {true, {}};
  std::string why;
  std::string_view key = PresentedKey(req.Find("Authorization"), req.Find("X-API-Key"), &why);
  if (key.empty()) {
    return {false, why.empty() ? "an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>" : why};
  }
  bool match = false;
  for (const auto& k : keys_) match |= ConstantTimeEquals(key, k);
  if (!match) return {false, "the API key is not valid"};
  return {true, {}};
}

}  // namespace om::gateway
