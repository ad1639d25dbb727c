#include "gateway/cors.h"

#include <algorithm>

#include "gateway/problem.h"

namespace om::gateway {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  return out;
}

}  // namespace

Status CheckOrigin(std::string_view origin) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("gateway.cors_origins: '" + std::string(origin) + "' " + why +
                                   " (expected scheme://host[:port], e.g. https://shop.example)");
  };
  if (origin == "*") return bad("is a wildcard; list each origin");
  size_t sep = origin.find("://");
  if (sep == std::string_view::npos || sep == 0) return bad("has no scheme");
  std::string_view rest = origin.substr(sep + 3);
  if (rest.empty()) return bad("has no host");
  if (rest.find('/') != std::string_view::npos) return bad("has a path");
  for (char c : origin) {
    if (c <= ' ' || c > '~' || c == '?' || c == '#' || c == ',') return bad("has a character not allowed in an origin");
  }
  return Status::Ok();
}

CorsPolicy::CorsPolicy(const std::vector<std::string>& origins) {
  for (const auto& o : origins) origins_.push_back(Lower(o));
}

bool CorsPolicy::Allows(std::string_view origin) const {
  if (origin.empty()) return false;
  for (const auto& o : origins_) {
    if (EqualsIgnoreCase(o, origin)) return true;
  }
  return false;
}

bool CorsPolicy::IsPreflight(const HttpRequest& req) {
  return req.method == "OPTIONS" && req.Has("Origin") && req.Has("Access-Control-Request-Method");
}

bool MethodListed(std::string_view methods, std::string_view method) {
  while (!methods.empty()) {
    size_t comma = methods.find(',');
    std::string_view m = methods.substr(0, comma);
    while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
    while (!m.empty() && m.back() == ' ') m.remove_suffix(1);
    if (!m.empty() && m == method) return true;
    if (comma == std::string_view::npos) break;
    methods.remove_prefix(comma + 1);
  }
  return false;
}

void CorsPolicy::Decorate(std::string_view origin, HttpResponse* r) const {
  if (!enabled()) return;
  r->Add("Vary", "Origin");
  if (!Allows(origin)) return;
  r->Add("Access-Control-Allow-Origin", std::string(origin));
  r->Add("Access-Control-Expose-Headers", std::string(kCorsExposeHeaders));
}

HttpResponse CorsPolicy::Preflight(const HttpRequest& req, std::string_view methods) const {
  std::string_view origin = req.Find("Origin");
  std::string_view method = req.Find("Access-Control-Request-Method");
  if (!Allows(origin)) {
    Problem p;
    p.status = 403;
    p.slug = "origin-not-allowed";
    p.title = "Origin not allowed";
    p.detail = "cross-origin requests from this origin are not allowed";
    p.instance = std::string(req.path);
    HttpResponse r = MakeProblem(p);
    r.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return r;
  }
  if (!MethodListed(methods, method)) {
    Problem p;
    p.status = 405;
    p.slug = "method-not-allowed";
    p.title = "Method not allowed";
    p.detail = "this resource does not serve " + std::string(method);
    p.instance = std::string(req.path);
    HttpResponse r = MakeProblem(p);
    r.Add("Allow", std::string(methods));
    r.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    r.Add("Access-Control-Allow-Origin", std::string(origin));
    return r;
  }
  HttpResponse r;
  r.status = 204;
  r.Add("Access-Control-Allow-Origin", std::string(origin));
  r.Add("Access-Control-Allow-Methods", std::string(methods));
  r.Add("Access-Control-Allow-Headers", std::string(kCorsAllowHeaders));
  r.Add("Access-Control-Max-Age", std::to_string(kCorsMaxAgeSeconds));
  r.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  return r;
}

}  // namespace om::gateway
