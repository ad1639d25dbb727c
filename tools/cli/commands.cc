#include "tools/cli/commands.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "protocol/json.h"
#include "tools/cli/ask.h"
#include "tools/cli/render.h"

namespace om::cli {
namespace {

using std::chrono::milliseconds;

// Pause between redrive batches: --rate is per second.
constexpr milliseconds kRedrivePause{1000};
// Dead letters purged per request (the broker caps it at redrive_batch_max).
constexpr uint32_t kPurgeBatch = 1000;

Result<std::string> ReadFile(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<proto::OrderRequest> BuildOrder(Context& ctx, const SubmitArgs& args) {
  std::vector<proto::FieldError> errors;
  Result<proto::OrderRequest> order = Status::Internal("unset");
  if (!args.file.empty()) {
    auto body = ReadFile(args.file);
    if (!body.ok()) return body.status();
    order = proto::ParseOrderJson(*body, proto::OrderLimits{}, &errors);
  } else {
    order = OrderFromFlags(args.flags, proto::OrderLimits{}, &errors);
  }
  if (order.ok()) return order;
  for (const proto::FieldError& e : errors) *ctx.err << (e.path.empty() ? "(body)" : e.path) << ": " << e.message << "\n";
  const size_t n = std::max<size_t>(errors.size(), 1);
  return Status::InvalidArgument("the order has " + std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                 "; nothing was submitted");
}

// One more batch of a redrive or purge; returns the broker's count.
template <typename Request>
Result<proto::DlqCount> DlqBatch(Context& ctx, const proto::DlqFilter& filter, uint32_t limit) {
  return Ask<proto::DlqCount>(ctx, Request{filter, limit});
}

}  // namespace

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument: return kExitUsage;
    case Code::kTimeout: return kExitUnreachable;
    case Code::kNotFound: return kExitNotFound;
    default: return kExitBrokerError;
  }
}

Status RunSubmit(Context& ctx, const SubmitArgs& args) {
  auto order = BuildOrder(ctx, args);
  if (!order.ok()) return order.status();
  order->idempotency_key = args.idempotency_key;
  const proto::Submit submit{std::move(order).value()};
  nlohmann::json accepted = nlohmann::json::array();
  Status failed;
  for (int i = 0; i < args.count && failed.ok(); ++i) {
    auto reply = Ask<proto::Accepted>(ctx, submit);
    if (!reply.ok()) {
      failed = reply.status();
    } else if (ctx.json) {
      accepted.push_back(AcceptedJson(*reply));
    } else {
      *ctx.out << AcceptedText(*reply) << std::flush;  // one line per order, as it is accepted
    }
  }
  if (ctx.json && !accepted.empty()) {
    PrintJson(ctx, args.count == 1 ? accepted.front() : nlohmann::json{{"accepted", accepted}});
  }
  return failed;
}

Status RunOrder(Context& ctx, const std::string& order_id) {
  auto reply = Ask<proto::Order>(ctx, proto::GetOrder{order_id});
  if (!reply.ok()) return reply.status();
  if (ctx.json) {
    PrintJson(ctx, proto::ToJson(reply->order));
  } else {
    *ctx.out << OrderText(reply->order);
  }
  return Status::Ok();
}

Status RunOrders(Context& ctx, const OrdersArgs& args) {
  std::vector<proto::OrderRecord> orders;
  std::string cursor = args.cursor;
  do {
    auto page = Ask<proto::OrderList>(ctx, proto::ListOrders{args.status, args.limit, cursor});
    if (!page.ok()) return page.status();
    std::move(page->orders.begin(), page->orders.end(), std::back_inserter(orders));
    cursor = page->next_cursor;
  } while (args.all && !cursor.empty());
  if (ctx.json) {
    PrintJson(ctx, OrderListJson(orders, cursor));
  } else {
    *ctx.out << OrderListText(orders)
             << NextPageHint("ordermesh orders --status " + std::string(proto::StatusName(args.status)) +
                                 " --limit " + std::to_string(args.limit),
                             cursor);
  }
  return Status::Ok();
}

Status RunStats(Context& ctx) {
  auto reply = Ask<proto::StatsReply>(ctx, proto::GetStats{true});
  if (!reply.ok()) return reply.status();
  if (ctx.json) {
    PrintJson(ctx, proto::ToJson(reply->stats));
  } else {
    *ctx.out << StatsText(reply->stats, SystemClock::Instance().WallMicros());
  }
  return Status::Ok();
}

Status RunNodes(Context& ctx) {
  auto reply = Ask<proto::StatsReply>(ctx, proto::GetStats{true});
  if (!reply.ok()) return reply.status();
  if (ctx.json) {
    PrintJson(ctx, NodesJson(reply->stats.nodes));
  } else {
    *ctx.out << NodesText(reply->stats.nodes, SystemClock::Instance().WallMicros());
  }
  return Status::Ok();
}

