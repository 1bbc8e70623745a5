#include "utf.hpp"

#include <gtest/gtest.h>

namespace truc::edxml {
namespace {

TEST(Utf, TranscodesUtf16IncludingSurrogatePairs) {
  const char16_t text[] = u"Hà Nội 𝄞";
  EXPECT_EQ(to_utf8(text), "Hà Nội 𝄞");
  const char16_t lone[] = {u'a', 0xd800, u'b', 0};
  EXPECT_EQ(to_utf8(lone),
            "a\xef\xbf\xbd"
            "b");
}

TEST(Utf, ValidatorAcceptsUtf8SplitAnywhere) {
  std::string text = "Thừa Thiên Huế 𝄞";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    Utf8Validator validator;
    EXPECT_TRUE(validator.feed(text.substr(0, split)));
    EXPECT_TRUE(validator.feed(text.substr(split)));
    EXPECT_TRUE(validator.complete());
  }
}

TEST(Utf, ValidatorRejectsOverlongSurrogatesAndOutOfRange) {
  for (std::string bad :
       {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "\x80"}) {
    Utf8Validator validator;
    EXPECT_FALSE(validator.feed(bad)) << bad;
  }
  Utf8Validator truncated;
  EXPECT_TRUE(truncated.feed("\xe1\xba"));
  EXPECT_FALSE(truncated.complete());
}

}  // namespace
}  // namespace truc::edxml
