#include "bench/machine_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

namespace om::bench {

MachineInfo ReadMachineInfo() {
  MachineInfo m;
  m.nproc = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) m.cpu_model = line.substr(line.find_first_not_of(" \t", colon + 1));
      break;
    }
  }
  utsname u{};
  if (uname(&u) == 0) {
    m.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
    m.hostname = u.nodename;
  }
  return m;
}

std::string LoadAverage1m() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first;
}

}  // namespace om::bench
