#include "nodes/notify/sink_set.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "protocol/json.h"

namespace om::notify {

Result<std::unique_ptr<SinkSet>> SinkSet::Open(std::vector<SinkEntry> sinks, std::string state_file,
                                               const Clock& clock) {
  std::unique_ptr<SinkSet> set(new SinkSet(std::move(sinks), std::move(state_file), clock));
  if (set->state_file_.empty()) return set;
  SinkSeqs saved;
  if (auto loaded = LoadStateFile(set->state_file_); loaded.ok()) {
    saved = std::move(loaded).value();
  } else if (loaded.status().code() != Code::kNotFound) {
    return loaded.status();
  }
  std::vector<SinkEntry*> unknown;
  for (SinkEntry& e : set->sinks_) {
    auto it = saved.find(e.sink->id());
    const uint64_t recorded = e.sink->recorded_seq();
    if (it == saved.end() && recorded == 0) {
      unknown.push_back(&e);
      continue;
    }
    e.seq = std::max(it == saved.end() ? 0 : it->second, recorded);
    set->resume_after_ = std::min(set->resume_after_.value_or(e.seq), e.seq);
  }
  for (SinkEntry* e : unknown) e->seq = set->resume_after_.value_or(0);
  return set;
}

Status SinkSet::Deliver(const proto::Event& event) {
  const std::string topic = proto::EventTopic(event);
  std::string line;
  bool save_now = false;
  for (SinkEntry& e : sinks_) {
    if (event.seq <= e.seq) continue;  // it has this one already (resume)
    if (!e.filter.Matches(topic)) {
      ++e.filtered;
    } else {
      if (line.empty()) line = proto::ToJson(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (Status s = e.sink->Deliver(event, line); !s.ok()) return s;
      ++e.taken;
      save_now |= e.sink->save_after_each_delivery();
    }
    e.seq = event.seq;
    dirty_ = true;
  }
  return save_now ? Checkpoint(true) : Status::Ok();
}

Status SinkSet::Checkpoint(bool force) {
  if (state_file_.empty() || !dirty_) return Status::Ok();
  const int64_t now = clock_.MonoMicros();
  if (!force && now - saved_at_mono_ < std::chrono::microseconds(kSaveInterval).count()) return Status::Ok();
  SinkSeqs seqs;
  for (SinkEntry& e : sinks_) {
    if (Status s = e.sink->Sync(); !s.ok()) return s;
    seqs[e.sink->id()] = e.seq;
  }
  if (Status s = SaveStateFile(state_file_, seqs); !s.ok()) return s;
  dirty_ = false;
  saved_at_mono_ = now;
  return Status::Ok();
}

}  // namespace om::notify
