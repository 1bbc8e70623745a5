#pragma once

// Where current CRLs come from: files given by the operator, and CRLs fetched over HTTP from
// configured URLs and from the CRL distribution points (RFC 5280 §4.2.1.13) of known
// certificates. Fetched CRLs are cached on disk, fetched again before their nextUpdate, and
// swapped into a CurrentCrls as a whole, so verifiers pick them up without a restart.
// Plain HTTP is enough because a CRL is signed: a fetched or cached CRL is taken only when its
// issuer is one of the known CA certificates and its signature verifies with that CA's key, and
// only when it is not older than the one held. Anything else is a failed fetch, and the CRL held
// so far stays in force.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/crl_set.hpp"

namespace truc::security {

struct RevocationSourceOptions {
  std::vector<std::filesystem::path> crl_files;  // always in force
  std::vector<std::string> crl_urls;             // http:// only
  // The known CA certificates: only CRLs they issued and signed are taken. Their CRL
  // distribution points are fetched too (those of intermediates name their CA's CRL).
  std::vector<Certificate> certificates;
  std::filesystem::path cache_directory;  // created when missing; empty: no disk cache
  // The longest time between two fetches of one CRL; sooner when its nextUpdate is nearer.
  std::chrono::seconds refresh_interval{3600};
  std::chrono::seconds fetch_timeout{10};
  // After a failed fetch (the CRL held so far stays in force until its nextUpdate passes).
  std::chrono::seconds retry_interval{60};
};

struct RevocationSourceStats {
  std::uint64_t fetches = 0;         // successful fetches
  std::uint64_t fetch_failures = 0;  // failed fetches (unreachable, not HTTP 200, not a CRL,
                                     // not signed by a known CA, older than the one held)
  std::size_t crls = 0;              // CRLs in force
  std::size_t urls = 0;              // URLs watched
  std::size_t urls_without_crl = 0;  // watched URLs for which no CRL is held
};

// A CRL URL's first URIs in the certificate's CRL distribution points extension.
std::vector<std::string> crl_distribution_points(const Certificate& certificate);

class RevocationSource {
 public:
  // Loads the files (errors stop: certificate.invalid_crl, io.*) and the disk cache, then fetches
  // every URL once; a URL that cannot be fetched keeps its cached CRL and is counted, not fatal
  // (the verifiers then say certificate.crl_unavailable).
  static Result<std::unique_ptr<RevocationSource>> open(RevocationSourceOptions options);
  ~RevocationSource();
  RevocationSource(const RevocationSource&) = delete;
  RevocationSource& operator=(const RevocationSource&) = delete;

  // The CRLs in force, for TrustStoreOptions::current_crls and TlsSettings::client_crls.
  std::shared_ptr<const CurrentCrls> crls() const;

  // Fetches every URL now and puts the result in force before returning. Error:
  // revocation.fetch_failed for the first URL that failed (the others are still fetched).
  Status refresh();
  // Starts the thread that fetches each CRL when due; refresh_soon() wakes it (e.g. on SIGHUP).
  void start();
  void refresh_soon();

  RevocationSourceStats stats() const;

 private:
  struct State;
  explicit RevocationSource(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace truc::security
