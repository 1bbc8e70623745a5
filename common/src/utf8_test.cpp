#include "truc/common/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace truc {
namespace {

TEST(Utf8Characters, CountsCodePointsOfVietnameseText) {
  EXPECT_EQ(utf8_characters(""), 0u);
  EXPECT_EQ(utf8_characters("abc"), 3u);
  EXPECT_EQ(utf8_characters("Nguyễn Văn Đức"), 14u);
  EXPECT_EQ(utf8_characters("\xF0\x9F\x93\x84"), 1u);  // U+1F4C4, four bytes
}

TEST(Utf8Characters, RefusesMalformedSequences) {
  EXPECT_FALSE(utf8_characters("\xC3"));              // truncated
  EXPECT_FALSE(utf8_characters("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(utf8_characters("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8_characters("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(utf8_characters("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(utf8_characters("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(utf8_characters("\xFF"));
  EXPECT_FALSE(utf8_characters(std::string("a\x80", 2)));
}

}  // namespace
}  // namespace truc
