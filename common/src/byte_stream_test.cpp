#include "truc/common/byte_stream.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace truc {
namespace {

TEST(MemorySource, ReadsItsBytesInPiecesThenNothing) {
  MemorySource source("abcde");
  std::array<char, 2> buffer{};
  std::string read;
  for (int calls = 0; calls < 4; ++calls) {
    auto count = source.read(buffer);
    ASSERT_TRUE(count);
    read.append(buffer.data(), *count);
  }
  EXPECT_EQ(read, "abcde");
}

// A default view has no data pointer at all; reading it must not hand null to memcpy (UBSan,
// found by the http_parse fuzz target through an empty multipart body).
TEST(MemorySource, ReadsAnEmptyViewWithoutData) {
  MemorySource source{std::string_view()};
  std::array<char, 8> buffer{};
  auto count = source.read(buffer);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0u);
}

}  // namespace
}  // namespace truc
