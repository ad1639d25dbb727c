// JsonLinesFile: an append-only file of JSON lines, one object per line, each
// with a "seq" member (the event's broker-wide sequence number). The file
// sink's output and the webhook sink's dead-letter file are such files.
//
// The file is its own record of what it holds: Open() reads the last line and
// remembers its seq (last_seq), so a notifier killed after writing a line but
// before saving its state file does not write that line again. A last line
// without its newline (the writer died mid-write) is cut off at Open and
// counts as not written. Appends are one write(2) each, so a reader (tail -f)
// never sees half a line from a live writer; Sync() makes them durable
// (fdatasync), which the notifier does before its state file says so.
//
// Ownership: owns the file descriptor. Thread-safety: none; one owner thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace om::notify {

class JsonLinesFile {
 public:
  // Opens path for appending, creating it and its parent directories.
  // Errors: IoError (cannot create, read or write), Corruption (the last
  // complete line is not a JSON object with an unsigned "seq").
  [[nodiscard]] static Result<std::unique_ptr<JsonLinesFile>> Open(const std::string& path);
  ~JsonLinesFile();
  JsonLinesFile(const JsonLinesFile&) = delete;
  JsonLinesFile& operator=(const JsonLinesFile&) = delete;

  // REQUIRES: line is one JSON object with "seq" == seq, without a newline.
  [[nodiscard]] Status Append(uint64_t seq, std::string_view line);
  // fdatasync when something was appended since the last Sync.
  [[nodiscard]] Status Sync();

  // The seq of the last line in the file; 0 when it is empty.
  uint64_t last_seq() const { return last_seq_; }
  // Bytes of a torn last line that Open cut off (0 normally).
  uint64_t repaired_bytes() const { return repaired_bytes_; }
  const std::string& path() const { return path_; }

 private:
  JsonLinesFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  // Reads the tail: repairs a torn line, sets last_seq_.
  Status ReadTail();
  Result<off_t> FindNewlineBefore(off_t before) const;

  const std::string path_;
  int fd_;
  uint64_t last_seq_ = 0;
  uint64_t repaired_bytes_ = 0;
  bool unsynced_ = false;
};

}  // namespace om::notify
