#include "common/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace om {
namespace {

std::atomic<bool> g_shutdown{false};

void OnSignal(int) {
  if (g_shutdown.exchange(true)) _exit(130);
}

}  // namespace

void InstallShutdownHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool ShutdownRequested() { return g_shutdown.load(std::memory_order_relaxed); }

void RequestShutdown() { g_shutdown.store(true); }

}  // namespace om
