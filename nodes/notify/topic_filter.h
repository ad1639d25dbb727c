// TopicFilter: which event topics a sink (or the sequencer) takes, as a list
// of prefixes: "order." takes every order event, "order.failed" one status;
// an empty list takes every topic. TopicOf() is the one place that says what
// an event's topic is. Value type; immutable after construction, so any
// thread may call Matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/types.h"

namespace om::notify {

// The event's topic: "order.<status>" for order events.
std::string TopicOf(const proto::Event& event);

class TopicFilter {
 public:
  explicit TopicFilter(std::vector<std::string> prefixes = {}) : prefixes_(std::move(prefixes)) {}

  // True when topic starts with one of the prefixes, or there are none.
  bool Matches(std::string_view topic) const;
  const std::vector<std::string>& prefixes() const { return prefixes_; }

 private:
  std::vector<std::string> prefixes_;
};

}  // namespace om::notify
