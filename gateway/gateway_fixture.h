// Test helper: a real ordermesh-gateway process on a free loopback port, in
// front of a Mesh (broker, optional nodes) from tests/harness.h, or of any
// broker endpoint. The destructor kills what it started.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "tests/harness.h"

namespace om::gateway::testing {

using http::Headers;
using http::HttpClient;
using http::HttpResult;

inline constexpr const char* kOrderBody =
    R"({"customer_id":"customer-1","items":[{"product_id":"sku-1","quantity":2,"unit_price_cents":1250},)"
    R"({"product_id":"sku-2","quantity":1}],"currency":"USD","metadata":{"channel":"web"}})";

class Gateway {
 public:
  // Starts ordermesh-gateway against broker_endpoint with extra flags; waits
  // until /livez answers (throws if it does not within 10 s).
  Gateway(const std::string& broker_endpoint, std::vector<std::string> flags = {}, const std::string& dir = "");
  ~Gateway();

  int port() const { return port_; }
  om::test::Process& process() { return *process_; }
  std::string Log() const;  // its stderr so far

 private:
  std::string dir_;
  bool own_dir_ = false;
  int port_;
  std::unique_ptr<om::test::Process> process_;
};

// A Mesh with `nodes` nodes and a gateway in front of it.
struct MeshWithGateway {
  explicit MeshWithGateway(std::vector<std::string> gateway_flags = {}, int nodes = 1,
                           std::vector<std::string> broker_flags = {});
  om::test::Mesh mesh;
  std::unique_ptr<Gateway> gateway;
  int port() const { return gateway->port(); }
};

}  // namespace om::gateway::testing
