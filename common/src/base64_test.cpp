#include "truc/common/base64.hpp"

#include <gtest/gtest.h>

namespace truc {
namespace {

TEST(Base64, RoundTripsEveryLengthUpToThreeBlocks) {
  std::string data;
  for (int length = 0; length < 12; ++length) {
    auto decoded = base64_decode(base64_encode(data));
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<char>(0xf0 + length));
  }
}

TEST(Base64, DecodesAcrossArbitraryChunkBoundariesAndIgnoresLineBreaks) {
  std::string text = "SGVs\r\nbG8s\nIHdv cmxk\tIQ==";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    Base64Decoder decoder;
    std::string out;
    ASSERT_TRUE(decoder.feed(text.substr(0, split), out));
    ASSERT_TRUE(decoder.feed(text.substr(split), out));
    ASSERT_TRUE(decoder.finish(out));
    EXPECT_EQ(out, "Hello, world!");
  }
}

TEST(Base64, EncodesStreamedChunksLikeOneShot) {
  std::string data = "The quick brown fox jumps over the lazy dog";
  for (std::size_t split = 0; split <= data.size(); ++split) {
    Base64Encoder encoder;
    std::string out;
    encoder.feed(data.substr(0, split), out);
    encoder.feed(data.substr(split), out);
    encoder.finish(out);
    EXPECT_EQ(out, base64_encode(data));
  }
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
}

TEST(Base64, RejectsCharactersOutsideTheAlphabet) {
  auto decoded = base64_decode("SGVs*G8=");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, "attachment.base64_invalid");
}

TEST(Base64, RejectsDataAfterPaddingAndMisplacedPadding) {
  EXPECT_FALSE(base64_decode("SGk=SGk="));
  EXPECT_FALSE(base64_decode("S==="));
  EXPECT_FALSE(base64_decode("="));
  EXPECT_FALSE(
      base64_decode("SGk"
                    "="
                    "="));
}

TEST(Base64, RejectsTruncatedInput) {
  EXPECT_FALSE(base64_decode("SGVsb"));
  EXPECT_TRUE(base64_decode("SGk"));  // unpadded but whole bytes
}

}  // namespace
}  // namespace truc
