// BrokerCaller: how the HTTP API asks the broker something. BrokerLink is the
// real one (one DEALER owned by one I/O thread); tests use a fake.
#pragma once

#include <chrono>

#include "common/status.h"
#include "protocol/messages.h"

namespace om::gateway {

class BrokerCaller {
 public:
  virtual ~BrokerCaller() = default;

  // Sends req and blocks the calling thread until the broker's reply or the
  // deadline. Errors: Timeout (no reply in time: the request may still take
  // effect), Unavailable (not connected, or shutting down: it was not sent),
  // Corruption (the reply did not decode). Thread-safe.
  virtual Result<proto::FrontReply> Call(const proto::FrontRequest& req, std::chrono::milliseconds timeout) = 0;
};

}  // namespace om::gateway
