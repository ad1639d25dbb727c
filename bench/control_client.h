// ControlClient: the bench's query connection to a broker's front socket
// (STATS and EVENTS-SINCE), separate from the load so a query never waits
// behind thousands of pipelined submits. Both targets use it: ZmqTarget for
// the broker it loads, HttpTarget for the broker behind the gateway.
//
// Blocking calls with a deadline; a Ctrl-C (EINTR) comes back as
// Unavailable. Not thread-safe: the runner's thread owns it.
#pragma once

#include <memory>
#include <string>

#include <zmq.hpp>

#include "common/status.h"
#include "protocol/front_client.h"
#include "protocol/messages.h"

namespace om::bench {

class ControlClient {
 public:
  // endpoint: the broker's front, e.g. tcp://127.0.0.1:5555. ctx must outlive this.
  ControlClient(zmq::context_t& ctx, const std::string& endpoint);

  [[nodiscard]] Result<proto::Stats> Stats(bool with_nodes);
  // Events with seq > after_seq, at most limit, from the broker's event log.
  [[nodiscard]] Result<proto::Events> EventsSince(uint64_t after_seq, uint32_t limit);

 private:
  proto::FrontClient client_;
};

}  // namespace om::bench
