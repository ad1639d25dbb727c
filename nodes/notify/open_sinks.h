// OpenSinkSet: builds the notifier's SinkSet from its options: one sink per
// [[notify.sinks]] block in order, or one stdout sink filtered by `topics`
// when there is none; then reads the state file. Logs what it opened (and a
// torn last line it repaired) through spdlog.
//
// Called once at start-up, from the notifier's thread.
#pragma once

#include <cstdio>
#include <memory>

#include "common/status.h"
#include "nodes/notify/notify_options.h"
#include "nodes/notify/sink_set.h"

namespace om::notify {

// out: where stdout sinks print; borrowed, must outlive the SinkSet.
// Errors: InvalidArgument (CheckSinks), and those of the sinks' and the
// state file's opening (IoError, Corruption).
[[nodiscard]] Result<std::unique_ptr<SinkSet>> OpenSinkSet(const NotifyOptions& options, std::FILE* out);

}  // namespace om::notify
