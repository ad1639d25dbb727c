// FileSink: appends each event as one JSON line to a file (JsonLinesFile).
// Exactly once across restarts and crashes of the notifier: the file's last
// line says which seq it holds, and resume skips what it already has. Lines
// reach the disk (fdatasync) before the state file records them; a power
// loss can lose the lines written since the last state save, never repeat
// one.
//
// Ownership: owns its JsonLinesFile. Thread: the notifier's.
#pragma once

#include <memory>
#include <string>

#include "nodes/notify/json_lines_file.h"
#include "nodes/notify/sink.h"

namespace om::notify {

class FileSink final : public Sink {
 public:
  // Errors: those of JsonLinesFile::Open.
  [[nodiscard]] static Result<std::unique_ptr<FileSink>> Open(const std::string& path);

  const std::string& id() const override { return id_; }
  [[nodiscard]] Status Deliver(const proto::Event& event, const std::string& line) override;
  [[nodiscard]] Status Sync() override { return file_->Sync(); }
  uint64_t recorded_seq() const override { return file_->last_seq(); }
  uint64_t repaired_bytes() const { return file_->repaired_bytes(); }

 private:
  explicit FileSink(std::unique_ptr<JsonLinesFile> file) : file_(std::move(file)), id_("file:" + file_->path()) {}

  std::unique_ptr<JsonLinesFile> file_;
  const std::string id_;
};

}  // namespace om::notify
