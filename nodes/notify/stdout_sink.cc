#include "nodes/notify/stdout_sink.h"

#include <cerrno>
#include <cstring>

namespace om::notify {

Status StdoutSink::Deliver(const proto::Event&, const std::string& line) {
  if (std::fwrite(line.data(), 1, line.size(), out_) == line.size() && std::fputc('\n', out_) != EOF &&
      std::fflush(out_) == 0) {
    return Status::Ok();
  }
  if (errno == EPIPE) return Status::Unavailable("stdout was closed by its reader");
  return Status::IoError(std::string("cannot write events to stdout: ") + std::strerror(errno));
}

}  // namespace om::notify
