// How the admin CLI shows each broker reply: a human-readable text form
// (aligned tables, see table.h) and a JSON form built from protocol/json.h's
// ToJson, so `--json` prints the same field names as the HTTP API.
//
// JSON shapes beyond ToJson's records (one document per command):
//   submit        {"order_id", "duplicate"}; with --count > 1
//                 {"accepted": [{"order_id", "duplicate"}, ...]}
//   orders        {"orders": [Order...], "next_cursor": "..." or null}
//   nodes         {"nodes": [Node...]}
//   dlq list      {"dead_letters": [DeadLetter...], "next_cursor": ... or null}
//   dlq show      {"dead_letter": DeadLetter, "order": Order}
//   dlq redrive   {"redriven": n, "remaining": n}
//   dlq purge     {"purged": n, "remaining": n}
//   catalog *     {"products": [CatalogEntry...]}
//
// Pure functions of their arguments (the current time is passed in, never
// read): safe from any thread, unit-tested in cli_test.cc. Text output ends
// in '\n'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/messages.h"

namespace om::cli {

// ---- small pieces ----

// 1999 -> "19.99", 5 -> "0.05", -250 -> "-2.50".
std::string FormatCents(int64_t cents);
// Elapsed time, coarsest useful unit: "850ms", "4.2s", "3m07s", "2h05m",
// "3d04h". Negative (clock skew between hosts) shows as "0ms".
std::string FormatAge(int64_t micros);
// A duration measured by a node: "850us", "12.3ms", "1.25s".
std::string FormatDuration(int64_t micros);
// RFC 3339 UTC to the millisecond, for table cells: "2026-11-22T04:35:18.123Z".
std::string ShortTime(int64_t unix_micros);

// ---- per command ----

std::string AcceptedText(const proto::Accepted& accepted);  // "<id>" or "<id> (duplicate)"
nlohmann::json AcceptedJson(const proto::Accepted& accepted);

// Summary block, then the items, the status history and the attempt log as tables.
std::string OrderText(const proto::OrderRecord& order);

std::string OrderListText(const std::vector<proto::OrderRecord>& orders);
nlohmann::json OrderListJson(const std::vector<proto::OrderRecord>& orders, const std::string& next_cursor);

std::string StatsText(const proto::Stats& stats, int64_t now_us);

std::string NodesText(const std::vector<proto::NodeInfo>& nodes, int64_t now_us);
nlohmann::json NodesJson(const std::vector<proto::NodeInfo>& nodes);

std::string DeadLettersText(const std::vector<proto::DeadLetter>& entries);
nlohmann::json DeadLettersJson(const std::vector<proto::DeadLetter>& entries, const std::string& next_cursor);

// PRODUCT NAME PRICE CURRENCY STOCK, by product id.
std::string CatalogText(const std::vector<proto::CatalogEntry>& entries);

std::string DlqEntryText(const proto::DeadLetter& entry, const proto::OrderRecord& order);
nlohmann::json DlqEntryJson(const proto::DeadLetter& entry, const proto::OrderRecord& order);

// "next page: <command> --cursor <cursor>\n", or "" when cursor is empty.
std::string NextPageHint(std::string_view command, const std::string& cursor);

}  // namespace om::cli
