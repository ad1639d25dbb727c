// TopicFilter: which event topics a sink (or the sequencer) takes, as a list
// of prefixes: "order." takes every order event, "order.failed" one status;
// an empty list takes every topic. Topics are proto::EventTopic(event):
// order.<status>, payment.voided, catalog.updated. Value type; immutable
// after construction, so any thread may call Matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/types.h"

namespace om::notify {

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
