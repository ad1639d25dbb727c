// The admin CLI's commands: each one asks the broker through a FrontClient,
// prints the answer (render.h) and returns a Status. cli_main.cc parses the
// command line into the *Args structs below and turns the Status into the
// exit code (ExitCodeFor).
//
// Error vocabulary, as the exit codes see it:
//   kTimeout          the broker did not answer (or could not be reached);
//                     the message names the endpoint and the timeout
//   kNotFound         the broker has no such order / dead letter
//   kInvalidArgument  bad arguments or an invalid order (nothing was sent)
//   anything else     the broker answered with an error, or a bad reply
//
// Thread-safety: commands run on the main thread; a Context and its client
// belong to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "common/status.h"
#include "protocol/front_client.h"
#include "tools/cli/parse.h"

namespace om::cli {

// Process exit codes; the --help footer lists them.
enum ExitCode : int {
  kExitOk = 0,
  kExitBrokerError = 1,
  kExitUsage = 2,
  kExitUnreachable = 3,
  kExitNotFound = 4,
};
int ExitCodeFor(const Status& status);

struct Context {
  proto::FrontClient* client = nullptr;  // not owned
  std::chrono::milliseconds timeout{5000};
  bool json = false;
  std::ostream* out = nullptr;  // results
  std::ostream* err = nullptr;  // field errors and progress notes
};

struct SubmitArgs {
  SubmitFlags flags;            // used when file is empty
  std::string file;             // JSON body; "-" is stdin
  std::string idempotency_key;
  int count = 1;
};

struct OrdersArgs {
  proto::OrderStatus status = proto::OrderStatus::kPending;
  uint32_t limit = 50;  // per page
  std::string cursor;
  bool all = false;     // follow cursors to the last page
};

struct DlqListArgs {
  DlqSelection selection;  // order_id and all unused
  uint32_t limit = 50;
  std::string cursor;
  bool all = false;
};

struct DlqActionArgs {
  DlqSelection selection;
  uint32_t rate = 1000;  // redrive: dead letters per request, one request per second
  bool yes = false;      // purge: confirmed
};

Status RunSubmit(Context& ctx, const SubmitArgs& args);
Status RunOrder(Context& ctx, const std::string& order_id);
Status RunOrders(Context& ctx, const OrdersArgs& args);
Status RunStats(Context& ctx);
Status RunNodes(Context& ctx);
Status RunDlqList(Context& ctx, const DlqListArgs& args);
Status RunDlqShow(Context& ctx, const std::string& order_id);
Status RunDlqRedrive(Context& ctx, const DlqActionArgs& args);
Status RunDlqPurge(Context& ctx, const DlqActionArgs& args);

}  // namespace om::cli
