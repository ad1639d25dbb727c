// Ask: one request to the broker and its typed reply, with the error
// vocabulary of commands.h; PrintJson: a command's --json document. Shared by
// every command file. Main thread only, like the Context.
#pragma once

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/front_client.h"
#include "tools/cli/commands.h"

namespace om::cli {

// Sends req and waits for a reply of type R. A broker that does not answer
// (or cannot be sent to) is kTimeout with the line the operator sees; an
// S:ERROR reply keeps its meaning, except that bad_request and
// unsupported_version become kInternal: the CLI validated its arguments, so
// a broker that refuses them means the two disagree (a bug or version skew),
// not that the operator typed something wrong.
template <typename R, typename M>
Result<R> Ask(Context& ctx, const M& req) {
  auto reply = ctx.client->Call(req, ctx.timeout);
  if (!reply.ok()) {
    if (reply.status().code() == Code::kCorruption) return reply.status();
    return Status::Timeout("broker at " + ctx.client->endpoint() + " did not answer within " +
                           std::to_string(ctx.timeout.count()) + " ms \u2014 is ordermesh-broker running?");
  }
  if (auto* r = std::get_if<R>(&reply.value())) return std::move(*r);
  if (auto* e = std::get_if<proto::Error>(&reply.value())) {
    Status status = proto::ErrorToStatus(*e);
    if (status.code() == Code::kInvalidArgument) {
      return Status::Internal("the broker refused the request (" + std::string(proto::ErrorCodeName(e->code)) +
                              "): " + e->detail);
    }
    return status;
  }
  return Status::Corruption("the broker answered with an unexpected message type");
}

inline void PrintJson(Context& ctx, const nlohmann::json& doc) {
  *ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace om::cli
