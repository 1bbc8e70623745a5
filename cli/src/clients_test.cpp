#include <gtest/gtest.h>
#include <sys/stat.h>

#include <limits>

#include "truc/cli/admin_client.hpp"
#include "truc/cli/progress.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::cli {
namespace {

class TokenFileTest : public ::testing::Test {
 protected:
  std::filesystem::path token_with_mode(std::string_view content, mode_t mode) {
    auto path = directory_.write("admin.token", content);
    ::chmod(path.c_str(), mode);
    return path;
  }
  testing::TempDir directory_;
};

TEST_F(TokenFileTest, ReadsAnOwnerOnlyTokenWithoutItsNewline) {
  EXPECT_EQ(*read_token_file(token_with_mode("s3cr3t\n", 0600)), "s3cr3t");
  EXPECT_EQ(*read_token_file(token_with_mode("s3cr3t", 0400)), "s3cr3t");
}

TEST_F(TokenFileTest, RefusesATokenGroupOrOthersMayRead) {
  for (mode_t mode : {0644, 0640, 0604, 0660, 0610}) {
    auto token = read_token_file(token_with_mode("s3cr3t\n", mode));
    ASSERT_FALSE(token) << std::oct << mode;
    EXPECT_EQ(token.error().code, "config.insecure_permissions");
  }
}

TEST_F(TokenFileTest, RefusesAMissingOrEmptyToken) {
  EXPECT_EQ(read_token_file(directory_.path() / "absent").error().code, "config.invalid");
  EXPECT_EQ(read_token_file(token_with_mode("\n", 0600)).error().code, "config.invalid");
}

TEST(PercentOf, RoundsDownAndReachesHundredOnlyAtTheEnd) {
  EXPECT_EQ(percent_of(0, 300), 0u);
  EXPECT_EQ(percent_of(1, 3), 33u);
  EXPECT_EQ(percent_of(2, 3), 66u);
  EXPECT_EQ(percent_of(299, 300), 99u);
  EXPECT_EQ(percent_of(300, 300), 100u);
  EXPECT_EQ(percent_of(0, 0), 100u);
  EXPECT_EQ(percent_of(5, 4), 100u);
}

TEST(PercentOf, DoesNotOverflowNearTheSixtyFourBitLimit) {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(percent_of(kMax - 1, kMax), 99u);
  EXPECT_EQ(percent_of(kMax / 4, kMax), 25u);
  EXPECT_EQ(percent_of(kMax, kMax), 100u);
}

TEST(FormatSize, UsesBinaryUnits) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(50 * 1024 * 1024), "50.0 MiB");
  EXPECT_EQ(format_size(std::uint64_t{3} << 30), "3.0 GiB");
}

TEST(ProgressSteps, ShowsEachStepAndTheEndOnce) {
  ProgressSteps steps(10);
  std::vector<unsigned> shown;
  constexpr std::uint64_t kTotal = 150 * 1024 * 1024;
  for (std::uint64_t done = 0; done < kTotal; done += 64 * 1024) {
    if (auto percent = steps.advance(done, kTotal)) shown.push_back(*percent);
  }
  if (auto percent = steps.advance(kTotal, kTotal)) shown.push_back(*percent);
  EXPECT_EQ(shown, (std::vector<unsigned>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}));
  EXPECT_EQ(steps.advance(kTotal, kTotal), std::nullopt);
}

TEST(ProgressSteps, ShowsNothingForAnUnknownTotal) {
  ProgressSteps steps(1);
  EXPECT_EQ(steps.advance(1000, 0), std::nullopt);
}

}  // namespace
}  // namespace truc::cli
