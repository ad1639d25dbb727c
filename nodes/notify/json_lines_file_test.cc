#include "nodes/notify/json_lines_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "nodes/notify/sink_test_util.h"

namespace om::notify {
namespace {

using JsonLinesFileTest = testing::TempDirTest;

TEST_F(JsonLinesFileTest, NewFileInNewDirectoryHasNoLastSeq) {
  auto f = JsonLinesFile::Open(Path("a/b/events.jsonl"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->last_seq(), 0u);
}

TEST_F(JsonLinesFileTest, ReopenedFileRemembersTheLastSeqItHolds) {
  {
    auto f = JsonLinesFile::Open(Path("e.jsonl"));
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(7, R"({"seq":7})").ok());
    ASSERT_TRUE((*f)->Append(8, R"({"seq":8,"x":"y"})").ok());
    ASSERT_TRUE((*f)->Sync().ok());
  }
  auto f = JsonLinesFile::Open(Path("e.jsonl"));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->last_seq(), 8u);
  ASSERT_TRUE((*f)->Append(9, R"({"seq":9})").ok());
  EXPECT_EQ(Lines(Path("e.jsonl")), (std::vector<std::string>{R"({"seq":7})", R"({"seq":8,"x":"y"})", R"({"seq":9})"}));
}

TEST_F(JsonLinesFileTest, TornLastLineIsCutAndDoesNotCount) {
  std::ofstream(Path("e.jsonl")) << "{\"seq\":1}\n{\"seq\":2}\n{\"seq\":3,\"ord";
  auto f = JsonLinesFile::Open(Path("e.jsonl"));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->last_seq(), 2u);
  EXPECT_EQ((*f)->repaired_bytes(), 13u);
  EXPECT_EQ(Read(Path("e.jsonl")), "{\"seq\":1}\n{\"seq\":2}\n");
}

TEST_F(JsonLinesFileTest, LongLinesAcrossReadChunksAreFound) {
  const std::string big(20'000, 'x');
  std::ofstream(Path("e.jsonl")) << "{\"seq\":1,\"p\":\"" << big << "\"}\n{\"seq\":2,\"p\":\"" << big << "\"}\n";
  auto f = JsonLinesFile::Open(Path("e.jsonl"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->last_seq(), 2u);
}

TEST_F(JsonLinesFileTest, LastLineWithoutSeqIsCorruption) {
  std::ofstream(Path("e.jsonl")) << "{\"seq\":1}\nhello\n";
  auto f = JsonLinesFile::Open(Path("e.jsonl"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Code::kCorruption);
  EXPECT_NE(f.status().message().find("e.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace om::notify
