// Test helpers for the sink tests: a fresh temp dir per test and events.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/types.h"

namespace om::notify::testing {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "notify_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::vector<std::string> Lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_;
};

inline proto::Event MakeEvent(uint64_t seq, proto::OrderStatus status = proto::OrderStatus::kProcessed) {
  proto::Event e;
  e.seq = seq;
  e.time_us = 1'700'000'000'000'000 + static_cast<int64_t>(seq);
  e.order_id = "order-" + std::to_string(seq);
  e.status = status;
  e.attempt = 1;
  return e;
}

}  // namespace om::notify::testing
