#include "truc/common/file.hpp"

#include <gtest/gtest.h>

#include "truc/testing/temp_dir.hpp"

namespace truc {
namespace {

TEST(AtomicFileWriter, LeavesNothingBehindWithoutCommit) {
  testing::TempDir directory;
  auto target = directory.path() / "out.bin";
  {
    auto writer = AtomicFileWriter::create(target);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write("partial"));
  }
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_TRUE(std::filesystem::is_empty(directory.path()));
}

TEST(AtomicFileWriter, PublishesTheWholeFileOnCommit) {
  testing::TempDir directory;
  auto target = directory.path() / "out.bin";
  auto writer = AtomicFileWriter::create(target);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->write("whole"));
  ASSERT_TRUE(writer->commit());
  auto content = read_small_file(target);
  ASSERT_TRUE(content);
  EXPECT_EQ(*content, "whole");
}

TEST(ReadSmallFile, ReportsMissingFilesAndOversizedFiles) {
  testing::TempDir directory;
  auto missing = read_small_file(directory.path() / "absent");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "io.open");
  auto writer = AtomicFileWriter::create(directory.path() / "big");
  ASSERT_TRUE(writer && writer->write(std::string(100, 'x')) && writer->commit());
  auto big = read_small_file(directory.path() / "big", 10);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "io.too_large");
}

}  // namespace
}  // namespace truc
