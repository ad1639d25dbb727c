#include "nodes/notify/topic_filter.h"

#include <algorithm>

namespace om::notify {

bool TopicFilter::Matches(std::string_view topic) const {
  if (prefixes_.empty()) return true;
  return std::any_of(prefixes_.begin(), prefixes_.end(),
                     [&](const std::string& prefix) { return topic.starts_with(prefix); });
}

}  // namespace om::notify
