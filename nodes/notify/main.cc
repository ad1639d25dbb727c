// ordermesh-notify: delivers order events, gap-free and in order, to its sinks
// (stdout, JSON-lines files, webhooks). See nodes/notify/notifier.h,
// nodes/notify/sink_set.h and nodes/notify/event_sequencer.h.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/signals.h"
#include "config/config_loader.h"
#include "nodes/notify/notifier.h"
#include "nodes/notify/open_sinks.h"

int main(int argc, char** argv) {
  om::notify::NotifyOptions options;
  CLI::App app{"ordermesh-notify: delivers every order event, in order and without gaps, to stdout (JSON lines), "
               "files and webhooks ([[notify.sinks]] in the config file)"};
  om::config::ConfigLoader loader("ordermesh-notify", "notify");
  om::notify::RegisterOptions(loader, options);
  loader.Bind(app);
  uint64_t since = 0;
  CLI::Option* since_flag = app.add_option(
      "--since", since, "print every event with seq > SEQ from the broker's log first, then go live (0: the whole "
                        "retained log); without it, start live");
  since_flag->type_name("SEQ");
  std::vector<std::string> files, webhooks;
  app.add_option("--file", files, "also append every event to this JSON-lines file (a file sink; repeatable)")
      ->type_name("PATH");
  app.add_option("--webhook", webhooks,
                 "also POST every event to this http:// URL (a webhook sink with the default retries; repeatable)")
      ->type_name("URL");
  CLI11_PARSE(app, argc, argv);
  if (om::Status st = loader.Finish(); !st.ok()) {
    std::cerr << "ordermesh-notify: " << st.message() << "\n";
    return 2;
  }
  if (since_flag->count() > 0) options.since = since;
  // Shortcut sinks come after the configured ones; with only shortcuts there is no stdout sink.
  for (const auto& path : files) options.sinks.push_back({.type = "file", .path = path});
  for (const auto& url : webhooks) options.sinks.push_back({.type = "webhook", .url = url});
  if (om::Status st = om::InitLogging("notify", options.log_level, options.log_format); !st.ok()) {
    std::cerr << "ordermesh-notify: " << st.message() << "\n";
    return 2;
  }
  om::InstallShutdownHandlers();

  auto sinks = om::notify::OpenSinkSet(options, stdout);
  if (!sinks.ok()) {
    spdlog::critical("cannot open the sinks: {}", sinks.status().ToString());
    return 2;
  }
  om::notify::Notifier notifier(options, std::move(sinks).value());
  om::Status st = notifier.Run();
  spdlog::default_logger()->flush();
  if (!st.ok()) {
    spdlog::critical("notify stopped on error: {}", st.ToString());
    return 1;
  }
  return 0;
}
