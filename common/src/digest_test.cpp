#include "truc/common/digest.hpp"

#include <gtest/gtest.h>

namespace truc {
namespace {

TEST(Digest, MatchesKnownSha256AndSha1Vectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Digest sha1(DigestAlgorithm::sha1);
  sha1.update("ab");
  sha1.update("c");
  EXPECT_EQ(to_hex(sha1.finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

}  // namespace
}  // namespace truc
