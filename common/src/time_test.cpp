#include "truc/common/time.hpp"

#include <gtest/gtest.h>

namespace truc {
namespace {

TEST(Iso8601, ParsesUtcOffsetsAndBareDates) {
  auto utc = parse_iso8601("2020-06-01T00:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(format_iso8601(*utc), "2020-06-01T00:00:00Z");
  auto hanoi = parse_iso8601("2020-06-01T07:00:00+07:00");
  ASSERT_TRUE(hanoi);
  EXPECT_EQ(*hanoi, *utc);
  auto date = parse_iso8601("2020-06-01");
  ASSERT_TRUE(date);
  EXPECT_EQ(*date, *utc);
}

TEST(Iso8601, FormatsMilliseconds) {
  Instant time = std::chrono::time_point_cast<std::chrono::milliseconds>(
                     *parse_iso8601("2024-05-02T14:05:00Z")) +
                 std::chrono::milliseconds(7);
  EXPECT_EQ(format_iso8601(time), "2024-05-02T14:05:00.007Z");
}

TEST(Iso8601, RejectsMalformedTimes) {
  for (const char* text : {"", "2020-13-01", "2020-02-30", "2020-06-01T25:00:00Z",
                           "2020-06-01T00:00:00", "2020-06-01T00:00:00+7", "yesterday"}) {
    auto parsed = parse_iso8601(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, "time.invalid");
  }
}

}  // namespace
}  // namespace truc
