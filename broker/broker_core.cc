// The delivery state machine. Every event below names the actions it takes;
// every status change goes through Transition(), which writes the record,
// moves its index entry and emits the event in the turn's one WriteBatch
// (PROCESSING is the exception: it is logged as an event but the record is
// not rewritten, since a broker restart re-queues the order anyway; the
// store then still says PENDING/RETRYING and memory is the truth).
//
//  event                   | from        | guard                    | actions → to
//  ------------------------+-------------+--------------------------+---------------------------------------
//  SUBMIT                  | -           | valid, room, key fresh   | store, event, queue, reply ACCEPTED → PENDING
//  SUBMIT                  | -           | same key, same request   | reply ACCEPTED(duplicate) (no change)
//  SUBMIT                  | -           | otherwise                | reply ERROR (no change)
//  Dispatch                | PENDING,    | a node has free credit   | attempts+1, log attempt, DELIVER → PROCESSING
//                          | RETRYING due|                          |
//  RESULT ok               | PROCESSING  | current, effects apply   | ApplyEffects, CommitResult → PROCESSED
//  RESULT ok               | PROCESSING  | current, effects do not  | CommitResult → FAILED (insufficient_stock),
//                          |             |   apply (stock too low)  |   PublishPaymentVoided
//  RESULT terminal error   | PROCESSING  | delivery is current      | CommitResult → FAILED (reason = error_code),
//                          |             |                          |   PublishPaymentVoided if it was paid
//  RESULT retryable error  | PROCESSING  | attempts < max           | ScheduleRetry (backoff) → RETRYING
//  VISIBILITY TIMEOUT      | PROCESSING  | attempts < max           | ScheduleRetry (backoff) → RETRYING
//  NODE LOST               | PROCESSING  | attempts < max           | ScheduleRetry (at once) → RETRYING
//    (any of the three)    | PROCESSING  | attempts = max           | DeadLetter → DEAD_LETTERED
//  RESULT released         | PROCESSING  | delivery is current      | attempt not counted, Requeue → PENDING
//  RESULT                  | any         | delivery not current     | count late result, ignore
//  retry due               | RETRYING    |                          | queue (Dispatch picks it up)
//  DLQ REDRIVE             | DEAD_LETTERED| matches filter          | attempts = 0, redrives+1, queue → PENDING
//  DLQ PURGE               | DEAD_LETTERED| matches filter          | delete the dead-letter record
//  CATALOG SET             | -           | every entry valid        | write entries and stock, catalog.updated each
#include "broker/broker_core.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/codec.h"

namespace om::broker {

using proto::AttemptEnd;
using proto::ErrorCode;
using proto::OrderStatus;

namespace {

constexpr size_t kMaxIdLength = 256;
constexpr size_t kMaxItems = 10'000;
constexpr int64_t kHousekeepingPeriodUs = 10'000'000;

// Checks what the broker must not trust a client with; the gateway validates
// the business rules (with field paths) before this.
std::string InvalidSubmit(const proto::OrderRequest& o) {
  if (o.customer_id.empty() || o.customer_id.size() > kMaxIdLength) return "customer_id must be 1..256 bytes";
  if (o.items.empty() || o.items.size() > kMaxItems) return "items must hold 1..10000 entries";
  for (const auto& item : o.items) {
    if (item.product_id.empty() || item.product_id.size() > kMaxIdLength) return "product_id must be 1..256 bytes";
    if (item.quantity == 0) return "quantity must be at least 1";
  }
  if (o.idempotency_key.size() > kMaxIdLength) return "idempotency_key must be at most 256 bytes";
  return "";
}

}  // namespace

uint64_t RequestFingerprint(const proto::OrderRequest& r) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // field separator
  };
  mix(r.customer_id);
  mix(r.currency);
  mix(r.metadata_json);
  for (const auto& i : r.items) {
    mix(i.product_id);
    mix(std::to_string(i.quantity));
    mix(i.unit_price_cents ? std::to_string(*i.unit_price_cents) : "-");
  }
  return h;
}

BrokerCore::BrokerCore(const BrokerOptions& options, Store* store, Clock* clock, uint64_t seed)
    : options_(options),
      store_(store),
      clock_(clock),
      retry_(options.max_attempts, options.retry_base_ms * 1000, options.retry_cap_ms * 1000, seed),
      batch_(store->NewBatch()),
      // Delivery ids start at the wall clock so a late result addressed to a
      // previous broker process can never match a delivery of this one.
      next_delivery_id_(static_cast<uint64_t>(clock->WallMicros())),
      by_status_(proto::kNumStatuses, 0),
      started_us_(clock->WallMicros()) {}

