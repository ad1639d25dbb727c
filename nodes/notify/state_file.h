// The notifier's state file: the last seq each sink has taken, so that a
// restarted notifier resumes where it stopped (see sink_set.h for the rule).
//
// Format: one JSON object, written whole:
//   {"format":1,"sinks":{"stdout":41200,"file:/var/log/om.jsonl":41200}}
// keyed by Sink::id(). SaveStateFile writes <path>.tmp, fsyncs it, renames it
// over <path> and fsyncs the directory, so a crash at any point leaves either
// the old or the new file, never a torn one.
//
// Thread-safety: free functions over the file system; no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace om::notify {

using SinkSeqs = std::map<std::string, uint64_t>;  // Sink::id() -> last seq taken

// NotFound when the file does not exist; Corruption when it is not ours.
[[nodiscard]] Result<SinkSeqs> LoadStateFile(const std::string& path);
// Creates the parent directory when missing. Errors: IoError.
[[nodiscard]] Status SaveStateFile(const std::string& path, const SinkSeqs& seqs);

}  // namespace om::notify
