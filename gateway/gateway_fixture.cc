#include "gateway/gateway_fixture.h"

#include <filesystem>
#include <stdexcept>

namespace om::gateway::testing {

using namespace std::chrono_literals;

Gateway::Gateway(const std::string& broker_endpoint, std::vector<std::string> flags, const std::string& dir)
    : dir_(dir), port_(om::test::FreePort()) {
  if (dir_.empty()) {
    dir_ = om::test::MakeTempDir();
    own_dir_ = true;
  }
  // A --listen among the flags wins; probe its port then.
  for (size_t i = 0; i + 1 < flags.size(); ++i) {
    if (flags[i] == "--listen") port_ = std::stoi(flags[i + 1].substr(flags[i + 1].rfind(':') + 1));
  }
  std::vector<std::string> args = {"--listen", "127.0.0.1:" + std::to_string(port_), "--broker-endpoint",
                                   broker_endpoint, "--num-threads", "64", "--drain-delay-ms", "200"};
  args.insert(args.end(), flags.begin(), flags.end());
  process_ = std::make_unique<om::test::Process>("ordermesh-gateway", args, dir_ + "/gateway-" + std::to_string(port_));
  bool up = om::test::WaitFor(
      [&] {
        if (!process_->Running()) return true;
        HttpClient c(port_, 500ms);
        return c.Get("/livez").status == 200;
      },
      10s);
  if (!up || !process_->Running()) {
    std::string log = Log();
    process_.reset();
    if (own_dir_) std::filesystem::remove_all(dir_);  // the destructor will not run
    throw std::runtime_error("gateway did not come up: " + log);
  }
}

Gateway::~Gateway() {
  process_.reset();
  if (own_dir_ && !getenv("ORDERMESH_KEEP_TEST_DIRS")) std::filesystem::remove_all(dir_);
}

std::string Gateway::Log() const { return om::test::ReadFile(process_->err_path()); }

MeshWithGateway::MeshWithGateway(std::vector<std::string> gateway_flags, int nodes,
                                 std::vector<std::string> broker_flags)
    : mesh(std::move(broker_flags)) {
  for (int i = 0; i < nodes; ++i) mesh.AddNode({"--credit", "64"});
  gateway = std::make_unique<Gateway>(mesh.front(), std::move(gateway_flags), mesh.dir());
}

}  // namespace om::gateway::testing