// ---------------------------------------------------------------- recovery

Status BrokerCore::Recover() {
  auto counts = store_->CountByStatus();
  if (!counts.ok()) return counts.status();
  by_status_ = *counts;
  last_seq_ = store_->EventRange().second;
  auto catalog = store_->LoadCatalog();
  if (!catalog.ok()) return catalog.status();
  for (const auto& entry : *catalog) catalog_.Put(entry);

  for (OrderStatus s : {OrderStatus::kPending, OrderStatus::kRetrying, OrderStatus::kProcessing}) {
    std::vector<std::string> ids;
    Status st = store_->ScanStatus(s, "", [&](const std::string& id) {
      ids.push_back(id);
      return true;
    });
    if (!st.ok()) return st;
    for (const auto& id : ids) {
      auto rec = store_->GetOrder(id);
      if (!rec.ok()) return Status::Corruption("status index names order " + id + ": " + rec.status().message());
      OrderState& state = live_[id];
      state.rec = std::move(rec).value();
      state.stored_status = s;
      if (s == OrderStatus::kPending) {
        ready_.push_back(id);
      } else if (s == OrderStatus::kRetrying) {
        int64_t wait = std::max<int64_t>(0, state.rec.next_attempt_us - clock_->WallMicros());
        retry_timers_.emplace(clock_->MonoMicros() + wait, id);
      } else {
        // Its delivery died with the previous broker process.
        EndAttempt(state, AttemptEnd::kNodeLost, nullptr);
        if (!state.rec.attempt_log.empty()) state.rec.attempt_log.back().error_message = "broker restarted";
        ScheduleRetry(state, AttemptEnd::kNodeLost);
      }
    }
  }
  spdlog::info("recovered {} non-terminal orders ({} ready, {} scheduled), last event seq {}", live_.size(),
               ready_.size(), retry_timers_.size(), last_seq_);
  return Status::Ok();
}

// ---------------------------------------------------------------- front

void BrokerCore::OnFrontFrame(const std::string& client, std::string_view bytes) {
  auto env = proto::DecodeFrontRequest(bytes);
  if (!env.ok()) {
    LogBadFrame("front", ++counters_.bad_front_frames, bytes.size(), env.status());
    auto header = proto::DecodeHeader(bytes);
    uint64_t id = header.ok() ? header->id : 0;
    bool version = env.status().code() == Code::kInvalidArgument;
    ReplyError(client, id, version ? ErrorCode::kUnsupportedVersion : ErrorCode::kBadRequest,
               env.status().message());
    return;
  }
  auto& msg = env->msg;
  if (auto* submit = std::get_if<proto::Submit>(&msg)) {
    OnSubmit(client, env->id, *submit);
  } else if (auto* redrive = std::get_if<proto::DlqRedrive>(&msg)) {
    OnDlqRedrive(client, env->id, *redrive);
  } else if (auto* purge = std::get_if<proto::DlqPurge>(&msg)) {
    OnDlqPurge(client, env->id, *purge);
  } else if (auto* set = std::get_if<proto::CatalogSet>(&msg)) {
    OnCatalogSet(client, env->id, *set);
  } else {
    AnswerQuery(client, env->id, msg);
  }
}

