// The hub commands of the truc CLI as agencies and operators run them: the built binary, a fake
// hub in this process (docs/api/openapi.yaml), generated PKI.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <cstdlib>

#include "testing/fake_hub.hpp"
#include "testing/test_files.hpp"
#include "truc/testing/pki.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::cli {
namespace {

using cli::testing::CannedResponse;
using cli::testing::error_response;
using cli::testing::FakeHub;
using cli::testing::FakeHubTls;
using cli::testing::RecordedRequest;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using truc::testing::ProcessOptions;
using truc::testing::ProcessResult;

constexpr const char* kId = "5f1c0a9e3b7d42a18c6e0f21";
constexpr const char* kUnknownId = "000000000000000000000404";

CannedResponse json_answer(unsigned status, std::string body) {
  CannedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

const char* const kReceipt =
    R"({"id":"5f1c0a9e3b7d42a18c6e0f21","kind":"edoc","document_id":"000.00.00.G22,2024/06/01,12/VPCP",)"
    R"("sha256":"ab","received_at":"2024-06-01T03:00:00Z","recipients":[)"
    R"({"organ_id":"000.00.00.H41","route":"local"},{"organ_id":"000.00.00.H13","route":"peer_hub:gw1"}],)"
    R"("warnings":["field.too_long"]})";

// Events deliberately out of time order: the CLI sorts them.
const char* const kTrace =
    R"({"package":{"id":"5f1c0a9e3b7d42a18c6e0f21","kind":"edoc","sender":"000.00.00.G22",)"
    R"("document_id":"000.00.00.G22,2024/06/01,12/VPCP","size":2048,"received_at":"2024-06-01T03:00:00Z",)"
    R"("signature":"verified","signer":"Văn phòng Chính phủ"},)"
    R"("deliveries":[{"recipient":"000.00.00.H41","route":"local","state":"acked","updated_at":"2024-06-01T03:05:00Z"},)"
    R"({"recipient":"000.00.00.H13","route":"peer_hub:gw1","state":"nacked","reason":"sai địa chỉ","updated_at":"2024-06-01T03:06:00Z"}],)"
    R"("events":[{"at":"2024-06-01T03:05:00.000Z","event":"acked","recipient":"000.00.00.H41","actor":"000.00.00.H41"},)"
    R"({"at":"2024-06-01T03:00:00.000Z","event":"received","actor":"000.00.00.G22"},)"
    R"({"at":"2024-06-01T03:00:00.500Z","event":"routed","recipient":"000.00.00.H41","actor":"hub","detail":"local"}]})";

const char* const kAgency =
    R"({"code":"000.00.00.G22","name":"Văn phòng Chính phủ","parent_code":null,"kind":"local",)"
    R"("route_via":null,"system_ids":["vpcp-qlvb"],"signature_policy":"require","enabled":true,)"
    R"("created_at":"2024-01-01T00:00:00Z"})";

// The agency API and the admin API as docs/api/openapi.yaml describes them, with canned data.
CannedResponse answer_as_the_hub(const RecordedRequest& request,
                                 const std::filesystem::path& stored_package) {
  const std::string& target = request.target;
  auto is = [&](const char* method, const std::string& path) {
    return request.method == method && target == path;
  };
  if (target.find(kUnknownId) != std::string::npos) {
    return error_response(404, "package.not_found", "no such package for this agency");
  }
  std::string package = std::string("/v1/packages/") + kId;
  if (is("POST", "/v1/packages")) return json_answer(201, kReceipt);
  if (is("GET", "/v1/inbox?kind=edoc")) {
    return json_answer(
        200,
        std::string(R"({"items":[{"id":")") + kId +
            R"(","kind":"edoc","sender":"000.00.00.G22","document_id":"000.00.00.G22,2024/06/01,12/VPCP","received_at":"2024-06-01T03:00:00Z","size":2048}],"next_cursor":"page2"})");
  }
  if (is("GET", "/v1/inbox?kind=edoc&cursor=page2")) {
    return json_answer(
        200,
        R"({"items":[{"id":"6a000000000000000000000b","kind":"edoc","sender":"000.00.00.H13","document_id":"000.00.00.H13,2024/06/02,7/UBND","received_at":"2024-06-02T03:00:00Z","size":3145728}],"next_cursor":null})");
  }
  if (is("GET", package)) {
    CannedResponse response;
    response.content_type = "application/xml";
    response.body_file = stored_package;
    response.headers = {{"X-Truc-Sha256", cli::testing::sha256_of_file(stored_package)},
                        {"X-Truc-Kind", "edoc"}};
    return response;
  }
  if (is("POST", package + "/ack")) return json_answer(200, R"({"id":"x","state":"acked"})");
  if (is("POST", package + "/nack")) return json_answer(200, R"({"id":"x","state":"nacked"})");
  if (is("GET", package + "/trace") || is("GET", "/admin/v1" + package.substr(3) + "/trace")) {
    return json_answer(200, kTrace);
  }
  if (is("GET", "/admin/v1/agencies")) {
    return json_answer(200, std::string(R"({"agencies":[)") + kAgency + "]}");
  }
  if (is("GET", "/admin/v1/agencies/000.00.00.G22")) return json_answer(200, kAgency);
  if (is("PUT", "/admin/v1/agencies/000.00.00.G22")) return json_answer(200, request.body);
  if (is("POST", "/admin/v1/agencies")) return json_answer(201, request.body);
  if (is("DELETE", "/admin/v1/agencies/000.00.00.G22")) return json_answer(204, "");
  if (is("POST", "/admin/v1/agencies/import")) {
    return json_answer(200, R"({"created":2,"updated":1})");
  }
  if (is("POST", "/admin/v1/agencies/000.00.00.G22/certificates")) {
    return json_answer(
        201,
        R"({"fingerprint":"AB12","agency_code":"000.00.00.G22","subject":"CN=agency","not_after":"2030-01-01T00:00:00Z"})");
  }
  if (is("DELETE", "/admin/v1/agencies/000.00.00.G22/certificates/AB12"))
    return json_answer(204, "");
  if (request.method == "GET" && target.starts_with("/admin/v1/trace?document_id=")) {
    return json_answer(200, std::string(R"({"packages":[)") + kTrace + "]}");
  }
  if (request.method == "GET" && target.starts_with("/admin/v1/traffic")) {
    return json_answer(
        200,
        R"({"traffic":[{"agency":"000.00.00.G22","sent":12,"received":3,"acknowledged":3,"pending":1,"rejected":0}]})");
  }
  return error_response(404, "http.not_found", "no such endpoint", request.method + " " + target);
}

