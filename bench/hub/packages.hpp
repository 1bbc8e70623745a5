#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/testing/hub.hpp"

namespace truc::bench {

// Decoded attachment sizes: a signed package of about 20 kB (the figure for a typical
// công văn), and the largest attachment the hub's parser allows (a package of about 134 MB).
inline constexpr std::uint64_t kSmallAttachmentBytes = 10'300;
inline constexpr std::uint64_t kLargeAttachmentBytes = 100'000'000;

// Signed packages from one agency of the hub under test to another, as that agency's system
// would send them: the sample công văn of tests/support with one attachment, a DocumentId of its
// own (the hub answers a repeated one with the first receipt, which costs less than accepting),
// signed with the sender's certificate, which the hub also knows as its TLS client certificate.
class PackageFactory {
 public:
  // `notation` goes into every DocumentId (after the number), so that factories of one sender
  // never make the same one.
  PackageFactory(std::filesystem::path directory, testing::TestAgency sender,
                 testing::TestAgency recipient, std::string notation);

  // `count` packages held in memory, built and signed on `threads` threads (signing is the slow
  // part: about a millisecond each).
  Result<std::vector<std::string>> make_signed(std::size_t count, std::uint64_t attachment_bytes,
                                               unsigned threads);
  // One package written to a file, so that a 100 MB one is never held in memory.
  Result<std::filesystem::path> write_signed_file(std::uint64_t attachment_bytes);

 private:
  Status write_signed(std::uint64_t number, const std::filesystem::path& attachment,
                      const std::filesystem::path& unsigned_file, ByteSink& out) const;
  Result<std::filesystem::path> attachment_file(std::uint64_t attachment_bytes);

  std::filesystem::path directory_;
  testing::TestAgency sender_;
  testing::TestAgency recipient_;
  std::string notation_;
  std::atomic<std::uint64_t> next_number_{1};
};

}  // namespace truc::bench