void BrokerCore::OnSubmit(const std::string& client, uint64_t id, proto::Submit& m) {
  proto::OrderRequest& req = m.order;
  if (std::string why = InvalidSubmit(req); !why.empty()) {
    ++counters_.rejected;
    return ReplyError(client, id, ErrorCode::kBadRequest, why);
  }
  if (draining_) {
    ++counters_.rejected;
    return ReplyError(client, id, ErrorCode::kDraining, "broker is shutting down", 1000);
  }
  uint64_t fingerprint = 0;
  if (!req.idempotency_key.empty()) {
    if (staged_keys_.count(req.idempotency_key)) {
      return ReplyError(client, id, ErrorCode::kIdempotencyInProgress,
                        "a request with this Idempotency-Key is still being accepted");
    }
    fingerprint = RequestFingerprint(req);
    auto known = store_->GetIdempotency(req.idempotency_key);
    int64_t ttl_us = options_.idempotency_ttl_s * 1'000'000;
    if (known.ok() && clock_->WallMicros() - known->created_us < ttl_us) {
      if (known->fingerprint != fingerprint) {
        return ReplyError(client, id, ErrorCode::kIdempotencyMismatch,
                          "Idempotency-Key was used with a different request (order " + known->order_id + ")");
      }
      return Reply(client, id, proto::Accepted{known->order_id, true}, true);
    }
    if (!known.ok() && known.status().code() != Code::kNotFound) {
      return ReplyError(client, id, ErrorCode::kStorage, known.status().ToString());
    }
  }
  if (live_.size() >= static_cast<size_t>(options_.max_backlog)) {
    ++counters_.rejected;
    return ReplyError(client, id, ErrorCode::kBacklogFull,
                      "backlog is full (" + std::to_string(live_.size()) + " orders not yet terminal)", 1000);
  }

  int64_t now = clock_->WallMicros();
  std::string order_id = ids_.Next(now / 1000);
  OrderState& st = live_[order_id];
  st.rec.order_id = order_id;
  st.rec.request = std::move(req);
  st.rec.status = OrderStatus::kPending;
  st.rec.created_us = now;
  st.rec.updated_us = now;
  st.rec.history.push_back({now, OrderStatus::kPending, 0, "", "accepted"});
  ++by_status_[static_cast<int>(OrderStatus::kPending)];
  batch_.PutOrder(st.rec, std::nullopt);
  st.stored_status = OrderStatus::kPending;
  EmitEvent(st.rec, "", "accepted");
  if (!st.rec.request.idempotency_key.empty()) {
    batch_.PutIdempotency(st.rec.request.idempotency_key, {fingerprint, order_id, now});
    staged_keys_.insert(st.rec.request.idempotency_key);
  }
  ready_.push_back(order_id);
  ++counters_.accepted;
  Reply(client, id, proto::Accepted{order_id, false}, true);
}

void BrokerCore::LogBadFrame(const char* socket, uint64_t count, size_t bytes, const Status& why) {
  if (count <= 100 || count % 1000 == 0) {
    spdlog::warn("{}: bad frame #{} ({} bytes): {}", socket, count, bytes, why.ToString());
  }
}

// ---------------------------------------------------------------- back

void BrokerCore::OnBackFrame(const std::string& node, std::string_view bytes) {
  auto env = proto::DecodeNodeToBroker(bytes);
  if (!env.ok()) {
    LogBadFrame("back", ++counters_.bad_back_frames, bytes.size(), env.status());
    return;
  }
  auto it = nodes_.find(node);
  if (it != nodes_.end()) it->second.last_seen_mono = clock_->MonoMicros();

  if (auto* ready = std::get_if<proto::Ready>(&env->msg)) return OnReady(node, *ready);
  if (auto* result = std::get_if<proto::NodeResult>(&env->msg)) OnResult(node, env->id, *result);
  if (std::holds_alternative<proto::Disconnect>(env->msg)) {
    if (it != nodes_.end()) spdlog::info("node {} disconnected", it->second.info.node_id);
    return OnNodeLost(node, "disconnected");
  }
  if (it == nodes_.end()) {
    // A node this broker does not know (it restarted, or dropped the node):
    // ask it to announce itself again.
    staged_back_.push_back({node, proto::Encode(0, proto::Reconnect{"unknown node: send READY"})});
  }
}

void BrokerCore::OnReady(const std::string& node, const proto::Ready& m) {
  auto [it, fresh] = nodes_.try_emplace(node);
  NodeState& ns = it->second;
  int64_t now_mono = clock_->MonoMicros();
  if (fresh) {
    ns.info.connected_us = clock_->WallMicros();
    spdlog::info("node {} ready: host {} pid {} credit {}", m.node_id, m.host, m.pid, m.credit);
  }
  ns.info.node_id = m.node_id;
  ns.info.host = m.host;
  ns.info.pid = m.pid;
  ns.info.credit = std::max<uint32_t>(m.credit, 0);
  ns.last_seen_mono = now_mono;
}

