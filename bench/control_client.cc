#include "bench/control_client.h"

#include <chrono>

namespace om::bench {

ControlClient::ControlClient(zmq::context_t& ctx, const std::string& endpoint) : client_(ctx, endpoint) {}

Result<proto::Stats> ControlClient::Stats(bool with_nodes) {
  try {
    auto r = client_.Expect<proto::StatsReply>(proto::GetStats{with_nodes}, std::chrono::milliseconds(2000));
    if (!r.ok()) return r.status();
    return std::move(r->stats);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("stats: ") + e.what());  // EINTR: Ctrl-C
  }
}

Result<proto::Events> ControlClient::EventsSince(uint64_t after_seq, uint32_t limit) {
  try {
    return client_.Expect<proto::Events>(proto::EventsSince{after_seq, limit}, std::chrono::milliseconds(5000));
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("events since: ") + e.what());  // EINTR: Ctrl-C
  }
}

}  // namespace om::bench
