#include "truc/security/revocation_source.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "truc/security/trust_store.hpp"
#include "truc/testing/crl_server.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::security {
namespace {

using namespace std::chrono_literals;
using testing::CrlServer;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class RevocationSourceTest : public ::testing::Test {
 protected:
  RevocationSourceTest() : pki_(directory_.path() / "pki") {
    root_ = pki_.create_ca("root");
    testing::CertificateSpec intermediate;
    intermediate.is_ca = true;
    intermediate.crl_urls = {server_.url("/root.crl")};
    intermediate_ = pki_.issue(root_, "intermediate", intermediate);
    testing::CertificateSpec leaf;
    leaf.crl_urls = {server_.url("/intermediate.crl")};
    leaf_ = pki_.issue(intermediate_, "leaf", leaf);
    server_.publish("/root.crl", pki_.create_crl(root_, {}, "root"));
    server_.publish("/intermediate.crl", pki_.create_crl(intermediate_, {}, "intermediate"));
  }

  static Certificate load(const testing::Issued& issued) {
    return *Certificate::from_pem(issued.certificate_pem);
  }

  // The hub's view: the CAs are known (the intermediate names the root's distribution point);
  // the leaf CRL's URL is configured.
  RevocationSourceOptions options() {
    RevocationSourceOptions result;
    result.crl_urls = {server_.url("/intermediate.crl")};
    result.certificates = {load(root_), load(intermediate_)};
    result.cache_directory = directory_.path() / "cache";
    result.retry_interval = 1s;
    return result;
  }

  std::string verdict(const RevocationSource& source) {
    auto trust = TrustStore::load({{root_.certificate}, {}, {}, source.crls()});
    EXPECT_TRUE(trust) << trust.error().to_string();
    std::vector<Certificate> helpers{load(intermediate_)};
    Status verified = trust->verify(load(leaf_), helpers, now());
    return verified ? "ok" : verified.error().code;
  }

  testing::TempDir directory_;
  CrlServer server_;
  testing::TestPki pki_;
  testing::Issued root_, intermediate_, leaf_;
};

TEST_F(RevocationSourceTest, ReadsTheDistributionPointsOfACertificate) {
  EXPECT_EQ(crl_distribution_points(load(leaf_)),
            std::vector<std::string>{server_.url("/intermediate.crl")});
  EXPECT_TRUE(crl_distribution_points(load(root_)).empty());
}

TEST_F(RevocationSourceTest, FetchesTheCrlsOfTheWholeChainFromTheirDistributionPoints) {
  auto source = RevocationSource::open(options());
  ASSERT_TRUE(source) << source.error().to_string();
  EXPECT_EQ(server_.requests("/root.crl"), 1u);
  EXPECT_EQ(server_.requests("/intermediate.crl"), 1u);
  EXPECT_EQ((*source)->stats().crls, 2u);
  EXPECT_EQ((*source)->stats().urls_without_crl, 0u);
  EXPECT_EQ(verdict(**source), "ok");
}

TEST_F(RevocationSourceTest, ACrlPublishedLaterTakesEffectOnRefreshWithoutARestart) {
  auto source = RevocationSource::open(options());
  ASSERT_TRUE(source) << source.error().to_string();
  auto trust = TrustStore::load({{root_.certificate}, {}, {}, (*source)->crls()});
  ASSERT_TRUE(trust);
  std::vector<Certificate> helpers{load(intermediate_)};
  EXPECT_TRUE(trust->verify(load(leaf_), helpers, now()));

  // The intermediate CA revokes the leaf; the hub is told to look again (as SIGHUP does).
  server_.publish("/intermediate.crl", pki_.create_crl(intermediate_, {leaf_}, "revoking"));
  ASSERT_TRUE((*source)->refresh());
  Status verified = trust->verify(load(leaf_), helpers, now());
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, "certificate.revoked");
}

TEST_F(RevocationSourceTest, RefreshesACrlBeforeItsNextUpdateOnItsOwn) {
  // A CRL that lapses in 4 s is fetched again about halfway there.
  server_.publish("/intermediate.crl",
                  pki_.create_crl(intermediate_, {}, "short", std::chrono::seconds(4)));
  auto source = RevocationSource::open(options());
  ASSERT_TRUE(source) << source.error().to_string();
  (*source)->start();
  EXPECT_EQ(verdict(**source), "ok");
  server_.publish("/intermediate.crl", pki_.create_crl(intermediate_, {leaf_}, "revoking"));
  ASSERT_TRUE(server_.wait_for_requests("/intermediate.crl", 2, 10s));
  // The fetch is answered; the new set is in force right after it is parsed.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (verdict(**source) != "certificate.revoked" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(verdict(**source), "certificate.revoked");
  EXPECT_EQ(server_.requests("/root.crl"), 1u) << "the root's CRL is not due yet";
}

