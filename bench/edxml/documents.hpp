#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "truc/common/error.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/testing/pki.hpp"

namespace truc::bench {

// One benchmark input: the sample package as built, and the same package signed.
struct PackageFiles {
  std::filesystem::path unsigned_document;
  std::filesystem::path signed_document;
};

// Writes the benchmark's inputs into a directory: a throwaway PKI (a CA and the sender's
// certificate) and, on request, the sample package with one attachment of a given size, unsigned
// and signed by the sender. Files rather than strings, so that a 100 MB input never has to be held
// in memory to be produced.
class DocumentFactory {
 public:
  explicit DocumentFactory(std::filesystem::path directory);

  // `name` prefixes the files' names; `attachment_bytes` is the decoded size of the attachment
  // (the document is 4/3 of it in base64, plus ~4 kB of header; the signature adds ~2.3 kB).
  Result<PackageFiles> write_package(std::string_view name, std::uint64_t attachment_bytes,
                                     const edxml::Parser& parser) const;

  // The PEM file a verifier must trust.
  const std::filesystem::path& ca_file() const { return ca_.certificate; }

 private:
  std::filesystem::path directory_;
  testing::TestPki pki_;
  testing::Issued ca_;
  testing::Issued sender_;
};

}  // namespace truc::bench
