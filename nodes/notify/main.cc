// ordermesh-notify: prints order events as JSON lines, gap-free. See
// nodes/notify/notifier.h and nodes/notify/event_sequencer.h.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "common/log.h"
#include "common/signals.h"
#include "config/config_loader.h"
#include "nodes/notify/notifier.h"

int main(int argc, char** argv) {
  om::notify::NotifyOptions options;
  CLI::App app{"ordermesh-notify: prints every order event as one JSON line on stdout, in order, without gaps"};
  om::config::ConfigLoader loader("ordermesh-notify", "notify");
  om::notify::RegisterOptions(loader, options);
  loader.Bind(app);
  uint64_t since = 0;
  CLI::Option* since_flag = app.add_option(
      "--since", since, "print every event with seq > SEQ from the broker's log first, then go live (0: the whole "
                        "retained log); without it, start live");
  since_flag->type_name("SEQ");
  CLI11_PARSE(app, argc, argv);
  if (om::Status st = loader.Finish(); !st.ok()) {
    std::cerr << "ordermesh-notify: " << st.message() << "\n";
    return 2;
  }
  if (since_flag->count() > 0) options.since = since;
  if (om::Status st = om::InitLogging("notify", options.log_level, options.log_format); !st.ok()) {
    std::cerr << "ordermesh-notify: " << st.message() << "\n";
    return 2;
  }
  om::InstallShutdownHandlers();

  om::notify::Notifier notifier(options, stdout);
  om::Status st = notifier.Run();
  spdlog::default_logger()->flush();
  if (!st.ok()) {
    spdlog::critical("notify stopped on error: {}", st.ToString());
    return 1;
  }
  return 0;
}
