// The admin CLI's pure parsing: what an operator types on the command line
// turned into protocol values, with messages that say what was expected.
// No I/O, no shared state: safe from any thread, unit-tested in cli_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "protocol/json.h"
#include "protocol/types.h"

namespace om::cli {

// "PRODUCT:QTY" or "PRODUCT:QTY:PRICE_CENTS", e.g. "sku-1:2:1999". QTY and
// PRICE_CENTS are unsigned decimal integers; their ranges are checked later,
// with the rest of the order (OrderFromFlags). A product id holding ':' cannot
// be written this way: use a JSON file.
Result<proto::OrderItem> ParseItem(std::string_view spec);

// A point in time as RFC 3339 ("2026-11-22T04:35:18Z", with optional
// fraction and a numeric offset such as "+02:00"; 't', 'z' and a space
// separator are accepted), a bare date ("2026-11-22", midnight UTC), or Unix
// seconds ("1763786118", optionally with a fraction). Returns Unix
// microseconds. Years 1970..9999.
Result<int64_t> ParseTime(std::string_view text);

// The fields of `ordermesh submit` given as flags.
struct SubmitFlags {
  std::string customer;
  std::vector<std::string> items;  // ParseItem specs
  std::string currency = "USD";
  std::string metadata_json;       // "" for none
};

// Builds the order the flags describe and validates it exactly as the
// gateway validates a JSON body (ParseOrderJson), so limits and messages are
// the same. Every problem goes to *errors, with the JSON path of the field it
// concerns: "items[1]" (the second --item) or "metadata". Returns
// InvalidArgument when there is any problem.
Result<proto::OrderRequest> OrderFromFlags(const SubmitFlags& flags, const proto::OrderLimits& limits,
                                           std::vector<proto::FieldError>* errors);

// Which dead letters a `dlq` command is about, as typed. Times are ParseTime
// text; "" means not given.
struct DlqSelection {
  std::string order_id;  // the positional ID
  std::string reason;
  std::string since;     // dead-lettered at or after
  std::string until;     // dead-lettered before
  bool all = false;      // redrive/purge: every dead letter
};

// The filter a selection names. With require_selector (redrive, purge) the
// selection must name exactly one of: an ID, a filter (--reason and/or
// --since/--until), or --all; nothing at all is an error, so that a bare
// `dlq purge` never means "everything". Without it (list) an empty
// selection matches everything and `all` is ignored (it means "every page").
Result<proto::DlqFilter> DlqFilterFrom(const DlqSelection& selection, bool require_selector);

// The filter narrowed to the dead letters that exist at now_us (to_us capped
// at now_us), for redrive and purge by filter or --all. The broker picks the
// first `limit` matches in order-id order on every request, so without the
// cap an order that is redriven and dead-lettered again within a batch pause
// would be picked again and again while later ones waited. A filter naming
// one order is returned unchanged (clock skew must not hide it).
proto::DlqFilter AsOf(proto::DlqFilter filter, int64_t now_us);

}  // namespace om::cli