void BrokerCore::OnResult(const std::string& node, uint64_t delivery_id, const proto::NodeResult& m) {
  auto d = deliveries_.find(delivery_id);
  if (d == deliveries_.end() || d->second.order_id != m.order_id) {
    // A late result still frees the slot the timed-out delivery held.
    if (auto ns = nodes_.find(node); ns != nodes_.end() && d == deliveries_.end()) {
      ns->second.deliveries.erase(delivery_id);
    }
    ++counters_.late_results;
    spdlog::debug("late or duplicate result for order {} (delivery {}) ignored", m.order_id, delivery_id);
    return;
  }
  auto ns = nodes_.find(d->second.node);
  if (ns != nodes_.end()) {
    ns->second.deliveries.erase(delivery_id);
    ++ns->second.info.completed;
  }
  visibility_timers_.erase({d->second.deadline_mono, delivery_id});
  deliveries_.erase(d);
  OrderState& st = live_.at(m.order_id);
  st.delivery_id = 0;

  switch (m.end) {
    case AttemptEnd::kOk: {
      EndAttempt(st, AttemptEnd::kOk, &m);
      st.rec.outputs = m.outputs;
      std::string refused;
      if (!ApplyEffects(st, m.effects, &refused)) return CommitResult(st, OrderStatus::kFailed, refused);
      return CommitResult(st, OrderStatus::kProcessed, "processed");
    }
    case AttemptEnd::kTerminalError:
      EndAttempt(st, AttemptEnd::kTerminalError, &m);
      st.rec.outputs = m.outputs;
      return CommitResult(st, OrderStatus::kFailed, m.error_code.empty() ? "terminal_error" : m.error_code);
    case AttemptEnd::kReleased:
      EndAttempt(st, AttemptEnd::kReleased, &m);
      return Requeue(st);
    default:
      EndAttempt(st, AttemptEnd::kRetryableError, &m);
      return ScheduleRetry(st, AttemptEnd::kRetryableError);
  }
}

void BrokerCore::OnNodeUnreachable(const std::string& node) { OnNodeLost(node, "unreachable"); }

void BrokerCore::OnNodeLost(const std::string& node, const std::string& why) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  std::vector<uint64_t> held(it->second.deliveries.begin(), it->second.deliveries.end());
  std::sort(held.begin(), held.end());
  if (why != "disconnected") {
    ++counters_.nodes_lost;
    spdlog::warn("node {} lost ({}): {} orders go back to the queue", it->second.info.node_id, why, held.size());
  }
  nodes_.erase(it);
  for (uint64_t delivery_id : held) {
    auto d = deliveries_.find(delivery_id);
    if (d == deliveries_.end()) continue;
    visibility_timers_.erase({d->second.deadline_mono, delivery_id});
    OrderState& st = live_.at(d->second.order_id);
    deliveries_.erase(d);
    st.delivery_id = 0;
    EndAttempt(st, AttemptEnd::kNodeLost, nullptr);
    ScheduleRetry(st, AttemptEnd::kNodeLost);
  }
}

void BrokerCore::OnVisibilityTimeout(uint64_t delivery_id) {
  auto d = deliveries_.find(delivery_id);
  if (d == deliveries_.end()) return;
  // The node keeps the slot (it may still be working on the order) until its
  // late result arrives or it is lost: a stuck node gets no more orders.
  OrderState& st = live_.at(d->second.order_id);
  deliveries_.erase(d);
  st.delivery_id = 0;
  EndAttempt(st, AttemptEnd::kVisibilityTimeout, nullptr);
  ScheduleRetry(st, AttemptEnd::kVisibilityTimeout);
}

// ---------------------------------------------------------------- timers

void BrokerCore::OnTick() {
  int64_t now = clock_->MonoMicros();
  while (!visibility_timers_.empty() && visibility_timers_.begin()->first <= now) {
    uint64_t delivery_id = visibility_timers_.begin()->second;
    visibility_timers_.erase(visibility_timers_.begin());
    OnVisibilityTimeout(delivery_id);
  }
  while (!retry_timers_.empty() && retry_timers_.begin()->first <= now) {
    ready_.push_back(retry_timers_.begin()->second);
    retry_timers_.erase(retry_timers_.begin());
  }
  int64_t liveness_us = options_.heartbeat_interval_ms * 1000 * options_.heartbeat_liveness;
  std::vector<std::string> silent;
  for (const auto& [routing_id, ns] : nodes_) {
    if (now - ns.last_seen_mono > liveness_us) silent.push_back(routing_id);
  }
  for (const auto& routing_id : silent) OnNodeLost(routing_id, "missed heartbeats");

  if (now >= next_heartbeat_mono_) {
    next_heartbeat_mono_ = now + options_.heartbeat_interval_ms * 1000;
    for (const auto& [routing_id, ns] : nodes_) {
      staged_back_.push_back({routing_id, proto::Encode(0, proto::Heartbeat{""})});
    }
  }
  if (now >= next_housekeeping_mono_) {
    next_housekeeping_mono_ = now + kHousekeepingPeriodUs;
    ExpireIdempotencyKeys();
    TrimEventLog();
  }
}

