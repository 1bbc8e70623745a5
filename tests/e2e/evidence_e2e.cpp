// The evidence log end to end: a real trucd seals its log with its key and has each batch stamped
// by a time-stamping authority (openssl ts behind tests/support's TsaServer); `truc evidence
// export` fetches a document's container through the admin API and `truc evidence verify`
// checks it with nothing but the file and the CAs, naming the first broken link. While the TSA
// is down the hub goes on accepting, shows the unstamped batches in /metrics, and stamps them
// once it is back.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <chrono>

#include "json_answer.hpp"
#include "truc/testing/http_connection.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/temp_dir.hpp"
#include "truc/testing/tsa_server.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::HubOptions;
using testing::HubProcess;
using testing::Issued;
using testing::ProcessResult;

namespace json = boost::json;

// Everything outside the hub: the seal key's CA and certificate, the TSA and its CA.
class EvidenceTest : public ::testing::Test {
 protected:
  EvidenceTest()
      : pki_(directory_.path() / "pki"),
        seal_ca_(pki_.create_ca("Seal CA")),
        seal_(pki_.issue(seal_ca_, "hub-seal", {.common_name = "Trục hub"})),
        tsa_ca_(pki_.create_ca("TSA CA")),
        tsa_(testing::issue_tsa_certificate(pki_, tsa_ca_, "tsa"), directory_.path() / "tsa") {
    // trucd refuses a private key others may read.
    ::chmod(seal_.key.c_str(), 0600);
    hub_.emplace(HubOptions{.extra_config = "[evidence]\nsigning_key = \"" + seal_.key.string() +
                                            "\"\nsigning_certificate = \"" +
                                            seal_.certificate.string() + "\"\ntsa_url = \"" +
                                            tsa_.url() + "\"\nseal_interval_seconds = 1\n"});
    hub_->start();
  }

  // A signed document from agency 0 to agency 1; its hub id.
  std::string send_document() {
    auto accepted = hub_->agency_request(0, "POST", "/v1/packages", hub_->signed_package(0, {1}));
    EXPECT_EQ(accepted.status, 201) << accepted.body << accepted.error;
    auto receipt = testing::json_object_of(accepted);
    return receipt.contains("id") ? std::string(receipt.at("id").as_string()) : "";
  }

  ProcessResult truc(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{HubProcess::truc_cli().string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return testing::run_process(argv, {.environment = hub_->cli_environment(0)});
  }

  ProcessResult export_evidence(const std::string& id, const std::filesystem::path& file) {
    return truc({"evidence", "export", id, "-o", file.string()});
  }

  // Every CA a verifier needs: the agencies' (the package's signer) and the seal's; the TSA's.
  ProcessResult verify(const std::filesystem::path& file, bool with_tsa_ca = true) {
    std::vector<std::string> arguments{"evidence",
                                       "verify",
                                       file.string(),
                                       "--trust-ca",
                                       hub_->ca().certificate.string(),
                                       "--trust-ca",
                                       seal_ca_.certificate.string()};
    if (with_tsa_ca) {
      arguments.insert(arguments.end(), {"--tsa-ca", tsa_ca_.certificate.string()});
    }
    return truc(arguments);
  }

  // The value of a sample in /metrics (`name` with its labels), -1 when it is not there.
  double metric(const std::string& name) {
    std::string metrics = hub_->monitor_request("GET", "/metrics").body;
    auto at = metrics.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(metrics.substr(at + name.size() + 2));
  }

  // At least `entries` entries are sealed and no sealed batch waits for its timestamp.
  bool stamped_everything_sealed(double entries) {
    return metric("truc_evidence_entries_sealed_total") >= entries &&
           metric("truc_evidence_unstamped_batches") == 0;
  }

  testing::TempDir directory_;
  testing::TestPki pki_;
  Issued seal_ca_;
  Issued seal_;
  Issued tsa_ca_;
  testing::TsaServer tsa_;
  std::optional<HubProcess> hub_;
};

TEST_F(EvidenceTest, AnExportedContainerVerifiesOfflineAndSaysWhereItWasChanged) {
  std::string id = send_document();
  ASSERT_TRUE(http::testing::eventually([&] { return stamped_everything_sealed(1); }));
  auto file = directory_.path() / "evidence.json";
  auto exported = export_evidence(id, file);
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  EXPECT_NE(exported.out.find("timestamp: token of "), std::string::npos) << exported.out;
  auto verified = verify(file);
  EXPECT_EQ(verified.exit_status, 0) << verified.err;
  EXPECT_NE(verified.out.find("verified: evidence of " + id), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("sealed by: "), std::string::npos) << verified.out;

  auto untrusted_stamp = verify(file, false);
  EXPECT_EQ(untrusted_stamp.exit_status, 1);
  EXPECT_NE(untrusted_stamp.first_error_line().find("evidence.verify_failed: timestamp"),
            std::string::npos)
      << untrusted_stamp.err;

  // Who acted, rewritten in the first entry: that entry no longer hashes to itself.
  json::value container = json::parse(testing::read_file(file));
  container.at("entries").at(0).as_object()["actor"] = "000.00.99.H41";
  auto changed = directory_.write("changed.json", json::serialize(container));
  auto refused = verify(changed);
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_NE(refused.first_error_line().find("evidence.verify_failed: entry "), std::string::npos)
      << refused.err;

  std::string text = testing::read_file(file);
  auto not_a_container = directory_.write("truncated.json", text.substr(0, text.size() / 2));
  auto unreadable = verify(not_a_container);
  EXPECT_EQ(unreadable.exit_status, 1);
  EXPECT_NE(unreadable.first_error_line().find("evidence.container_invalid"), std::string::npos)
      << unreadable.err;

  auto unknown = export_evidence("000000000000000000000000", directory_.path() / "none.json");
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_NE(unknown.first_error_line().find("package.not_found"), std::string::npos) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(directory_.path() / "none.json"));
}

TEST_F(EvidenceTest, WhileTheTsaIsDownAcceptingGoesOnAndTheBatchIsStampedOnceItIsBack) {
  tsa_.set_available(false);
  std::string id = send_document();
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(tsa_.wait_for_turned_away(1, 30s));
  ASSERT_TRUE(
      http::testing::eventually([&] { return metric("truc_evidence_unstamped_batches") >= 1; }));
  EXPECT_GE(metric("truc_evidence_tsa_failures_total"), 1);

  auto unstamped = directory_.path() / "unstamped.json";
  auto exported = export_evidence(id, unstamped);
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  EXPECT_NE(exported.out.find("timestamp: none yet"), std::string::npos) << exported.out;
  auto too_early = verify(unstamped);
  EXPECT_EQ(too_early.exit_status, 1);
  EXPECT_NE(too_early.first_error_line().find("evidence.verify_failed: timestamp"),
            std::string::npos)
      << too_early.err;

  tsa_.set_available(true);
  ASSERT_TRUE(tsa_.wait_for_stamps(1, 30s));
  ASSERT_TRUE(http::testing::eventually([&] { return stamped_everything_sealed(1); }));
  auto stamped = directory_.path() / "stamped.json";
  ASSERT_EQ(export_evidence(id, stamped).exit_status, 0);
  auto verified = verify(stamped);
  EXPECT_EQ(verified.exit_status, 0) << verified.err;
}

}  // namespace
}  // namespace truc
