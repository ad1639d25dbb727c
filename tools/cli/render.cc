#include "tools/cli/render.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "protocol/json.h"
#include "tools/cli/table.h"

namespace om::cli {
namespace {

using proto::OrderRecord;

std::string Printf(const char* format, auto... args) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

// Column with an empty header: a "key  value" block has none.
Table KeyValue() { return Table({{""}, {""}}); }

std::string Total(const proto::OrderRequest& req) {
  int64_t total = 0;
  for (const proto::OrderItem& item : req.items) {
    int64_t line = 0;
    if (!item.unit_price_cents) return "unknown (an item has no price)";
    if (__builtin_mul_overflow(static_cast<int64_t>(item.quantity), *item.unit_price_cents, &line) ||
        __builtin_add_overflow(total, line, &total)) {
      return "too large to show";
    }
  }
  return FormatCents(total) + " " + req.currency;
}

// The catalog's total when the pipeline priced the order, else the client's.
std::string Total(const OrderRecord& order) {
  auto priced = proto::PricedTotalCents(order.outputs);
  if (!priced) return Total(order.request);
  return FormatCents(*priced) + " " + order.request.currency + " (priced from the catalog)";
}

// The wire's "" (last page) is null in JSON.
nlohmann::json CursorJson(const std::string& next_cursor) {
  return next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(next_cursor);
}

std::string ItemsTable(const proto::OrderRequest& req) {
  Table t({{"PRODUCT"}, {"QTY", Align::kRight}, {"UNIT PRICE", Align::kRight}, {"AMOUNT", Align::kRight}});
  for (const proto::OrderItem& item : req.items) {
    int64_t amount = 0;
    if (item.unit_price_cents &&
        !__builtin_mul_overflow(static_cast<int64_t>(item.quantity), *item.unit_price_cents, &amount)) {
      t.AddRow({item.product_id, std::to_string(item.quantity), FormatCents(*item.unit_price_cents),
                FormatCents(amount)});
    } else if (item.unit_price_cents) {
      t.AddRow({item.product_id, std::to_string(item.quantity), FormatCents(*item.unit_price_cents), "-"});
    } else {
      t.AddRow({item.product_id, std::to_string(item.quantity), "-", "-"});
    }
  }
  return t.Render();
}

std::string HistoryTable(const OrderRecord& order) {
  if (order.history.empty()) return "(no history)\n";
  Table t({{"TIME"}, {"STATUS"}, {"ATTEMPT", Align::kRight}, {"NODE"}, {"REASON"}});
  for (const proto::HistoryEntry& h : order.history) {
    t.AddRow({ShortTime(h.time_us), std::string(proto::StatusName(h.status)), std::to_string(h.attempt), h.node_id,
              h.reason});
  }
  return t.Render();
}

std::string AttemptTable(const OrderRecord& order) {
  if (order.attempt_log.empty()) return "(no attempts yet)\n";
  Table t({{"#", Align::kRight}, {"NODE"}, {"STARTED"}, {"DURATION", Align::kRight}, {"OUTCOME"}, {"STEP"}, {"ERROR"}});
  for (const proto::AttemptRecord& a : order.attempt_log) {
    std::string error = a.error_code;
    if (!a.error_message.empty()) error += (error.empty() ? "" : ": ") + a.error_message;
    const bool running = a.end == proto::AttemptEnd::kInProgress;
    t.AddRow({std::to_string(a.attempt), a.node_id, ShortTime(a.started_us), running ? "-" : FormatDuration(a.duration_us),
              std::string(proto::AttemptEndName(a.end)), a.step, error});
  }
  return t.Render();
}

// Every step and compensation of every attempt, or "" when no node reported any.
std::string StepTable(const OrderRecord& order) {
  Table t({{"#", Align::kRight}, {"STEP"}, {"OUTCOME"}, {"DURATION", Align::kRight}, {"CODE"}, {"MESSAGE"}});
  for (const proto::AttemptRecord& a : order.attempt_log) {
    for (const proto::StepTrace& step : a.steps) {
      t.AddRow({std::to_string(a.attempt), step.step, step.outcome, FormatDuration(step.duration_us), step.code,
                step.message});
    }
  }
  return t.rows() == 0 ? "" : "\nSteps\n" + t.Render();
}

}  // namespace

std::string FormatCents(int64_t cents) {
  const uint64_t magnitude = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  return Printf("%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string FormatAge(int64_t micros) {
  if (micros < 0) micros = 0;
  const int64_t ms = micros / 1000;
  const int64_t s = micros / 1'000'000;
  if (ms < 1000) return Printf("%" PRId64 "ms", ms);
  if (s < 60) return Printf("%.1fs", static_cast<double>(ms) / 1000.0);
  if (s < 3600) return Printf("%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
  if (s < 86'400) return Printf("%" PRId64 "h%02" PRId64 "m", s / 3600, s % 3600 / 60);
  return Printf("%" PRId64 "d%02" PRId64 "h", s / 86'400, s % 86'400 / 3600);
}

std::string FormatDuration(int64_t micros) {
  if (micros < 1000) return Printf("%" PRId64 "us", micros);
  if (micros < 1'000'000) return Printf("%.1fms", static_cast<double>(micros) / 1e3);
  return Printf("%.2fs", static_cast<double>(micros) / 1e6);
}

std::string ShortTime(int64_t unix_micros) {
  std::string full = proto::FormatTime(unix_micros);  // "...:18.123456Z"
  return full.substr(0, full.size() - 4) + "Z";
}

std::string AcceptedText(const proto::Accepted& accepted) {
  return accepted.order_id + (accepted.duplicate ? " (duplicate)\n" : "\n");
}

nlohmann::json AcceptedJson(const proto::Accepted& accepted) {
  return {{"order_id", accepted.order_id}, {"duplicate", accepted.duplicate}};
}

std::string OrderText(const OrderRecord& order) {
  const proto::OrderRequest& req = order.request;
  Table summary = KeyValue();
  summary.AddRow({"order", order.order_id});
  summary.AddRow({"status", std::string(proto::StatusName(order.status))});
  if (!order.reason.empty()) summary.AddRow({"reason", order.reason});
  summary.AddRow({"customer", req.customer_id});
  summary.AddRow({"currency", req.currency});
  summary.AddRow({"items", std::to_string(req.items.size())});
  summary.AddRow({"total", Total(order)});
  summary.AddRow({"attempts", std::to_string(order.attempts)});
  summary.AddRow({"redrives", std::to_string(order.redrives)});
  summary.AddRow({"created", proto::FormatTime(order.created_us)});
  summary.AddRow({"updated", proto::FormatTime(order.updated_us)});
  if (order.status == proto::OrderStatus::kRetrying) {
    summary.AddRow({"next attempt", proto::FormatTime(order.next_attempt_us)});
  }
  if (!req.metadata_json.empty()) summary.AddRow({"metadata", req.metadata_json});
  if (!req.idempotency_key.empty()) summary.AddRow({"idempotency key", req.idempotency_key});
  if (!req.traceparent.empty()) summary.AddRow({"traceparent", req.traceparent});
  for (const auto& [key, value] : order.outputs) {
    if (key != "total_cents") summary.AddRow({key, value});
  }
  return summary.Render() + "\nItems\n" + ItemsTable(req) + "\nStatus history\n" + HistoryTable(order) +
         "\nAttempts\n" + AttemptTable(order) + StepTable(order);
}

std::string OrderListText(const std::vector<OrderRecord>& orders) {
  if (orders.empty()) return "(no orders)\n";
  Table t({{"ORDER"}, {"STATUS"}, {"CUSTOMER"}, {"ITEMS", Align::kRight}, {"ATTEMPTS", Align::kRight}, {"UPDATED"}});
  for (const OrderRecord& o : orders) {
    t.AddRow({o.order_id, std::string(proto::StatusName(o.status)), o.request.customer_id,
              std::to_string(o.request.items.size()), std::to_string(o.attempts), ShortTime(o.updated_us)});
  }
  return t.Render();
}

nlohmann::json OrderListJson(const std::vector<OrderRecord>& orders, const std::string& next_cursor) {
  nlohmann::json list = nlohmann::json::array();
  for (const OrderRecord& o : orders) list.push_back(proto::ToJson(o));
  return {{"orders", std::move(list)}, {"next_cursor", CursorJson(next_cursor)}};
}

std::string StatsText(const proto::Stats& stats, int64_t now_us) {
  Table counts({{""}, {"", Align::kRight}});
  for (int i = 1; i < proto::kNumStatuses; ++i) {
    const uint64_t n = static_cast<size_t>(i) < stats.orders_by_status.size() ? stats.orders_by_status[i] : 0;
    counts.AddRow({std::string(proto::StatusName(static_cast<proto::OrderStatus>(i))), std::to_string(n)});
  }
  Table rest = KeyValue();
  rest.AddRow({"backlog", std::to_string(stats.backlog) + " of at most " + std::to_string(stats.max_backlog)});
  rest.AddRow({"in flight", std::to_string(stats.in_flight)});
  rest.AddRow({"accepted", std::to_string(stats.accepted_total) + " since the broker started"});
  rest.AddRow({"rejected", std::to_string(stats.rejected_total)});
  rest.AddRow({"retries", std::to_string(stats.retries_total)});
  rest.AddRow({"late results", std::to_string(stats.late_results_total)});
  rest.AddRow({"bad frames", std::to_string(stats.bad_frames_total)});
  rest.AddRow({"last event seq", std::to_string(stats.last_event_seq)});
  rest.AddRow({"nodes", std::to_string(stats.nodes.size())});
  rest.AddRow({"uptime", FormatAge(now_us - stats.started_us) + " (since " + proto::FormatTime(stats.started_us) + ")"});
  return "Orders by status\n" + counts.Render() + "\n" + rest.Render();
}

std::string NodesText(const std::vector<proto::NodeInfo>& nodes, int64_t now_us) {
  if (nodes.empty()) return "(no nodes connected)\n";
  Table t({{"NODE"}, {"HOST"}, {"PID", Align::kRight}, {"CREDIT", Align::kRight}, {"IN FLIGHT", Align::kRight},
           {"COMPLETED", Align::kRight}, {"LAST HEARTBEAT", Align::kRight}});
  for (const proto::NodeInfo& n : nodes) {
    t.AddRow({n.node_id, n.host, std::to_string(n.pid), std::to_string(n.credit), std::to_string(n.in_flight),
              std::to_string(n.completed), FormatAge(now_us - n.last_heartbeat_us) + " ago"});
  }
  return t.Render();
}

nlohmann::json NodesJson(const std::vector<proto::NodeInfo>& nodes) {
  nlohmann::json list = nlohmann::json::array();
  for (const proto::NodeInfo& n : nodes) list.push_back(proto::ToJson(n));
  return {{"nodes", std::move(list)}};
}

std::string DeadLettersText(const std::vector<proto::DeadLetter>& entries) {
  if (entries.empty()) return "(no dead letters)\n";
  Table t({{"ORDER"}, {"REASON"}, {"DEAD-LETTERED"}, {"ATTEMPTS", Align::kRight}, {"REDRIVES", Align::kRight}});
  for (const proto::DeadLetter& d : entries) {
    t.AddRow({d.order_id, d.reason, ShortTime(d.dead_lettered_us), std::to_string(d.attempts),
              std::to_string(d.redrives)});
  }
  return t.Render();
}

std::string CatalogText(const std::vector<proto::CatalogEntry>& entries) {
  if (entries.empty()) return "(no products)\n";
  Table t({{"PRODUCT"}, {"NAME"}, {"PRICE", Align::kRight}, {"CURRENCY"}, {"STOCK", Align::kRight}});
  for (const proto::CatalogEntry& e : entries) {
    t.AddRow({e.product_id, e.name, FormatCents(e.unit_price_cents), e.currency, std::to_string(e.stock)});
  }
  return t.Render();
}

nlohmann::json DeadLettersJson(const std::vector<proto::DeadLetter>& entries, const std::string& next_cursor) {
  nlohmann::json list = nlohmann::json::array();
  for (const proto::DeadLetter& d : entries) list.push_back(proto::ToJson(d));
  return {{"dead_letters", std::move(list)}, {"next_cursor", CursorJson(next_cursor)}};
}

std::string DlqEntryText(const proto::DeadLetter& entry, const OrderRecord& order) {
  Table summary = KeyValue();
  summary.AddRow({"order", entry.order_id});
  summary.AddRow({"reason", entry.reason});
  summary.AddRow({"dead-lettered", proto::FormatTime(entry.dead_lettered_us)});
  summary.AddRow({"attempts", std::to_string(entry.attempts)});
  summary.AddRow({"redrives", std::to_string(entry.redrives)});
  summary.AddRow({"customer", order.request.customer_id});
  summary.AddRow({"items", std::to_string(order.request.items.size())});
  summary.AddRow({"total", Total(order.request)});
  summary.AddRow({"created", proto::FormatTime(order.created_us)});
  if (!order.request.metadata_json.empty()) summary.AddRow({"metadata", order.request.metadata_json});
  return summary.Render() + "\nAttempts\n" + AttemptTable(order);
}

nlohmann::json DlqEntryJson(const proto::DeadLetter& entry, const OrderRecord& order) {
  return {{"dead_letter", proto::ToJson(entry)}, {"order", proto::ToJson(order)}};
}

std::string NextPageHint(std::string_view command, const std::string& cursor) {
  if (cursor.empty()) return "";
  return "next page: " + std::string(command) + " --cursor " + cursor + "\n";
}

}  // namespace om::cli
