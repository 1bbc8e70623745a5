#include "truc/office/passwords.hpp"

#include <gtest/gtest.h>

namespace truc::office {
namespace {

TEST(Passwords, AHashIsArgon2idSaltedAndMatchesOnlyItsPassword) {
  auto first = hash_password("mật khẩu đủ dài");
  auto second = hash_password("mật khẩu đủ dài");
  ASSERT_TRUE(first) << first.error().code;
  ASSERT_TRUE(second);
  EXPECT_EQ(first->rfind("$argon2id$v=19$", 0), 0u) << *first;
  EXPECT_NE(*first, *second);  // a fresh salt each time
  EXPECT_TRUE(password_matches("mật khẩu đủ dài", *first));
  EXPECT_TRUE(password_matches("mật khẩu đủ dài", *second));
  EXPECT_FALSE(password_matches("mat khau du dai", *first));
  EXPECT_FALSE(password_matches("", *first));
  EXPECT_FALSE(password_needs_rehash(*first));
}

TEST(Passwords, AStoredValueThatIsNotAnArgon2idHashNeverMatches) {
  for (std::string stored : {"", "mật khẩu đủ dài", "$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA",
                             "$argon2id$v=19$garbage", "$2b$12$abcdefghijklmnopqrstuv"}) {
    EXPECT_FALSE(password_matches("mật khẩu đủ dài", stored)) << stored;
    EXPECT_TRUE(password_needs_rehash(stored)) << stored;
  }
}

TEST(Passwords, TheRulesCountCharactersNotBytesAndBoundTheLength) {
  EXPECT_EQ(check_password_rules("ngắn").error().code, "password.too_short");
  // Nine Vietnamese letters take more than ten bytes but are still nine characters.
  EXPECT_EQ(check_password_rules("đườngđười").error().code, "password.too_short");
  EXPECT_TRUE(check_password_rules("đủ mười ký"));
  EXPECT_EQ(check_password_rules(std::string(1025, 'a')).error().code, "password.too_long");
  EXPECT_EQ(check_password_rules("mười ký tự\xC3").error().code, "password.invalid");
}

}  // namespace
}  // namespace truc::office