TEST_F(RevocationSourceTest, ACachedCrlStandsInWhenTheDistributionPointIsDown) {
  {
    auto first = RevocationSource::open(options());
    ASSERT_TRUE(first) << first.error().to_string();
  }
  server_.withdraw("/root.crl");
  server_.withdraw("/intermediate.crl");
  auto source = RevocationSource::open(options());
  ASSERT_TRUE(source) << source.error().to_string();
  EXPECT_EQ((*source)->stats().fetch_failures, 2u);
  EXPECT_EQ(verdict(**source), "ok");
  Status refreshed = (*source)->refresh();
  ASSERT_FALSE(refreshed);
  EXPECT_EQ(refreshed.error().code, "revocation.fetch_failed");

  // Without a cache, nothing covers the chain and verification says so.
  auto uncached_options = options();
  uncached_options.cache_directory = directory_.path() / "empty-cache";
  auto uncached = RevocationSource::open(uncached_options);
  ASSERT_TRUE(uncached);
  EXPECT_EQ((*uncached)->stats().urls_without_crl, 2u);
  EXPECT_EQ(verdict(**uncached), "certificate.crl_unavailable");
}

TEST_F(RevocationSourceTest, ACrlNotSignedByAKnownCaIsRefusedAndTheHeldOneStays) {
  server_.publish("/intermediate.crl", pki_.create_crl(intermediate_, {leaf_}, "revoking"));
  testing::CertificateSpec same_name;
  same_name.common_name = "intermediate";
  auto impostor = pki_.create_ca("impostor", same_name);
  auto stranger = pki_.create_ca("stranger");
  {
    auto source = RevocationSource::open(options());
    ASSERT_TRUE(source) << source.error().to_string();
    ASSERT_EQ(verdict(**source), "certificate.revoked");

    // Served at the URL instead, an empty CRL under the intermediate's name but signed with
    // another key, then one from a CA the hub does not know. Either would clear the leaf if taken.
    for (const auto& forger : {impostor, stranger}) {
      SCOPED_TRACE(forger.certificate.string());
      std::uint64_t failures = (*source)->stats().fetch_failures;
      server_.publish("/intermediate.crl",
                      pki_.create_crl(forger, {}, forger.certificate.stem().string() + "-empty"));
      Status refreshed = (*source)->refresh();
      ASSERT_FALSE(refreshed);
      EXPECT_EQ(refreshed.error().code, "revocation.fetch_failed");
      EXPECT_NE(refreshed.error().detail.find("the CRL is not signed by a known CA"),
                std::string::npos)
          << refreshed.error().detail;
      EXPECT_EQ((*source)->stats().fetch_failures, failures + 1);
      EXPECT_EQ((*source)->stats().urls_without_crl, 0u);
      EXPECT_EQ(verdict(**source), "certificate.revoked");
    }
  }

  // Nor was a forged CRL written to the cache: after a restart with the URL down, the genuine
  // one is still in force.
  server_.withdraw("/intermediate.crl");
  auto restarted = RevocationSource::open(options());
  ASSERT_TRUE(restarted) << restarted.error().to_string();
  EXPECT_EQ(verdict(**restarted), "certificate.revoked");
}

TEST_F(RevocationSourceTest, ACachedCrlNotSignedByAKnownCaIsNotLoaded) {
  {
    auto first = RevocationSource::open(options());
    ASSERT_TRUE(first) << first.error().to_string();
  }
  testing::CertificateSpec same_name;
  same_name.common_name = "intermediate";
  auto impostor = pki_.create_ca("impostor", same_name);
  std::string forged = testing::read_file(pki_.create_crl(impostor, {}, "impostor-empty"));
  std::size_t cached = 0;
  for (const auto& file : std::filesystem::directory_iterator(directory_.path() / "cache")) {
    std::ofstream(file.path(), std::ios::binary | std::ios::trunc) << forged;
    ++cached;
  }
  ASSERT_EQ(cached, 2u);
  server_.withdraw("/root.crl");
  server_.withdraw("/intermediate.crl");

  auto source = RevocationSource::open(options());
  ASSERT_TRUE(source) << source.error().to_string();
  EXPECT_EQ((*source)->stats().crls, 0u);
  EXPECT_EQ((*source)->stats().urls_without_crl, 2u);
  EXPECT_EQ(verdict(**source), "certificate.crl_unavailable");
}

}  // namespace
}  // namespace truc::security
