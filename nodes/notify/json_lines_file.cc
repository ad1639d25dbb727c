#include "nodes/notify/json_lines_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

namespace om::notify {
namespace {

Status IoError(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<JsonLinesFile>> JsonLinesFile::Open(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (std::error_code ec; !parent.empty() && !std::filesystem::create_directories(parent, ec) && ec) {
    return Status::IoError("cannot create directory " + parent.string() + ": " + ec.message());
  }
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open", path);
  std::unique_ptr<JsonLinesFile> file(new JsonLinesFile(path, fd));
  if (Status s = file->ReadTail(); !s.ok()) return s;
  return file;
}

JsonLinesFile::~JsonLinesFile() { ::close(fd_); }

// The offset of the last '\n' before `before`, or -1 if there is none.
Result<off_t> JsonLinesFile::FindNewlineBefore(off_t before) const {
  constexpr off_t kChunk = 8192;
  char chunk[kChunk];
  while (before > 0) {
    const off_t from = before > kChunk ? before - kChunk : 0;
    const size_t n = static_cast<size_t>(before - from);
    if (pread(fd_, chunk, n, from) != static_cast<ssize_t>(n)) return IoError("cannot read", path_);
    for (size_t i = n; i-- > 0;) {
      if (chunk[i] == '\n') return from + static_cast<off_t>(i);
    }
    before = from;
  }
  return off_t{-1};
}

Status JsonLinesFile::ReadTail() {
  struct stat st{};
  if (fstat(fd_, &st) != 0) return IoError("cannot stat", path_);
  Result<off_t> end = FindNewlineBefore(st.st_size);  // the newline ending the last complete line
  if (!end.ok()) return end.status();
  const off_t keep = *end + 1;
  if (keep < st.st_size) {  // a torn last line: the writer died mid-write
    if (ftruncate(fd_, keep) != 0) return IoError("cannot cut the torn last line of", path_);
    repaired_bytes_ = static_cast<uint64_t>(st.st_size - keep);
  }
  if (*end < 0) return Status::Ok();  // no complete line
  Result<off_t> before = FindNewlineBefore(*end);
  if (!before.ok()) return before.status();
  std::string line(static_cast<size_t>(*end - (*before + 1)), '\0');
  if (pread(fd_, line.data(), line.size(), *before + 1) != static_cast<ssize_t>(line.size())) {
    return IoError("cannot read", path_);
  }
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_unsigned()) {
    return Status::Corruption("the last line of " + path_ +
                              " is not an event with a seq; move the file away or repair it");
  }
  last_seq_ = j["seq"].get<uint64_t>();
  return Status::Ok();
}

Status JsonLinesFile::Append(uint64_t seq, std::string_view line) {
  std::string buf(line);
  buf += '\n';
  size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = ::write(fd_, buf.data() + done, buf.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError("cannot write to", path_);
    done += static_cast<size_t>(n);
  }
  last_seq_ = seq;
  unsynced_ = true;
  return Status::Ok();
}

Status JsonLinesFile::Sync() {
  if (!unsynced_) return Status::Ok();
  if (fdatasync(fd_) != 0) return IoError("cannot sync", path_);
  unsynced_ = false;
  return Status::Ok();
}

}  // namespace om::notify
