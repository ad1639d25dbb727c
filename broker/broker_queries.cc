// BrokerCore's read side (order, list, stats, events, dead letters) and the
// operator's dead-letter actions (redrive, purge). Reads see committed data.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "broker/broker_core.h"
#include "protocol/codec.h"

namespace om::broker {

using proto::ErrorCode;
using proto::OrderStatus;

namespace {
constexpr uint32_t kMaxPage = 1000;
constexpr uint32_t kMaxEventsPage = 10'000;
}  // namespace

proto::Stats BrokerCore::BuildStats(bool with_nodes) const {
  proto::Stats s;
  s.orders_by_status = by_status_;
  s.backlog = by_status_[static_cast<int>(OrderStatus::kPending)] + by_status_[static_cast<int>(OrderStatus::kRetrying)];
  s.in_flight = deliveries_.size();
  s.accepted_total = counters_.accepted;
  s.retries_total = counters_.retries;
  s.late_results_total = counters_.late_results;
  s.bad_frames_total = counters_.bad_front_frames + counters_.bad_back_frames;
  s.rejected_total = counters_.rejected;
  s.last_event_seq = last_seq_;
  s.started_us = started_us_;
  s.max_backlog = static_cast<uint64_t>(options_.max_backlog);
  if (with_nodes) {
    int64_t now_mono = clock_->MonoMicros();
    int64_t now_wall = clock_->WallMicros();
    for (const auto& [routing_id, ns] : nodes_) {
      proto::NodeInfo info = ns.info;
      info.in_flight = static_cast<uint32_t>(ns.deliveries.size());
      info.last_heartbeat_us = now_wall - (now_mono - ns.last_seen_mono);
      s.nodes.push_back(std::move(info));
    }
  }
  return s;
}

bool BrokerCore::DeadLetterMatches(const proto::DeadLetter& dl, const proto::DlqFilter& f) const {
  if (!f.order_id.empty() && dl.order_id != f.order_id) return false;
  if (!f.reason.empty() && dl.reason != f.reason) return false;
  if (f.from_us && dl.dead_lettered_us < f.from_us) return false;
  if (f.to_us && dl.dead_lettered_us >= f.to_us) return false;
  return true;
}

void BrokerCore::AnswerQuery(const std::string& client, uint64_t id, const proto::FrontRequest& req) {
  if (auto* get = std::get_if<proto::GetOrder>(&req)) {
    // Memory holds the newest state of every non-terminal order.
    if (auto live = live_.find(get->order_id); live != live_.end()) {
      return Reply(client, id, proto::Order{live->second.rec});
    }
    auto rec = store_->GetOrder(get->order_id);
    if (!rec.ok()) {
      bool missing = rec.status().code() == Code::kNotFound;
      return ReplyError(client, id, missing ? ErrorCode::kNotFound : ErrorCode::kStorage, rec.status().message());
    }
    return Reply(client, id, proto::Order{std::move(rec).value()});
  }
  if (auto* list = std::get_if<proto::ListOrders>(&req)) return ListOrders(client, id, *list);
  if (auto* catalog = std::get_if<proto::CatalogList>(&req)) {
    return Reply(client, id, proto::Catalog{catalog_.List(catalog->product_ids)});
  }
  if (auto* stats = std::get_if<proto::GetStats>(&req)) {
    return Reply(client, id, proto::StatsReply{BuildStats(stats->with_nodes)});
  }
  if (auto* since = std::get_if<proto::EventsSince>(&req)) {
    auto events = store_->EventsSince(since->after_seq, std::clamp<uint32_t>(since->limit, 1, kMaxEventsPage));
    if (!events.ok()) return ReplyError(client, id, ErrorCode::kStorage, events.status().ToString());
    // last_seq_ may be ahead of the store by this turn's staged events; the
    // committed range is what a catch-up can read.
    auto [first, last] = store_->EventRange();
    return Reply(client, id, proto::Events{std::move(events).value(), first, last});
  }
  if (auto* list = std::get_if<proto::DlqList>(&req)) {
    uint32_t limit = std::clamp<uint32_t>(list->limit, 1, kMaxPage);
    proto::DlqListReply out;
    Status st = store_->ScanDeadLetters(list->cursor, [&](const proto::DeadLetter& dl) {
      if (!DeadLetterMatches(dl, list->filter)) return true;
      if (out.entries.size() == limit) {
        out.next_cursor = out.entries.back().order_id;
        return false;
      }
      out.entries.push_back(dl);
      return true;
    });
    if (!st.ok()) return ReplyError(client, id, ErrorCode::kStorage, st.ToString());
    return Reply(client, id, out);
  }
  if (auto* show = std::get_if<proto::DlqShow>(&req)) {
    auto dl = store_->GetDeadLetter(show->order_id);
    if (!dl.ok()) {
      bool missing = dl.status().code() == Code::kNotFound;
      return ReplyError(client, id, missing ? ErrorCode::kNotFound : ErrorCode::kStorage, dl.status().message());
    }
    auto rec = store_->GetOrder(show->order_id);
    if (!rec.ok()) return ReplyError(client, id, ErrorCode::kStorage, rec.status().ToString());
    return Reply(client, id, proto::DlqEntry{std::move(dl).value(), std::move(rec).value()});
  }
  ReplyError(client, id, ErrorCode::kBadRequest, "not a query");
}

void BrokerCore::ListOrders(const std::string& client, uint64_t id, const proto::ListOrders& m) {
  if (m.status == OrderStatus::kNone) return ReplyError(client, id, ErrorCode::kBadRequest, "no status to list");
  const uint32_t limit = std::clamp<uint32_t>(m.limit, 1, kMaxPage);
  proto::OrderList out;
  if (m.status == OrderStatus::kProcessing) {
    // Only in memory (never written): the orders out for delivery, by id.
    std::vector<const proto::OrderRecord*> processing;
    for (const auto& [delivery_id, d] : deliveries_) {
      if (d.order_id > m.cursor) processing.push_back(&live_.at(d.order_id).rec);
    }
    std::sort(processing.begin(), processing.end(),
              [](const auto* a, const auto* b) { return a->order_id < b->order_id; });
    for (const auto* rec : processing) {
      if (out.orders.size() == limit) {
        out.next_cursor = out.orders.back().order_id;
        break;
      }
      out.orders.push_back(*rec);
    }
    return Reply(client, id, out);
  }
  // The index, corrected by memory: an order out for delivery is still
  // indexed under its stored status (PENDING or RETRYING) and is skipped.
  Status failed;
  Status st = store_->ScanStatus(m.status, m.cursor, [&](const std::string& order_id) {
    proto::OrderRecord rec;
    if (auto live = live_.find(order_id); live != live_.end()) {
      if (live->second.rec.status != m.status) return true;
      rec = live->second.rec;
    } else {
      auto stored = store_->GetOrder(order_id);
      if (!stored.ok()) {
        failed = stored.status();
        return false;
      }
      rec = std::move(stored).value();
    }
    if (out.orders.size() == limit) {
      out.next_cursor = out.orders.back().order_id;  // there is at least one more
      return false;
    }
    out.orders.push_back(std::move(rec));
    return true;
  });
  if (!st.ok() || !failed.ok()) {
    return ReplyError(client, id, ErrorCode::kStorage, (!st.ok() ? st : failed).ToString());
  }
  Reply(client, id, out);
}

Status BrokerCore::PickDeadLetters(const proto::DlqFilter& filter, size_t limit, std::vector<proto::DeadLetter>* picked,
                                   uint64_t* matching) const {
  *matching = 0;
  if (!filter.order_id.empty()) {  // one order: a point lookup, not a scan
    auto dl = store_->GetDeadLetter(filter.order_id);
    if (!dl.ok()) return dl.status();
    if (!DeadLetterMatches(*dl, filter)) return Status::NotFound("order " + filter.order_id + " does not match");
    *matching = 1;
    if (limit > 0) picked->push_back(std::move(dl).value());
    return Status::Ok();
  }
  return store_->ScanDeadLetters("", [&](const proto::DeadLetter& dl) {
    if (!DeadLetterMatches(dl, filter)) return true;
    ++*matching;
    if (picked->size() < limit) picked->push_back(dl);
    return true;
  });
}

void BrokerCore::OnDlqRedrive(const std::string& client, uint64_t id, const proto::DlqRedrive& m) {
  if (draining_) return ReplyError(client, id, ErrorCode::kDraining, "broker is shutting down", 1000);
  size_t room = live_.size() < static_cast<size_t>(options_.max_backlog) ? options_.max_backlog - live_.size() : 0;
  size_t limit = std::min<size_t>({m.limit, static_cast<size_t>(options_.redrive_batch_max), room});
  std::vector<proto::DeadLetter> picked;
  uint64_t matching = 0;
  if (Status st = PickDeadLetters(m.filter, limit, &picked, &matching); !st.ok()) {
    bool missing = st.code() == Code::kNotFound;
    return ReplyError(client, id, missing ? ErrorCode::kNotFound : ErrorCode::kStorage, st.message());
  }
  uint64_t redriven = 0;
  for (const auto& dl : picked) {
    if (live_.count(dl.order_id)) continue;  // already redriven this turn
    auto rec = store_->GetOrder(dl.order_id);
    if (!rec.ok() || rec->status != OrderStatus::kDeadLettered) {
      spdlog::warn("dead letter {} has no dead-lettered order; dropping the record", dl.order_id);
      batch_.DeleteDeadLetter(dl.order_id);
      continue;
    }
    OrderState& os = live_[dl.order_id];
    os.rec = std::move(rec).value();
    os.stored_status = OrderStatus::kDeadLettered;
    os.rec.attempts = 0;
    os.rec.redrives += 1;
    os.rec.reason.clear();
    batch_.DeleteDeadLetter(dl.order_id);
    Transition(os, OrderStatus::kPending, "", "redriven");
    ready_.push_back(dl.order_id);
    ++redriven;
  }
  spdlog::info("redrove {} dead letters ({} matched)", redriven, matching);
  Reply(client, id, proto::DlqCount{redriven, matching - picked.size()});
}

void BrokerCore::OnDlqPurge(const std::string& client, uint64_t id, const proto::DlqPurge& m) {
  size_t limit = std::min<size_t>(m.limit, static_cast<size_t>(options_.redrive_batch_max));
  std::vector<proto::DeadLetter> picked;
  uint64_t matching = 0;
  if (Status st = PickDeadLetters(m.filter, limit, &picked, &matching); !st.ok()) {
    bool missing = st.code() == Code::kNotFound;
    return ReplyError(client, id, missing ? ErrorCode::kNotFound : ErrorCode::kStorage, st.message());
  }
  for (const auto& dl : picked) batch_.DeleteDeadLetter(dl.order_id);
  spdlog::info("purged {} dead letters ({} matched)", picked.size(), matching);
  Reply(client, id, proto::DlqCount{picked.size(), matching - picked.size()});
}

}  // namespace om::broker
