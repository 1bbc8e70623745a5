#pragma once

// The hub core in-process for the tests of the core and of its API faces, without sockets: a
// fresh migrated database in the shared test cluster, a blob store in a temporary directory, a
// generated PKI with two CAs the signature check trusts (as a hub trusts several national CAs),
// three agencies registered through the
// Directory with their certificates, and metrics that record what the core reports. Packages are
// built from the edXML samples and signed in-process. (A separate library from truc_test_support:
// only these tests link the hub and the HTTP vocabulary.)

#include <boost/json/object.hpp>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "truc/edxml/model.hpp"
#include "truc/http/http.hpp"
#include "truc/hub/directory.hpp"
#include "truc/hub/hub.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::testing {

// What the core reported, in order.
class RecordingMetrics final : public hub::HubMetrics {
 public:
  void accepted(store::PackageKind kind, const std::string& face) override;
  void duplicate(const std::string& face) override;
  void rejected(const std::string& code, const std::string& face) override;
  void settled(store::DeliveryState outcome) override;
  void tolerated(const std::string& warning) override;
  void sha1_accepted(const std::string& agency_code) override;

  std::vector<std::string> accepted_kinds;  // "edoc" or "status"
  std::vector<std::string> duplicates;      // faces
  std::vector<std::string> rejections;      // error codes
  std::vector<store::DeliveryState> settlements;
  std::vector<std::string> warnings;
  std::vector<std::string> sha1_accepted_from;  // agency codes
};

class HubFixture {
 public:
  HubFixture();
  ~HubFixture();
  HubFixture(const HubFixture&) = delete;
  HubFixture& operator=(const HubFixture&) = delete;

  hub::Hub& hub() { return hub_; }
  hub::Directory& directory() { return directory_; }
  store::Pool& database() { return database_; }
  RecordingMetrics& metrics() { return metrics_; }
  const store::BlobStore& blobs() const { return blobs_; }
  TestPki& pki() { return pki_; }
  // The CA that issued the agencies' certificates.
  const Issued& ca() const { return ca_; }
  // Another trusted CA, which issued none of them.
  const Issued& other_ca() const { return other_ca_; }
  // How many times the core said deliveries changed (what wakes the push workers).
  int deliveries_changed() const { return deliveries_changed_; }

  // Agencies 0, 1 and 2: code, name, certificate (TLS client and XML signing, UID = code) and a
  // system id; `secret` is empty (the compat tests register their own).
  const TestAgency& agency(std::size_t index) const { return agencies_.at(index); }
  // The SHA-256 fingerprint of the agency's registered certificate.
  const std::string& fingerprint(std::size_t index) const { return fingerprints_.at(index); }
  // The agency as its certificate identifies it to the native face.
  hub::Caller caller(std::size_t index);

  // A công văn from `from` to `to` with a DocumentId of its own and one small attachment.
  edxml::Package package(std::size_t from, const std::vector<std::size_t>& to);
  // A recall (BussinessDocType 1) of `original`, a package of its own.
  edxml::Package recall(std::size_t from, const std::vector<std::size_t>& to,
                        const edxml::Package& original);
  // Agency `from`'s status `code` about `about`.
  edxml::StatusPacket status(std::size_t from, const edxml::Package& about, edxml::StatusCode code);

  std::string unsigned_bytes(const edxml::Package& package) const;
  // The document signed with agency `signer`'s certificate.
  std::string signed_bytes(const edxml::Package& package, std::size_t signer) const;
  std::string signed_bytes(const edxml::StatusPacket& status, std::size_t signer) const;
  // Signed by its sender.
  std::string signed_bytes(const edxml::Package& package) const;
  // Signed with any issued certificate (and its key), as `options` say.
  std::string signed_with(const edxml::Package& package, const Issued& certificate,
                          security::SignOptions options = {}) const;

  // Writes `bytes` into the blob store's tmp/ directory, as the HTTP server spools an upload.
  std::filesystem::path spool(const std::string& bytes);
  // Spools `bytes` and submits them as agency `as`.
  Result<hub::SubmitResult> submit(std::size_t as, const std::string& bytes);
  // The same, for a document that must be accepted: its hub id (throws otherwise).
  std::string send(std::size_t as, const std::string& bytes);

 private:
  std::string sign(const std::string& unsigned_document, const Issued& certificate,
                   security::SignOptions options = {}) const;
  std::size_t index_of(const std::string& code) const;

  TempDir temporary_;
  TestPki pki_;
  Issued ca_;
  Issued other_ca_;
  std::vector<TestAgency> agencies_;
  std::vector<std::string> fingerprints_;
  store::Pool database_;
  store::BlobStore blobs_;
  security::TrustStore trust_;
  RecordingMetrics metrics_;
  int deliveries_changed_ = 0;
  hub::Hub hub_;
  hub::Directory directory_;
  std::filesystem::path attachment_;
  int next_number_ = 1;
};

// Calls the route `router` matches for `method` and `target` (path and query) with `request`,
// as the transport would: method, path, query and path parameters filled in, the gate run
// first. Throws when no route matches, or when the request's body is not where the route's
// BodyMode says it goes.
http::Response call(const http::Router& router, const std::string& method,
                    const std::string& target, http::Request request = {});

// The response's body as a JSON object; throws when it is not one.
boost::json::object json_of(const http::Response& response);

}  // namespace truc::testing

namespace truc::store {

// So that GoogleTest prints a delivery state as its name.
inline void PrintTo(DeliveryState state, std::ostream* out) { *out << to_string(state); }

}  // namespace truc::store