class HubCommandsTest : public ::testing::Test {
 protected:
  HubCommandsTest()
      : pki_(directory_.path() / "pki"),
        ca_(pki_.create_ca("hub-ca", {.elliptic_curve = true})),
        hub_certificate_(pki_.issue(ca_, "hub",
                                    {.extended_key_usage = "serverAuth",
                                     .dns_names = {"localhost"},
                                     .elliptic_curve = true})),
        agency_certificate_(pki_.issue(
            ca_, "agency", {.extended_key_usage = "clientAuth", .elliptic_curve = true})),
        stored_package_(cli::testing::write_test_file(directory_.path() / "stored.edxml", 4096)),
        hub_(hub_tls(),
             [this](const RecordedRequest& request) {
               return answer_as_the_hub(request, stored_package_);
             }),
        monitor_(std::nullopt, [this](const RecordedRequest& request) {
          return answer_as_the_hub(request, stored_package_);
        }) {
    token_ = directory_.write("admin.token", "s3cr3t\n");
    ::chmod(token_.c_str(), 0600);
  }

  // Runs the built truc with the hub settings of this machine's environment cleared.
  ProcessResult truc(std::vector<std::string> args, ProcessOptions options = {}) {
    args.insert(args.begin(), (truc::testing::binary_dir() / "cli" / "truc").string());
    options.environment.insert(options.environment.begin(),
                               {"TRUC_URL=", "TRUC_CERT=", "TRUC_KEY=", "TRUC_CA=",
                                "TRUC_MONITOR_URL=", "TRUC_ADMIN_TOKEN_FILE="});
    return truc::testing::run_process(args, options);
  }

  FakeHubTls hub_tls() const {
    return {hub_certificate_.certificate, hub_certificate_.key, ca_.certificate};
  }

  struct Measured {
    ProcessResult result;
    long peak_kib = 0;
  };

