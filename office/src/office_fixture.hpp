#pragma once

// For the office's _pgtest suites: a migrated database of its own on the shared test cluster,
// with the office's services over it, and documents arriving as the hub would deliver them.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "truc/edxml/model.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/assignments.hpp"
#include "truc/office/catalogues.hpp"
#include "truc/office/delegations.hpp"
#include "truc/office/inbox.hpp"
#include "truc/office/incoming.hpp"
#include "truc/office/oversight.hpp"
#include "truc/office/register_book.hpp"
#include "truc/office/uploads.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::office {

inline constexpr const char* kTestPassword = "mật khẩu đủ dài";
inline const Actor kConsole{std::nullopt, ""};

class OfficeFixture : public ::testing::Test {
 protected:
  OfficeFixture();

  Agency agency(const std::string& code, const std::string& name = "Sở Nội vụ");
  // A package from testing::sample_package() with this subject, delivered to the agency;
  // returns its incoming document's id.
  std::int64_t arrive(const Agency& agency, const std::string& subject,
                      const std::string& hub_package_id = "");
  // The sender's recall package (BussinessDocType 1) of incoming document `incoming_id`, with the
  // reason "Ban hành nhầm", delivered to the agency.
  void recall(const Agency& agency, std::int64_t incoming_id, const std::string& hub_package_id);
  // The sender's edXML DocumentId of an incoming document.
  std::string document_id_of(std::int64_t incoming_id);
  // The bytes of such a package, signed by a certificate of signing_ca_ when `signed_by_sender`.
  std::string package_bytes(const std::string& subject, bool signed_by_sender = false);
  // Writes `bytes` into the blob store's temporary directory, as a spooled push body is.
  std::filesystem::path spooled(const std::string& bytes);
  // The files in the blob store, published or temporary.
  std::size_t stored_files();

  std::int64_t count(const std::string& sql, const std::vector<store::Parameter>& parameters = {});
  void run(const std::string& sql, const std::vector<store::Parameter>& parameters = {});

  testing::TempDir directory_;
  testing::TestPki pki_{directory_.path()};
  // Agencies' signing certificates chain to it: the office's [signatures] trust_ca.
  testing::Issued signing_ca_ = pki_.create_ca("Office Fixture CA");
  store::Pool database_;
  store::BlobStore blobs_;
  edxml::Parser parser_;
  security::TrustStore trust_;
  Accounts accounts_{database_, SignInPolicy{.max_failed_attempts = 3}};
  Catalogues catalogues_{database_};
  int statuses_owed_ = 0;  // times IncomingDocuments announced a status to send
  IncomingDocuments incoming_{database_, [this] { ++statuses_owed_; }};
  Assignments assignments_{database_, incoming_, [this] { ++statuses_owed_; }};
  RegisterBooks register_books_{database_};
  Oversight oversight_{database_, /*due_soon_days=*/3};
  Delegations delegations_{database_};
  Inbox inbox_{database_, blobs_, parser_, trust_, /*forbid_sha1=*/true};
  Uploads uploads_{database_, blobs_};
  int next_package_ = 0;
};

}  // namespace truc::office
