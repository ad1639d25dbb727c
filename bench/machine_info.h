// MachineInfo: what a result needs to say about where it was measured.
// Read from sysconf, /proc/cpuinfo, uname and /proc/loadavg (Linux).
#pragma once

#include <string>

namespace om::bench {

struct MachineInfo {
  int nproc = 0;          // online CPUs
  std::string cpu_model;  // first "model name" in /proc/cpuinfo
  std::string kernel;     // "Linux 6.1.0-18-amd64 x86_64"
  std::string hostname;
};

MachineInfo ReadMachineInfo();
// The 1-minute load average ("1.23"), or "" when unknown.
std::string LoadAverage1m();

}  // namespace om::bench