int64_t BrokerCore::NextTimerMono() const {
  int64_t next = next_heartbeat_mono_;
  if (!visibility_timers_.empty()) next = std::min(next, visibility_timers_.begin()->first);
  if (!retry_timers_.empty()) next = std::min(next, retry_timers_.begin()->first);
  return next;
}

void BrokerCore::ExpireIdempotencyKeys() {
  int64_t cutoff = clock_->WallMicros() - options_.idempotency_ttl_s * 1'000'000;
  size_t expired = 0;
  Status st = store_->ScanIdempotency([&](const std::string& key, const IdempotencyEntry& e) {
    if (e.created_us < cutoff && !staged_keys_.count(key)) {
      batch_.DeleteIdempotency(key);
      ++expired;
    }
    return expired < 10'000;  // bounded work per sweep
  });
  if (!st.ok()) spdlog::error("idempotency expiry: {}", st.ToString());
  if (expired) spdlog::info("expired {} idempotency keys", expired);
}

void BrokerCore::TrimEventLog() {
  auto [first, last] = store_->EventRange();
  auto keep = static_cast<uint64_t>(options_.event_retention);
  if (last - first + 1 <= keep || last < keep) return;
  Status st = store_->TrimEvents(last - keep + 1);
  if (!st.ok()) spdlog::error("event log trim: {}", st.ToString());
}

// ---------------------------------------------------------------- dispatch

