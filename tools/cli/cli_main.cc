// ordermesh: the admin CLI. Parses the command line (CLI11 + ConfigLoader's
// [cli] options), connects one FrontClient to the broker's front socket, runs
// one command (commands.h) and turns its Status into the exit code.
#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "protocol/front_client.h"
#include "tools/cli/catalog_commands.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/commands.h"

namespace {

using om::cli::DlqSelection;

constexpr const char* kDescription =
    "ordermesh: the admin CLI of an ordermesh broker. Submit orders, look them up, list them by\n"
    "status, watch the broker and its nodes, and search, redrive or purge dead letters.\n"
    "Add --json to any command for one JSON document (the same fields as the HTTP API).";

constexpr const char* kFooter =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the broker answered with an error (backlog full, draining, storage, ...)\n"
    "  2  bad arguments or an invalid order (nothing was sent)\n"
    "  3  the broker did not answer within timeout_ms (not running? wrong --broker-endpoint?)\n"
    "  4  no such order or dead letter\n"
    "\n"
    "Times (--since, --until) are RFC 3339 (2026-11-22T04:35:18Z, 2026-11-22) or Unix seconds.";

// The deepest subcommand that was parsed, for error hints.
const CLI::App& Deepest(const CLI::App& app) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  return *at;
}

// "ordermesh dlq list".
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  return path;
}

// One line for a command line CLI11 refused. An unknown command name is
// otherwise reported as "A subcommand is required".
std::string UsageProblem(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App& at = Deepest(app);
  const std::vector<std::string> extra = app.remaining(/*recurse=*/true);
  std::string problem = e.what();
  if (at.get_require_subcommand_min() > 0 && at.get_subcommands().empty() && !extra.empty()) {
    problem = "unknown command '" + extra.front() + "'";
  }
  return problem + " (see '" + CommandPath(app) + " --help')";
}

// The DLQ selector options shared by redrive and purge (and, without --all, list).
void AddFilterOptions(CLI::App* sub, DlqSelection& s) {
  sub->add_option("--reason", s.reason, "only dead letters with this reason: retryable_error, visibility_timeout or node_lost");
  sub->add_option("--since", s.since, "only those dead-lettered at or after TIME")->type_name("TIME");
  sub->add_option("--until", s.until, "only those dead-lettered before TIME")->type_name("TIME");
}

CLI::Validator StatusName() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (om::proto::ParseStatus(text)) return "";
        return "unknown status '" + text + "' (PENDING, PROCESSING, RETRYING, PROCESSED, FAILED, DEAD_LETTERED)";
      },
      "");
}

}  // namespace

