// W3C Trace Context (traceparent) for the gateway's span of an order.
//
// A request's `traceparent` is parsed by the rules of Trace Context level 1:
// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>", lower-case hex,
// neither id all zeros, version ff invalid, a higher version may carry more
// fields after a '-'. The gateway is one span of that trace: it keeps the
// trace id and flags and puts a fresh span id in the traceparent it sends to
// the broker (which carries it to the node and into every event). Without a
// valid traceparent the gateway starts a new trace (flags 00: it records
// nothing itself). Safe from any thread (random ids come from a thread-local
// generator).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace om::gateway {

struct TraceContext {
  std::string trace_id;   // 32 lower-case hex digits
  std::string parent_id;  // 16 lower-case hex digits: the span that sent this
  std::string flags;      // 2 lower-case hex digits
  // "00-<trace_id>-<parent_id>-<flags>"
  std::string ToHeader() const;
};

// nullopt when the value is absent or invalid (then a new trace is started).
std::optional<TraceContext> ParseTraceparent(std::string_view value);

// The gateway's own span: a child of parent (same trace id and flags, new
// span id), or the root of a new trace.
TraceContext StartSpan(const std::optional<TraceContext>& parent);

}  // namespace om::gateway
