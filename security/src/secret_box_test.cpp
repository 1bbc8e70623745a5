#include "truc/security/secret_box.hpp"

#include <gtest/gtest.h>

#include "truc/common/base64.hpp"

namespace truc::security {
namespace {

const std::string kKey(32, '\x42');

TEST(SecretBox, OpensWhatItSealedForTheSameOwner) {
  SecretBox box(kKey);
  std::string sealed = *box.seal("the system's secret", "agency1.demo");
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  auto opened = box.open(sealed, "agency1.demo");
  ASSERT_TRUE(opened) << opened.error().to_string();
  EXPECT_EQ(*opened, "the system's secret");
  EXPECT_EQ(*box.open(*box.seal("", "s"), "s"), "");
}

TEST(SecretBox, UsesAFreshNonceEachTime) {
  SecretBox box(kKey);
  EXPECT_NE(*box.seal("same", "s"), *box.seal("same", "s"));
}

TEST(SecretBox, RefusesAChangedByteAnotherOwnerOrAnotherKey) {
  SecretBox box(kKey);
  std::string sealed = *box.seal("the system's secret", "agency1.demo");
  auto bytes = *base64_decode(sealed);
  for (std::size_t position : {std::size_t{0}, std::size_t{12}, bytes.size() - 1}) {
    std::string tampered = bytes;
    tampered[position] = static_cast<char>(tampered[position] ^ 1);
    auto refused = box.open(base64_encode(tampered), "agency1.demo");
    ASSERT_FALSE(refused) << position;
    EXPECT_EQ(refused.error().code, "server.secret_unreadable");
  }
  EXPECT_FALSE(box.open(sealed, "agency2.demo")) << "moved to another system's row";
  EXPECT_FALSE(SecretBox(std::string(32, '\x43')).open(sealed, "agency1.demo"));
  EXPECT_FALSE(box.open("not base64!", "agency1.demo"));
  EXPECT_FALSE(box.open(base64_encode("short"), "agency1.demo"));
}

}  // namespace
}  // namespace truc::security
