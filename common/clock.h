// Clock: the source of time for every piece of logic that waits or expires.
//
// Logic takes a Clock& so tests can move time by hand (FakeClock) and never
// sleep. Times are microseconds: wall time since the Unix epoch for what is
// stored and shown, a monotonic reading for deadlines and timers.
// SystemClock is stateless and thread-safe; FakeClock is for one thread.
#pragma once

#include <cstdint>

namespace om {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (for records and events).
  virtual int64_t WallMicros() const = 0;
  // Monotonic microseconds (for deadlines); only differences mean anything.
  virtual int64_t MonoMicros() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t WallMicros() const override;
  int64_t MonoMicros() const override;
  static SystemClock& Instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_wall_micros = 1'700'000'000'000'000) : wall_(start_wall_micros) {}
  int64_t WallMicros() const override { return wall_; }
  int64_t MonoMicros() const override { return mono_; }
  void Advance(int64_t micros) {
    wall_ += micros;
    mono_ += micros;
  }

 private:
  int64_t wall_;
  int64_t mono_ = 1'000'000;
};

}  // namespace om