void BrokerCore::Dispatch() {
  while (!ready_.empty()) {
    // The node with the most free credit; none with credit left: wait.
    NodeState* best = nullptr;
    int64_t best_free = 0;
    for (auto& [routing_id, ns] : nodes_) {
      int64_t free = static_cast<int64_t>(ns.info.credit) - static_cast<int64_t>(ns.deliveries.size());
      if (free > best_free) {
        best_free = free;
        best = &ns;
      }
    }
    if (!best) return;
    std::string order_id = std::move(ready_.front());
    ready_.pop_front();
    auto it = live_.find(order_id);
    if (it == live_.end() || it->second.delivery_id != 0) continue;  // stale entry
    for (auto& [routing_id, ns] : nodes_) {
      if (&ns == best) {
        Deliver(it->second, routing_id);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- actions

void BrokerCore::Deliver(OrderState& st, const std::string& routing_id) {
  NodeState& ns = nodes_.at(routing_id);
  uint64_t delivery_id = ++next_delivery_id_;
  int64_t now_mono = clock_->MonoMicros();
  int64_t deadline = now_mono + options_.visibility_timeout_ms * 1000;
  deliveries_[delivery_id] = {st.rec.order_id, routing_id, now_mono, deadline};
  visibility_timers_.emplace(deadline, delivery_id);
  ns.deliveries.insert(delivery_id);
  st.delivery_id = delivery_id;

  ++st.rec.attempts;
  proto::AttemptRecord attempt;
  attempt.attempt = st.rec.attempts;
  attempt.node_id = ns.info.node_id;
  attempt.started_us = clock_->WallMicros();
  st.rec.attempt_log.push_back(std::move(attempt));
  Transition(st, OrderStatus::kProcessing, ns.info.node_id, "delivered");
  staged_back_.push_back(
      {routing_id, proto::Encode(delivery_id, proto::Deliver{st.rec.order_id, st.rec.attempts, st.rec.request,
                                                             catalog_.EntriesFor(st.rec.request)})});
}

void BrokerCore::EndAttempt(OrderState& st, AttemptEnd end, const proto::NodeResult* result) {
  if (st.rec.attempt_log.empty()) return;
  proto::AttemptRecord& a = st.rec.attempt_log.back();
  a.end = end;
  a.duration_us = result && result->duration_us > 0 ? result->duration_us : clock_->WallMicros() - a.started_us;
  if (result) {
    a.step = result->step;
    a.error_code = result->error_code;
    a.error_message = result->error_message;
    a.steps = result->steps;
  }
  if (end == AttemptEnd::kReleased && st.rec.attempts > 0) --st.rec.attempts;  // handed back: not counted
}

void BrokerCore::ScheduleRetry(OrderState& st, AttemptEnd why) {
  RetryDecision d = retry_.Next(st.rec.attempts, why);
  if (d.dead_letter) return DeadLetter(st, why);
  ++counters_.retries;
  st.rec.next_attempt_us = clock_->WallMicros() + d.delay_us;
  const std::string node = st.rec.attempt_log.empty() ? "" : st.rec.attempt_log.back().node_id;
  Transition(st, OrderStatus::kRetrying, node, std::string(proto::AttemptEndName(why)));
  if (d.delay_us == 0) {
    ready_.push_back(st.rec.order_id);
  } else {
    retry_timers_.emplace(clock_->MonoMicros() + d.delay_us, st.rec.order_id);
  }
}

void BrokerCore::DeadLetter(OrderState& st, AttemptEnd why) {
  st.rec.reason = std::string(proto::AttemptEndName(why));
  const std::string node = st.rec.attempt_log.empty() ? "" : st.rec.attempt_log.back().node_id;
  batch_.PutDeadLetter({st.rec.order_id, st.rec.reason, clock_->WallMicros(), st.rec.attempts, st.rec.redrives});
  Transition(st, OrderStatus::kDeadLettered, node, "attempts_exhausted: " + st.rec.reason);
  Forget(st.rec.order_id);
}

void BrokerCore::CommitResult(OrderState& st, OrderStatus to, const std::string& reason) {
  bool voided = false;
  if (to == OrderStatus::kFailed) {
    st.rec.reason = reason;
    voided = VoidPayment(st);
  }
  const std::string node = st.rec.attempt_log.empty() ? "" : st.rec.attempt_log.back().node_id;
  Transition(st, to, node, reason);
  if (voided) PublishPaymentVoided(st);
  Forget(st.rec.order_id);
}

void BrokerCore::Requeue(OrderState& st) {
  Transition(st, OrderStatus::kPending, "", "released");
  ready_.push_front(st.rec.order_id);
}

void BrokerCore::Forget(const std::string& order_id) { live_.erase(order_id); }

void BrokerCore::Transition(OrderState& st, OrderStatus to, const std::string& node, const std::string& reason) {
  OrderStatus from = st.rec.status;
  int64_t now = clock_->WallMicros();
  st.rec.status = to;
  st.rec.updated_us = now;
  st.rec.history.push_back({now, to, st.rec.attempts, node, reason});
  --by_status_[static_cast<int>(from)];
  ++by_status_[static_cast<int>(to)];
  if (to != OrderStatus::kProcessing) {
    batch_.PutOrder(st.rec, st.stored_status);
    st.stored_status = to;
  }
  EmitEvent(st.rec, node, reason);
}

void BrokerCore::EmitEvent(const proto::OrderRecord& rec, const std::string& node, const std::string& reason) {
  Publish({0, rec.updated_us, rec.order_id, rec.status, rec.attempts, node, reason, rec.request.traceparent, "", ""});
}

void BrokerCore::Publish(proto::Event ev) {
  ev.seq = ++last_seq_;
  batch_.PutEvent(ev);
  staged_pub_.push_back({proto::EventTopic(ev), proto::Encode(ev.seq, proto::EventMsg{ev})});
}

void BrokerCore::ReplyError(const std::string& client, uint64_t id, ErrorCode code, std::string detail,
                            uint32_t retry_after_ms) {
  Reply(client, id, proto::Error{code, std::move(detail), retry_after_ms});
}

// ---------------------------------------------------------------- commit

Status BrokerCore::Commit() {
  Status st = store_->Commit(batch_);
  if (st.ok()) {
    if (!staged_keys_.empty()) staged_keys_.clear();
    ++counters_.commits;
    for (auto& r : staged_replies_) outbox_.front.push_back({std::move(r.client), std::move(r.bytes)});
    for (auto& m : staged_back_) outbox_.back.push_back(std::move(m));
    for (auto& p : staged_pub_) outbox_.pub.push_back(std::move(p));
  } else {
    spdlog::critical("storage write failed, {} replies withheld: {}", staged_replies_.size(), st.ToString());
    for (auto& r : staged_replies_) {
      if (!r.is_accept) continue;
      outbox_.front.push_back({std::move(r.client), proto::Encode(r.id, proto::Error{ErrorCode::kStorage,
                                                                                      "not accepted: " + st.ToString(),
                                                                                      0})});
    }
  }
  staged_replies_.clear();
  staged_back_.clear();
  staged_pub_.clear();
  staged_keys_.clear();
  return st;
}

}  // namespace om::broker