  // Runs truc through peak_rss, which reports truc's own peak memory.
  Measured truc_measured(std::vector<std::string> args) {
    auto report = directory_.path() / "peak_rss";
    args.insert(args.begin(),
                {(truc::testing::binary_dir() / "cli" / "peak_rss").string(), report.string(),
                 (truc::testing::binary_dir() / "cli" / "truc").string()});
    // AddressSanitizer keeps freed memory in quarantine, which would look like growth.
    const char* sanitizer_options = std::getenv("ASAN_OPTIONS");
    ProcessOptions options{
        .environment = {
            "ASAN_OPTIONS=" +
            (sanitizer_options != nullptr ? sanitizer_options + std::string(":") : std::string()) +
            "quarantine_size_mb=0"}};
    Measured measured{truc::testing::run_process(args, options)};
    measured.peak_kib = std::stol(truc::testing::read_file(report));
    return measured;
  }

  // `args` with the connection options of the agency: to the fake hub, trusting its CA.
  std::vector<std::string> agency(std::vector<std::string> args) const {
    return agency_at(hub_.url(), ca_.certificate, std::move(args));
  }

  std::vector<std::string> agency_at(const std::string& url, const std::filesystem::path& ca,
                                     std::vector<std::string> args) const {
    std::vector<std::string> flags{"--url",  url,
                                   "--cert", agency_certificate_.certificate.string(),
                                   "--key",  agency_certificate_.key.string(),
                                   "--ca",   ca.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  // `truc admin args...` with the connection options of the operator.
  std::vector<std::string> admin(std::vector<std::string> args) const {
    args.insert(args.begin(), "admin");
    std::vector<std::string> flags{"--admin-url", monitor_.url(), "--token-file", token_.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  truc::testing::TempDir directory_;
  truc::testing::TestPki pki_;
  truc::testing::Issued ca_;
  truc::testing::Issued hub_certificate_;
  truc::testing::Issued agency_certificate_;
  std::filesystem::path stored_package_;
  FakeHub hub_;
  FakeHub monitor_;
  std::filesystem::path token_;
};

TEST_F(HubCommandsTest, SendPrintsTheReceiptWithRoutesAndWarnings) {
  auto result = truc(agency({"send", directory_.write("p.edxml", "<edXML/>").string()}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith(std::string("accepted: ") + kId + "\n"));
  EXPECT_THAT(result.out, HasSubstr("recipient    000.00.00.H41  local\n"));
  EXPECT_THAT(result.out, HasSubstr("recipient    000.00.00.H13  peer_hub:gw1\n"));
  EXPECT_THAT(result.out, HasSubstr("warning      field.too_long\n"));
  EXPECT_EQ(result.err, "");
}

TEST_F(HubCommandsTest, SendJsonPrintsTheReceiptAsTheHubSentIt) {
  auto result = truc(agency({"send", directory_.write("p.edxml", "<edXML/>").string(), "--json"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, std::string(kReceipt) + "\n");
}

TEST_F(HubCommandsTest, SendStreamsALargeFileWithoutGrowingInMemory) {
  // Two sizes through the same code path: a peak that grew with the file would differ by ~45 MB.
  auto five_megabytes = cli::testing::write_test_file(directory_.path() / "5.edxml", 5'000'000);
  auto fifty_megabytes = cli::testing::write_test_file(directory_.path() / "50.edxml", 50'000'000);
  auto smaller = truc_measured(agency({"send", five_megabytes.string(), "--progress"}));
  auto larger = truc_measured(agency({"send", fifty_megabytes.string(), "--progress"}));

  ASSERT_EQ(larger.result.exit_status, 0) << larger.result.err;
  auto requests = hub_.requests();
  EXPECT_EQ(requests.back().body_size, 50'000'000u);
  EXPECT_EQ(requests.back().body_sha256, cli::testing::sha256_of_file(fifty_megabytes));
  EXPECT_THAT(larger.result.err, HasSubstr("sending 47.7 MiB of 47.7 MiB (100%)"));
  EXPECT_LT(larger.peak_kib - smaller.peak_kib, 4 * 1024)
      << "peak memory grew with the file: " << smaller.peak_kib << " KiB, then " << larger.peak_kib
      << " KiB";
}

TEST_F(HubCommandsTest, FetchStreamsALargePackageWithoutGrowingInMemory) {
  std::filesystem::path served;
  FakeHub hub(hub_tls(),
              [&](const RecordedRequest& request) { return answer_as_the_hub(request, served); });
  auto output = (directory_.path() / "fetched.edxml").string();
  served = cli::testing::write_test_file(directory_.path() / "5.edxml", 5'000'000);
  auto smaller = truc_measured(agency_at(hub.url(), ca_.certificate, {"fetch", kId, "-o", output}));
  served = cli::testing::write_test_file(directory_.path() / "50.edxml", 50'000'000);
  auto larger =
      truc_measured(agency_at(hub.url(), ca_.certificate, {"fetch", kId, "-o", output, "--force"}));

  ASSERT_EQ(larger.result.exit_status, 0) << larger.result.err;
  EXPECT_EQ(cli::testing::sha256_of_file(output), cli::testing::sha256_of_file(served));
  EXPECT_LT(larger.peak_kib - smaller.peak_kib, 4 * 1024)
      << "peak memory grew with the file: " << smaller.peak_kib << " KiB, then " << larger.peak_kib
      << " KiB";
}

TEST_F(HubCommandsTest, SendShowsNoProgressWhenStderrIsNotATerminal) {
  auto file = cli::testing::write_test_file(directory_.path() / "two.edxml", 2'000'000);
  auto result = truc(agency({"send", file.string()}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

TEST_F(HubCommandsTest, ARefusalPrintsTheHubsErrorAndExitsOne) {
  FakeHub refusing(hub_tls(), [](const RecordedRequest&) {
    return error_response(422, "route.unknown_recipient", "a recipient is not in the directory",
                          "000.00.00.X99");
  });
  auto result = truc(agency_at(refusing.url(), ca_.certificate,
                               {"send", directory_.write("p.edxml", "<edXML/>").string()}));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_EQ(result.first_error_line(),
            "error: route.unknown_recipient: a recipient is not in the directory (000.00.00.X99)");
}

TEST_F(HubCommandsTest, AMissingSettingIsAUsageErrorNamingOptionAndVariable) {
  auto result = truc({"send", directory_.write("p.edxml", "<edXML/>").string()});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_EQ(result.first_error_line(), "usage: --url is required (or set TRUC_URL)");

  result = truc({"inbox", "--url", hub_.url(), "--cert", agency_certificate_.certificate.string()});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_EQ(result.first_error_line(), "usage: --key is required (or set TRUC_KEY)");
}

TEST_F(HubCommandsTest, SettingsComeFromTheEnvironment) {
  ProcessOptions options;
  options.environment = {
      "TRUC_URL=" + hub_.url(), "TRUC_CERT=" + agency_certificate_.certificate.string(),
      "TRUC_KEY=" + agency_certificate_.key.string(), "TRUC_CA=" + ca_.certificate.string()};
  auto result = truc({"ack", kId}, options);
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, std::string("acknowledged: ") + kId + "\n");
}

TEST_F(HubCommandsTest, AnUntrustedHubIsATlsFailure) {
  auto other_ca = pki_.create_ca("other-ca", {.elliptic_curve = true});
  auto result = truc(agency_at(hub_.url(), other_ca.certificate, {"inbox"}));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_THAT(result.first_error_line(),
              StartsWith("error: client.tls_failed: the hub's certificate was refused"));
}

TEST_F(HubCommandsTest, InboxAllFollowsTheCursorToTheLastPage) {
  auto result = truc(agency({"inbox", "--all"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("ID                        KIND  SENDER         DOCUMENT_ID"));
  EXPECT_THAT(result.out, ContainsRegex(std::string(kId) + "  edoc  000.00.00.G22  .*  2.0 KiB\n"));
  EXPECT_THAT(result.out,
              ContainsRegex("6a000000000000000000000b  edoc  000.00.00.H13  .*  3.0 MiB\n"));
  auto requests = hub_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target, "/v1/inbox?kind=edoc&cursor=page2");
  EXPECT_EQ(requests[0].connection, requests[1].connection);
}

TEST_F(HubCommandsTest, InboxWithoutAllShowsOnePageAndHowToContinue) {
  auto result = truc(agency({"inbox"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("6a000000000000000000000b")));
  EXPECT_EQ(result.err, "more waiting: truc inbox --cursor page2 (or --all)\n");
}

TEST_F(HubCommandsTest, InboxJsonAllMergesThePages) {
  auto result = truc(agency({"inbox", "--all", "--json"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  auto merged = boost::json::parse(result.out).as_object();
  EXPECT_EQ(merged.at("items").as_array().size(), 2u);
  EXPECT_TRUE(merged.at("next_cursor").is_null());
}

TEST_F(HubCommandsTest, InboxRefusesAnUnknownKindOrALimitOutOfRange) {
  EXPECT_EQ(truc(agency({"inbox", "--kind", "spam"})).exit_status, 2);
  EXPECT_EQ(truc(agency({"inbox", "--limit", "501"})).exit_status, 2);
  EXPECT_TRUE(hub_.requests().empty());
}

TEST_F(HubCommandsTest, FetchWritesThePackageAndNeverOverwritesWithoutForce) {
  auto output = directory_.path() / "got.edxml";
  auto result = truc(agency({"fetch", kId, "-o", output.string()}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("fetched: " + output.string() + " (4.0 KiB, edoc, sha256 "));
  EXPECT_EQ(cli::testing::sha256_of_file(output), cli::testing::sha256_of_file(stored_package_));

  result = truc(agency({"fetch", kId, "-o", output.string()}));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_THAT(result.first_error_line(), StartsWith("error: io.exists: "));
  EXPECT_EQ(truc(agency({"fetch", kId, "-o", output.string(), "--force"})).exit_status, 0);
}

TEST_F(HubCommandsTest, FetchNamesTheFileAfterTheIdInTheWorkingDirectory) {
  ProcessOptions options;
  options.working_directory = directory_.path();
  auto result = truc(agency({"fetch", kId}), options);
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(directory_.path() / (std::string(kId) + ".edxml")));
}

TEST_F(HubCommandsTest, FetchRefusesAnIdThatIsNotOne) {
  auto result = truc(agency({"fetch", "../../etc/passwd"}));
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(hub_.requests().empty());
}

TEST_F(HubCommandsTest, AnUnknownPackageExitsOne) {
  auto result = truc(agency({"ack", kUnknownId}));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_EQ(result.first_error_line(), "error: package.not_found: no such package for this agency");
  EXPECT_FALSE(std::filesystem::exists(directory_.path() / "x.edxml"));
  EXPECT_EQ(truc(agency({"fetch", kUnknownId, "-o", (directory_.path() / "x.edxml").string()}))
                .exit_status,
            1);
  EXPECT_FALSE(std::filesystem::exists(directory_.path() / "x.edxml"));
}

TEST_F(HubCommandsTest, NackNeedsAReasonAndSendsIt) {
  EXPECT_EQ(truc(agency({"nack", kId})).exit_status, 2);
  auto result = truc(agency({"nack", kId, "--reason", "sai địa chỉ"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, std::string("refused: ") + kId + "\n");
  auto request = hub_.requests().back();
  EXPECT_EQ(request.target, std::string("/v1/packages/") + kId + "/nack");
  EXPECT_EQ(boost::json::parse(request.body).at("reason"), "sai địa chỉ");
}

TEST_F(HubCommandsTest, TracePrintsThePackageTheDeliveriesAndTheEventsInTimeOrder) {
  auto result = truc(agency({"trace", kId}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out,
            "package 5f1c0a9e3b7d42a18c6e0f21  edoc from 000.00.00.G22  document "
            "000.00.00.G22,2024/06/01,12/VPCP  received 2024-06-01T03:00:00Z  2.0 KiB  signature "
            "verified  by Văn phòng Chính phủ\n"
            "  delivery 000.00.00.H41  via local  acked  2024-06-01T03:05:00Z\n"
            "  delivery 000.00.00.H13  via peer_hub:gw1  nacked  2024-06-01T03:06:00Z  reason: "
            "sai địa chỉ\n"
            "  2024-06-01T03:00:00.000Z  received  by 000.00.00.G22\n"
            "  2024-06-01T03:00:00.500Z  routed  for 000.00.00.H41  by hub  local\n"
            "  2024-06-01T03:05:00.000Z  acked  for 000.00.00.H41  by 000.00.00.H41\n");
}

TEST_F(HubCommandsTest, AdminListsAgenciesWithTheBearerToken) {
  auto result = truc(admin({"agencies", "list"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("CODE           NAME                 KIND   PARENT"));
  EXPECT_THAT(result.out, HasSubstr("000.00.00.G22  Văn phòng Chính phủ  local  -"));
  EXPECT_EQ(monitor_.requests().at(0).header("authorization"), "Bearer s3cr3t");
}

TEST_F(HubCommandsTest, AdminRefusesATokenFileOthersCanRead) {
  ::chmod(token_.c_str(), 0644);
  auto result = truc(admin({"agencies", "list"}));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_THAT(result.first_error_line(), StartsWith("error: config.insecure_permissions: "));
  EXPECT_TRUE(monitor_.requests().empty());
}

TEST_F(HubCommandsTest, AdminNeedsATokenFile) {
  auto result = truc({"admin", "traffic", "--admin-url", monitor_.url()});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_EQ(result.first_error_line(),
            "usage: --token-file is required (or set TRUC_ADMIN_TOKEN_FILE)");
}

TEST_F(HubCommandsTest, AdminUpdateKeepsTheFieldsNotGiven) {
  auto result = truc(admin({"agencies", "update", "000.00.00.G22", "--kind", "peer_hub",
                            "--route-via", "gw1", "--disabled"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "updated: 000.00.00.G22\n");
  auto requests = monitor_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[1].method, "PUT");
  auto sent = boost::json::parse(requests[1].body).as_object();
  EXPECT_EQ(sent.at("name"), "Văn phòng Chính phủ");
  EXPECT_EQ(sent.at("system_ids"), boost::json::parse(R"(["vpcp-qlvb"])"));
  EXPECT_EQ(sent.at("kind"), "peer_hub");
  EXPECT_EQ(sent.at("route_via"), "gw1");
  EXPECT_EQ(sent.at("enabled"), false);
  EXPECT_FALSE(sent.contains("created_at")) << "only the fields of an Agency go back";
}

TEST_F(HubCommandsTest, AdminUpdateRecordsWhoMaySignFromFilesOrFingerprints) {
  // openssl writes "sha256 Fingerprint=AB:CD:…": the CLI takes that form too.
  auto printed = truc::testing::run_process({"/usr/bin/openssl", "x509", "-in",
                                             agency_certificate_.certificate.string(), "-noout",
                                             "-fingerprint", "-sha256"});
  ASSERT_EQ(printed.exit_status, 0) << printed.err;
  std::string colons = printed.out.substr(printed.out.find('=') + 1);
  colons.erase(colons.find_last_not_of("\n") + 1);
  std::string fingerprint;
  for (char character : colons) {
    if (character != ':') fingerprint += static_cast<char>(std::tolower(character));
  }
  auto ca_printed =
      truc::testing::run_process({"/usr/bin/openssl", "x509", "-in", ca_.certificate.string(),
                                  "-noout", "-fingerprint", "-sha256"});
  std::string ca_fingerprint;
  for (char character : ca_printed.out.substr(ca_printed.out.find('=') + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(character)))
      ca_fingerprint += static_cast<char>(std::tolower(character));
  }

  auto result =
      truc(admin({"agencies", "update", "000.00.00.G22", "--signer-ca", ca_.certificate.string(),
                  "--signer-certificate", colons, "--allow-sha1"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  auto sent = boost::json::parse(monitor_.requests().at(1).body).as_object();
  EXPECT_EQ(sent.at("signer_cas"), boost::json::array{boost::json::value(ca_fingerprint)});
  EXPECT_EQ(sent.at("signer_certificates"), boost::json::array{boost::json::value(fingerprint)});
  EXPECT_EQ(sent.at("allow_sha1"), true);

  auto neither = truc(admin({"agencies", "update", "000.00.00.G22", "--signer-ca", "no-such.pem"}));
  EXPECT_EQ(neither.exit_status, 2);
  EXPECT_THAT(neither.err, HasSubstr("neither a SHA-256 fingerprint nor a PEM certificate file"));
}

TEST_F(HubCommandsTest, AdminAddSendsTheFieldsGiven) {
  auto result = truc(admin({"agencies", "add", "--code", "000.00.00.H41", "--name", "Bộ Y tế",
                            "--system-id", "a", "--system-id", "b", "--signature-policy", "off"}));
  EXPECT_EQ(result.exit_status, 0) << result.err;
  auto sent = boost::json::parse(monitor_.requests().at(0).body);
  EXPECT_EQ(sent, boost::json::parse(R"({"code":"000.00.00.H41","name":"Bộ Y tế",)"
                                     R"("system_ids":["a","b"],"signature_policy":"off"})"));
  EXPECT_EQ(truc(admin({"agencies", "add", "--code", "x", "--name", "y", "--kind", "foreign"}))
                .exit_status,
            2);
}

TEST_F(HubCommandsTest, AdminManagesCertificatesAndImports) {
  auto added = truc(admin({"agencies", "certificate", "add", "000.00.00.G22",
                           agency_certificate_.certificate.string()}));
  EXPECT_EQ(added.exit_status, 0) << added.err;
  EXPECT_THAT(added.out, StartsWith("registered: AB12 for 000.00.00.G22\n"));
  EXPECT_EQ(monitor_.requests().back().body, agency_certificate_.certificate_pem);
  EXPECT_EQ(monitor_.requests().back().header("content-type"), "application/x-pem-file");

  auto removed = truc(admin({"agencies", "certificate", "remove", "000.00.00.G22", "AB12"}));
  EXPECT_EQ(removed.exit_status, 0) << removed.err;
  EXPECT_EQ(removed.out, "removed: certificate AB12 of 000.00.00.G22\n");

  auto csv = directory_.write("agencies.csv", "code,name\n000.00.00.H41,Bộ Y tế\n");
  auto imported = truc(admin({"agencies", "import", csv.string()}));
  EXPECT_EQ(imported.exit_status, 0) << imported.err;
  EXPECT_EQ(imported.out, "imported: 2 created, 1 updated\n");
  EXPECT_EQ(monitor_.requests().back().header("content-type"), "text/csv");
}

TEST_F(HubCommandsTest, AdminTracesByDocumentIdAndCountsTraffic) {
  auto traced = truc(admin({"trace", "--document-id", "000.00.00.G22,2024/06/01,12/VPCP"}));
  EXPECT_EQ(traced.exit_status, 0) << traced.err;
  EXPECT_THAT(traced.out, StartsWith("package 5f1c0a9e3b7d42a18c6e0f21  edoc"));
  EXPECT_EQ(truc(admin({"trace", kId, "--document-id", "x"})).exit_status, 2);

  auto traffic = truc(admin({"traffic", "--since", "2024-06-01T00:00:00+07:00"}));
  EXPECT_EQ(traffic.exit_status, 0) << traffic.err;
  EXPECT_EQ(traffic.out,
            "AGENCY         SENT  RECEIVED  ACKNOWLEDGED  PENDING  REJECTED\n"
            "000.00.00.G22  12    3         3             1        0\n");
  EXPECT_EQ(monitor_.requests().back().target,
            "/admin/v1/traffic?since=2024-06-01T00%3A00%3A00%2B07%3A00");
  EXPECT_EQ(truc(admin({"traffic", "--since", "yesterday"})).exit_status, 2);
}

TEST_F(HubCommandsTest, EveryCommandHasHelp) {
  for (std::vector<std::string> command : {std::vector<std::string>{"send"},
                                           {"inbox"},
                                           {"fetch"},
                                           {"ack"},
                                           {"nack"},
                                           {"trace"},
                                           {"admin", "agencies", "list"},
                                           {"admin", "agencies", "show"},
                                           {"admin", "agencies", "add"},
                                           {"admin", "agencies", "update"},
                                           {"admin", "agencies", "remove"},
                                           {"admin", "agencies", "import"},
                                           {"admin", "agencies", "certificate", "add"},
                                           {"admin", "agencies", "certificate", "remove"},
                                           {"admin", "agencies", "certificate", "list"},
                                           {"admin", "trace"},
                                           {"admin", "traffic"}}) {
    command.push_back("--help");
    auto result = truc(command);
    EXPECT_EQ(result.exit_status, 0) << command[0];
    EXPECT_THAT(result.out, StartsWith("usage: truc " + command[0])) << command[0];
  }
}

}  // namespace
}  // namespace truc::cli
