// Graceful-shutdown signals: SIGINT and SIGTERM set a flag that the program's
// loops poll (they wake at least every 100 ms). A second signal while
// stopping exits at once with status 130, for an operator who means it.
// InstallShutdownHandlers() is called once from main(); ShutdownRequested()
// is async-signal-safe and callable from any thread.
#pragma once

namespace om {

void InstallShutdownHandlers();
bool ShutdownRequested();
// For tests and programs that stop themselves.
void RequestShutdown();

}  // namespace om
