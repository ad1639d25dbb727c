#include "bench/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

extern char** environ;

namespace om::bench {

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::string& path,
                                                          const std::vector<std::string>& args,
                                                          const std::string& log_path) {
  if (access(path.c_str(), X_OK) != 0) {
    return Status::NotFound("cannot run " + path + ": " + strerror(errno));
  }
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->log_path_ = log_path;
  child->command_line_ = path;
  for (const auto& a : args) child->command_line_ += " " + a;

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls until exec (this process has other threads).
  std::vector<std::string> argv_storage;
  argv_storage.push_back(path);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::IoError("cannot open " + log_path + ": " + strerror(errno));

  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return Status::Internal(std::string("fork failed: ") + strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);                      // Ctrl-C at the terminal reaches only the bench
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // the bench died: stop too
    if (getppid() != parent) _exit(127);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execve(path.c_str(), argv.data(), environ);
    _exit(127);
  }
  close(log_fd);
  child->pid_ = pid;
  return child;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && Running()) (void)Stop(std::chrono::milliseconds(2000));
}

bool ChildProcess::Running() {
  if (status_ || pid_ <= 0) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == 0) return true;
  status_ = r < 0 ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return false;
}

double ChildProcess::CpuSeconds() const {
  if (status_ || pid_ <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start after ')'.
  size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void ChildProcess::Signal(int sig) {
  if (Running()) kill(pid_, sig);
}

bool ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

int ChildProcess::Reap(std::chrono::milliseconds grace) {
  if (!WaitExit(grace)) {
    Signal(SIGKILL);
    (void)WaitExit(std::chrono::milliseconds(5000));
  }
  return status_.value_or(-1);
}

std::string TailOfFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return text;
}

}  // namespace om::bench