Status RunDlqList(Context& ctx, const DlqListArgs& args) {
  auto filter = DlqFilterFrom(args.selection, /*require_selector=*/false);
  if (!filter.ok()) return filter.status();
  std::vector<proto::DeadLetter> entries;
  std::string cursor = args.cursor;
  do {
    auto page = Ask<proto::DlqListReply>(ctx, proto::DlqList{*filter, args.limit, cursor});
    if (!page.ok()) return page.status();
    std::move(page->entries.begin(), page->entries.end(), std::back_inserter(entries));
    cursor = page->next_cursor;
  } while (args.all && !cursor.empty());
  if (ctx.json) {
    PrintJson(ctx, DeadLettersJson(entries, cursor));
    return Status::Ok();
  }
  std::string command = "ordermesh dlq list --limit " + std::to_string(args.limit);
  if (!args.selection.reason.empty()) command += " --reason " + args.selection.reason;
  if (!args.selection.since.empty()) command += " --since " + args.selection.since;
  if (!args.selection.until.empty()) command += " --until " + args.selection.until;
  *ctx.out << DeadLettersText(entries) << NextPageHint(command, cursor);
  return Status::Ok();
}

Status RunDlqShow(Context& ctx, const std::string& order_id) {
  auto reply = Ask<proto::DlqEntry>(ctx, proto::DlqShow{order_id});
  if (!reply.ok()) return reply.status();
  if (ctx.json) {
    PrintJson(ctx, DlqEntryJson(reply->entry, reply->order));
  } else {
    *ctx.out << DlqEntryText(reply->entry, reply->order);
  }
  return Status::Ok();
}

Status RunDlqRedrive(Context& ctx, const DlqActionArgs& args) {
  auto selected = DlqFilterFrom(args.selection, /*require_selector=*/true);
  if (!selected.ok()) return selected.status();
  // Orders that fail again while this runs are dead-lettered again, later
  // than now: AsOf leaves them for the next run. The budget (what matched at
  // the first request) bounds the work even if the broker's clock is behind.
  const proto::DlqFilter filter = AsOf(*selected, SystemClock::Instance().WallMicros());
  uint64_t redriven = 0, remaining = 0;
  std::optional<uint64_t> budget;
  while (true) {
    const uint64_t left = budget ? *budget - redriven : args.rate;
    auto batch = DlqBatch<proto::DlqRedrive>(ctx, filter, static_cast<uint32_t>(std::min<uint64_t>(args.rate, left)));
    if (!batch.ok()) {
      if (redriven > 0) *ctx.err << "ordermesh: redriven " << redriven << " before the error below\n";
      return batch.status();
    }
    redriven += batch->count;
    remaining = batch->remaining;
    if (!budget) budget = batch->count + batch->remaining;
    if (remaining == 0 || redriven >= *budget) break;
    if (batch->count == 0) {
      return Status::ResourceExhausted("redriven " + std::to_string(redriven) + ", but the broker took none of the " +
                                       std::to_string(remaining) + " left: its backlog is full; try again later");
    }
    if (!ctx.json) *ctx.err << "redriven " << redriven << " so far, " << *budget - redriven << " to go\n";
    std::this_thread::sleep_for(kRedrivePause);
  }
  if (ctx.json) {
    PrintJson(ctx, {{"redriven", redriven}, {"remaining", remaining}});
  } else {
    *ctx.out << "redriven " << redriven << (redriven == 1 ? " dead letter\n" : " dead letters\n");
  }
  return Status::Ok();
}

Status RunDlqPurge(Context& ctx, const DlqActionArgs& args) {
  auto selected = DlqFilterFrom(args.selection, /*require_selector=*/true);
  if (!selected.ok()) return selected.status();
  if (selected->order_id.empty() && !args.yes) {
    return Status::InvalidArgument("purging by filter or --all deletes dead letters for good: add --yes");
  }
  // As in redrive: what matches now, not what arrives while this runs.
  const proto::DlqFilter filter = AsOf(*selected, SystemClock::Instance().WallMicros());
  uint64_t purged = 0, remaining = 0;
  std::optional<uint64_t> budget;
  while (true) {
    const uint64_t left = budget ? *budget - purged : kPurgeBatch;
    auto batch = DlqBatch<proto::DlqPurge>(ctx, filter, static_cast<uint32_t>(std::min<uint64_t>(kPurgeBatch, left)));
    if (!batch.ok()) {
      if (purged > 0) *ctx.err << "ordermesh: purged " << purged << " before the error below\n";
      return batch.status();
    }
    purged += batch->count;
    remaining = batch->remaining;
    if (!budget) budget = batch->count + batch->remaining;
    if (remaining == 0 || purged >= *budget || batch->count == 0) break;
  }
  if (ctx.json) {
    PrintJson(ctx, {{"purged", purged}, {"remaining", remaining}});
  } else {
    *ctx.out << "purged " << purged << (purged == 1 ? " dead letter (its order stays DEAD_LETTERED)\n"
                                                    : " dead letters (their orders stay DEAD_LETTERED)\n");
  }
  return Status::Ok();
}

}  // namespace om::cli