int main(int argc, char** argv) {
  om::cli::CliOptions options;
  om::config::ConfigLoader loader("ordermesh", "cli");
  om::cli::RegisterOptions(loader, options);

  CLI::App app{kDescription, "ordermesh"};
  app.fallthrough();  // global options also after the subcommand: `ordermesh stats --json`
  app.require_subcommand(1);
  app.footer(kFooter);
  bool json = false;
  app.add_flag("--json", json, "print one JSON document instead of tables");
  loader.Bind(app);

  // ---- submit
  om::cli::SubmitArgs submit_args;
  auto* submit = app.add_subcommand(
      "submit", "submit an order; prints its id (\"(duplicate)\" for an idempotent repeat)\n"
                "e.g. ordermesh submit --customer c1 --item sku-1:2:1999 --item sku-2:1");
  auto* customer = submit->add_option("--customer", submit_args.flags.customer, "customer id");
  auto* item = submit->add_option("--item", submit_args.flags.items, "an item, repeatable; PRICE_CENTS is optional")
                   ->type_name("PRODUCT:QTY[:PRICE_CENTS]");
  auto* currency = submit->add_option("--currency", submit_args.flags.currency, "three upper-case letters")
                       ->capture_default_str();
  auto* metadata = submit->add_option("--metadata", submit_args.flags.metadata_json,
                                      "a JSON object kept with the order, e.g. '{\"gift\":true}'")
                       ->type_name("JSON");
  auto* file = submit->add_option("--file", submit_args.file, "the order as a JSON body (as POST /orders takes); - for stdin")
                   ->type_name("FILE");
  submit->add_option("--idempotency-key", submit_args.idempotency_key, "a repeat with this key returns the original order");
  submit->add_option("--count", submit_args.count, "submit N copies (scripting, tests; 1..10000000); one id per line")
      ->type_name("N")
      ->check(CLI::Range(1, 10'000'000).description(""))
      ->capture_default_str();
  customer->needs(item);
  item->needs(customer);
  file->excludes(customer)->excludes(item)->excludes(currency)->excludes(metadata);
  submit->footer(
      "The order is checked like an HTTP body before it is sent; problems are printed as\n"
      "'path: message' with the JSON path (items[1] is the second --item).\n"
      "Examples:\n"
      "  ordermesh submit --customer c1 --item sku-1:2:1999 --metadata '{\"gift\":true}'\n"
      "  ordermesh submit --file order.json --idempotency-key 7f3a");

  // ---- order
  std::string order_id;
  auto* order = app.add_subcommand("order", "show an order: summary, status history, attempts\n"
                                            "e.g. ordermesh order 0192f3b4-6c1e-7a3b-8f00-1c2d3e4f5a6b");
  order->add_option("ID", order_id, "order id")->required();

  // ---- orders
  om::cli::OrdersArgs orders_args;
  std::string status_text;
  auto* orders = app.add_subcommand("orders", "list the orders in one status, a page at a time\n"
                                              "e.g. ordermesh orders --status processed --limit 20");
  orders->add_option("--status", status_text, "PENDING, PROCESSING, RETRYING, PROCESSED, FAILED or DEAD_LETTERED")
      ->type_name("STATUS")
      ->required()
      ->check(StatusName());
  orders->add_option("--limit", orders_args.limit, "orders per page (1..1000)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000).description(""))
      ->capture_default_str();
  orders->add_option("--cursor", orders_args.cursor, "start after this order id (the previous page's next cursor)");
  orders->add_flag("--all", orders_args.all, "follow the cursors to the last page");

  // ---- stats, nodes
  auto* stats = app.add_subcommand("stats", "order counts by status, backlog, in flight, totals, uptime\n"
                                            "e.g. ordermesh stats --json");
  auto* nodes = app.add_subcommand("nodes", "the connected processor nodes, their credit and last heartbeat\n"
                                            "e.g. ordermesh nodes");

  // ---- catalog
  auto* catalog = app.add_subcommand("catalog", "the products: price, currency and stock\n"
                                                "e.g. ordermesh catalog set sku-1 --stock 250");
  catalog->require_subcommand(1);
  std::vector<std::string> catalog_ids;
  auto* catalog_list = catalog->add_subcommand("list", "every product, or the ones named\n"
                                                       "e.g. ordermesh catalog list sku-1 sku-2");
  catalog_list->add_option("ID", catalog_ids, "product ids (none: all)");
  om::cli::CatalogSetArgs set_args;
  std::string set_name, set_currency;
  int64_t set_price = 0, set_stock = 0;
  auto* catalog_set = catalog->add_subcommand("set", "create a product or change some of its fields (stock is set, not added)\n"
                                                     "e.g. ordermesh catalog set sku-9 --name Tamper --price 2500 --stock 40");
  catalog_set->add_option("ID", set_args.product_id, "product id")->required();
  auto* name_opt = catalog_set->add_option("--name", set_name, "display name");
  auto* price_opt = catalog_set->add_option("--price", set_price, "unit price in cents")->check(CLI::NonNegativeNumber);
  auto* stock_opt = catalog_set->add_option("--stock", set_stock, "units on hand")->check(CLI::NonNegativeNumber);
  auto* currency_opt = catalog_set->add_option("--currency", set_currency, "ISO 4217 code, e.g. EUR (new products: USD)");
  std::string import_path;
  auto* catalog_import = catalog->add_subcommand("import", "create or replace every product of a catalog file, atomically\n"
                                                           "e.g. ordermesh catalog import config/catalog.toml");
  catalog_import->add_option("FILE", import_path, "a catalog file (the format of config/catalog.toml)")->required();

  // ---- dlq
  auto* dlq = app.add_subcommand("dlq", "the dead-letter store: list, show, redrive, purge\n"
                                        "e.g. ordermesh dlq list --reason node_lost");
  dlq->require_subcommand(1);
  om::cli::DlqListArgs list_args;
  auto* dlq_list = dlq->add_subcommand("list", "list dead letters, optionally filtered\n"
                                               "e.g. ordermesh dlq list --since 2026-11-22T00:00:00Z --limit 20");
  AddFilterOptions(dlq_list, list_args.selection);
  dlq_list->add_option("--limit", list_args.limit, "entries per page (1..1000)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000).description(""))
      ->capture_default_str();
  dlq_list->add_option("--cursor", list_args.cursor, "start after this order id (the previous page's next cursor)");
  dlq_list->add_flag("--all", list_args.all, "follow the cursors to the last page");

  std::string show_id;
  auto* dlq_show = dlq->add_subcommand("show", "one dead letter with its order and attempt history\n"
                                               "e.g. ordermesh dlq show 0192f3b4-6c1e-7a3b-8f00-1c2d3e4f5a6b");
  dlq_show->add_option("ID", show_id, "order id")->required();

  om::cli::DlqActionArgs redrive_args;
  auto* dlq_redrive = dlq->add_subcommand("redrive", "send dead letters back to PENDING, at most --rate per second\n"
                                                     "e.g. ordermesh dlq redrive --reason node_lost --rate 100");
  dlq_redrive->add_option("ID", redrive_args.selection.order_id, "one order id");
  AddFilterOptions(dlq_redrive, redrive_args.selection);
  dlq_redrive->add_flag("--all", redrive_args.selection.all, "every dead letter");
  dlq_redrive->add_option("--rate", redrive_args.rate, "dead letters redriven per second (1..1000000)")
      ->type_name("N")
      ->check(CLI::Range(1, 1'000'000).description(""))
      ->capture_default_str();
  dlq_redrive->footer(
      "Name what to redrive: an ID, a filter (--reason, --since, --until) or --all. A redrive takes the\n"
      "dead letters that match when it starts (by this host's clock): orders that fail again while it\n"
      "runs are dead-lettered again and left for the next run.");

  om::cli::DlqActionArgs purge_args;
  auto* dlq_purge = dlq->add_subcommand("purge", "delete dead-letter entries for good (their orders stay DEAD_LETTERED)\n"
                                                 "e.g. ordermesh dlq purge --until 2026-11-01 --yes");
  dlq_purge->add_option("ID", purge_args.selection.order_id, "one order id");
  AddFilterOptions(dlq_purge, purge_args.selection);
  dlq_purge->add_flag("--all", purge_args.selection.all, "every dead letter");
  dlq_purge->add_flag("--yes", purge_args.yes, "confirm a purge by filter or --all");
  dlq_purge->footer("Name what to purge: an ID, a filter (--reason, --since, --until) or --all (with --yes).");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "ordermesh: " << UsageProblem(app, e) << "\n";
    return om::cli::kExitUsage;
  }
  if (om::Status st = loader.Finish(); !st.ok()) {
    std::cerr << "ordermesh: " << st.message() << "\n";
    return om::cli::kExitUsage;
  }

  zmq::context_t zmq_context;
  std::optional<om::proto::FrontClient> client;
  try {
    client.emplace(zmq_context, options.broker_endpoint);
  } catch (const zmq::error_t& e) {
    std::cerr << "ordermesh: broker_endpoint '" << options.broker_endpoint << "': " << e.what() << "\n";
    return om::cli::kExitUsage;
  }
  om::cli::Context ctx{.client = &*client,
                       .timeout = std::chrono::milliseconds(options.timeout_ms),
                       .json = json,
                       .out = &std::cout,
                       .err = &std::cerr};

  om::Status st;
  if (submit->parsed()) {
    st = om::cli::RunSubmit(ctx, submit_args);
  } else if (order->parsed()) {
    st = om::cli::RunOrder(ctx, order_id);
  } else if (orders->parsed()) {
    orders_args.status = *om::proto::ParseStatus(status_text);  // checked by StatusName()
    st = om::cli::RunOrders(ctx, orders_args);
  } else if (stats->parsed()) {
    st = om::cli::RunStats(ctx);
  } else if (nodes->parsed()) {
    st = om::cli::RunNodes(ctx);
  } else if (catalog_list->parsed()) {
    st = om::cli::RunCatalogList(ctx, catalog_ids);
  } else if (catalog_set->parsed()) {
    if (name_opt->count()) set_args.name = set_name;
    if (price_opt->count()) set_args.price_cents = set_price;
    if (stock_opt->count()) set_args.stock = set_stock;
    if (currency_opt->count()) set_args.currency = set_currency;
    st = om::cli::RunCatalogSet(ctx, set_args);
  } else if (catalog_import->parsed()) {
    st = om::cli::RunCatalogImport(ctx, import_path);
  } else if (dlq_list->parsed()) {
    st = om::cli::RunDlqList(ctx, list_args);
  } else if (dlq_show->parsed()) {
    st = om::cli::RunDlqShow(ctx, show_id);
  } else if (dlq_redrive->parsed()) {
    st = om::cli::RunDlqRedrive(ctx, redrive_args);
  } else if (dlq_purge->parsed()) {
    st = om::cli::RunDlqPurge(ctx, purge_args);
  }
  std::cout.flush();
  if (!st.ok()) std::cerr << "ordermesh: " << st.message() << "\n";
  return om::cli::ExitCodeFor(st);
}
