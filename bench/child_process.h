// ChildProcess: one program the bench started (a broker or a node under
// --spawn), with its stdout and stderr appended to one log file.
//
// The child runs in its own process group, so a Ctrl-C at the terminal
// reaches only the bench, which then stops its children in order; and it
// gets SIGTERM if the bench dies without cleaning up (PR_SET_PDEATHSIG).
// Stop() sends SIGTERM, waits, then SIGKILLs; the destructor does the same
// if nobody called it.
//
// Thread-safety: none; the thread that started a child owns it (the death
// signal is tied to that thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace om::bench {

class ChildProcess {
 public:
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts path with args; output is appended to log_path.
  [[nodiscard]] static Result<std::unique_ptr<ChildProcess>> Start(const std::string& path,
                                                                   const std::vector<std::string>& args,
                                                                   const std::string& log_path);

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  // "ordermesh-broker --data-dir ..." for messages.
  const std::string& command_line() const { return command_line_; }

  bool Running();
  // The exit status once it has exited: the code, or 128 + signal.
  std::optional<int> exit_status() const { return status_; }
  // CPU seconds (user + system) used so far, from /proc; 0 once reaped.
  double CpuSeconds() const;

  // Sends sig (no-op once it has exited).
  void Signal(int sig);
  // Polls for exit for up to timeout.
  bool WaitExit(std::chrono::milliseconds timeout);
  // Waits up to grace for an exit already asked for, then SIGKILLs.
  // Returns the exit status. (A second SIGTERM would not do: ordermesh
  // programs take a second signal as "exit now, skip the drain".)
  int Reap(std::chrono::milliseconds grace);
  // SIGTERM, then Reap(grace).
  int Stop(std::chrono::milliseconds grace) {
    Signal(SIGTERM);
    return Reap(grace);
  }

 private:
  ChildProcess() = default;

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
  std::string command_line_;
};

// Text of the last max_bytes of a file (for error messages about a child).
std::string TailOfFile(const std::string& path, size_t max_bytes = 2000);

}  // namespace om::bench
