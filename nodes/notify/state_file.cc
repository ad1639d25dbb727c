#include "nodes/notify/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace om::notify {
namespace {

constexpr int kFormat = 1;

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Errno("cannot fsync", path);
}

}  // namespace

Result<SinkSeqs> LoadStateFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound("no state file " + path);
    return Errno("cannot read state file", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  const std::string bad = "state file " + path + " is not a notifier state file (format " + std::to_string(kFormat) + ")";
  if (!j.is_object() || j.value("format", 0) != kFormat || !j.contains("sinks") || !j["sinks"].is_object()) {
    return Status::Corruption(bad);
  }
  SinkSeqs seqs;
  for (auto& [id, seq] : j["sinks"].items()) {
    if (!seq.is_number_unsigned()) return Status::Corruption(bad + ": sink '" + id + "' has no seq");
    seqs[id] = seq.get<uint64_t>();
  }
  return seqs;
}

Status SaveStateFile(const std::string& path, const SinkSeqs& seqs) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (std::error_code ec; !dir.empty() && !std::filesystem::create_directories(dir, ec) && ec) {
    return Status::IoError("cannot create directory " + dir.string() + ": " + ec.message());
  }
  const std::string text = nlohmann::json{{"format", kFormat}, {"sinks", seqs}}.dump() + "\n";
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written) {
    errno = err;
    return Errno("cannot write", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename over", path);
  return FsyncPath(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace om::notify
