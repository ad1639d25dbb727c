// StdoutSink: prints each event as one JSON line on a stdio stream (stdout),
// flushed per line, as ordermesh-notify always did. It keeps no record of
// what it printed: after a crash, resume repeats what it printed since the
// last state save (at most kSaveInterval of sink_set.h).
//
// Ownership: borrows `out`, which must outlive the sink. Thread: the notifier's.
#pragma once

#include <cstdio>
#include <string>

#include "nodes/notify/sink.h"

namespace om::notify {

class StdoutSink final : public Sink {
 public:
  explicit StdoutSink(std::FILE* out) : out_(out) {}

  const std::string& id() const override { return id_; }
  // Unavailable when the reader closed the stream (EPIPE); IoError otherwise.
  [[nodiscard]] Status Deliver(const proto::Event& event, const std::string& line) override;

 private:
  std::FILE* out_;
  const std::string id_ = "stdout";
};

}  // namespace om::notify
