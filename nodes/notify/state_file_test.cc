#include "nodes/notify/state_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nodes/notify/sink_test_util.h"

namespace om::notify {
namespace {

using StateFileTest = testing::TempDirTest;

TEST_F(StateFileTest, SavedSeqsLoadBackAndNoTempFileRemains) {
  const SinkSeqs seqs = {{"stdout", 41}, {"webhook:http://127.0.0.1:9/h", 40}};
  ASSERT_TRUE(SaveStateFile(Path("state/notify.json"), seqs).ok());
  auto loaded = LoadStateFile(Path("state/notify.json"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, seqs);
  EXPECT_FALSE(std::filesystem::exists(Path("state/notify.json.tmp")));
  ASSERT_TRUE(SaveStateFile(Path("state/notify.json"), {{"stdout", 42}}).ok());
  EXPECT_EQ(LoadStateFile(Path("state/notify.json"))->at("stdout"), 42u);
}

TEST_F(StateFileTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadStateFile(Path("none.json")).status().code(), Code::kNotFound);
}

TEST_F(StateFileTest, ForeignFileIsCorruption) {
  std::ofstream(Path("s.json")) << "{\"sinks\":{\"stdout\":1}}";  // no format
  EXPECT_EQ(LoadStateFile(Path("s.json")).status().code(), Code::kCorruption);
  std::ofstream(Path("t.json")) << "{\"format\":1,\"sinks\":{\"stdout\":-1}}";
  EXPECT_EQ(LoadStateFile(Path("t.json")).status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace om::notify
