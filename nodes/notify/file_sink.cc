#include "nodes/notify/file_sink.h"

namespace om::notify {

Result<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path) {
  auto file = JsonLinesFile::Open(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<FileSink>(new FileSink(std::move(file).value()));
}

Status FileSink::Deliver(const proto::Event& event, const std::string& line) { return file_->Append(event.seq, line); }

}  // namespace om::notify
