// StartQuietThread: starts a std::thread with SIGINT and SIGTERM blocked, so
// a Ctrl-C always lands on the main thread (which polls for it) and never
// interrupts a ZeroMQ call on a helper thread with EINTR.
#pragma once

#include <signal.h>

#include <thread>
#include <utility>

namespace om::bench {

template <typename F>
std::thread StartQuietThread(F&& f) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);  // the new thread inherits this mask
  std::thread t(std::forward<F>(f));
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return t;
}

}  // namespace om::bench
