#pragma once

// The signed edXML documents the crash test's agencies exchange: each sender's packages and each
// recipient's status answers, built and signed in the test process with the agency's own key, as
// its software would sign them, so that the hub checks real signatures throughout the run.

#include <filesystem>
#include <string>
#include <vector>

#include "truc/edxml/model.hpp"
#include "truc/security/certificate.hpp"
#include "truc/testing/hub.hpp"

namespace truc::crash {

// Signed edXML documents of one agency, written under `directory`.
class DocumentFactory {
 public:
  DocumentFactory(const testing::TestAgency& agency, std::filesystem::path directory);

  // A new công văn to `recipients`; returns its file.
  std::filesystem::path package(const std::string& number,
                                const std::vector<testing::TestAgency>& to);

  // This agency's status 01 (arrived) about `package`. The same bytes every time it is asked for
  // the same package, so a status resent after a lost answer is a duplicate to the hub.
  std::filesystem::path status(const edxml::Package& package);

 private:
  std::filesystem::path sign(const std::string& name, const std::string& unsigned_bytes);

  const testing::TestAgency& agency_;
  std::filesystem::path directory_;
  security::PrivateKey key_;
  security::Certificate certificate_;
  std::vector<std::filesystem::path> attachment_files_;
};

}  // namespace truc::crash
