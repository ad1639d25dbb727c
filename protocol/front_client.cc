#include "protocol/front_client.h"

namespace om::proto {

FrontClient::FrontClient(zmq::context_t& ctx, const std::string& endpoint)
    : endpoint_(endpoint), socket_(ctx, zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

Result<FrontReply> FrontClient::CallRaw(std::string bytes, uint64_t id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!socket_.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
    return Status::Unavailable("cannot send to the broker at " + endpoint_ + " (not connected)");
  }
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, left);
    if (!(item.revents & ZMQ_POLLIN)) continue;
    zmq::message_t msg;
    if (!socket_.recv(msg, zmq::recv_flags::dontwait)) continue;
    auto env = DecodeFrontReply(msg.to_string_view());
    if (!env.ok()) return Status::Corruption("undecodable reply from the broker: " + env.status().message());
    if (env->id != id) continue;  // a late reply to an earlier, timed-out call
    return std::move(env->msg);
  }
  return Status::Timeout("broker at " + endpoint_ + " did not answer within " + std::to_string(timeout.count()) +
                         " ms");
}

Status ErrorToStatus(const Error& e) {
  std::string detail = std::string(ErrorCodeName(e.code)) + ": " + e.detail;
  switch (e.code) {
    case ErrorCode::kNotFound: return Status::NotFound(e.detail);
    case ErrorCode::kBadRequest:
    case ErrorCode::kUnsupportedVersion: return Status::InvalidArgument(e.detail);
    case ErrorCode::kBacklogFull: return Status::ResourceExhausted(e.detail);
    case ErrorCode::kDraining: return Status::Unavailable(e.detail);
    case ErrorCode::kIdempotencyMismatch:
    case ErrorCode::kIdempotencyInProgress: return Status::Conflict(detail);
    case ErrorCode::kStorage: return Status::IoError(e.detail);
    case ErrorCode::kInternal: return Status::Internal(e.detail);
  }
  return Status::Internal(detail);
}

}  // namespace om::proto
