// The hub as agencies and operators use it: a real trucd process with TLS and client
// certificates, a real PostgreSQL, requests through curl (an independent client), packages built
// and signed by the truc CLI.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "json_answer.hpp"
#include "truc/common/digest.hpp"
#include "truc/store/database.hpp"
#include "truc/testing/hub.hpp"

namespace truc {
namespace {

using ::testing::HasSubstr;
using testing::HttpResult;
using testing::HubProcess;
using testing::json_object_of;

namespace json = boost::json;

std::string code_of(const HttpResult& result) {
  auto body = json_object_of(result);
  return body.contains("code") ? std::string(body.at("code").as_string()) : "";
}

std::string str(const json::value& value) { return std::string(value.as_string()); }

std::string document_id_of(const std::filesystem::path& package) {
  auto result = testing::run_process(
      {HubProcess::truc_cli().string(), "edxml", "inspect", "--json", package.string()});
  return std::string(json::parse(result.out).at("document_id").as_string());
}

class HubTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The agency and admin APIs work when trucd may change rows but no table (the other suites
    // of the end-to-end tests run with one role for both).
    hub_ = new HubProcess({.separate_database_roles = true});
    hub_->start();
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  std::vector<std::string> inbox_ids(std::size_t agency, const std::string& kind = "edoc") {
    auto result = hub_->agency_request(agency, "GET", "/v1/inbox?kind=" + kind);
    EXPECT_EQ(result.status, 200) << result.body;
    std::vector<std::string> ids;
    auto page = json_object_of(result);
    for (const auto& item : page.at("items").as_array()) ids.push_back(str(item.at("id")));
    return ids;
  }

  static bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  std::string send(std::size_t from, const std::filesystem::path& package,
                   int expected_status = 201) {
    auto result = hub_->agency_request(from, "POST", "/v1/packages", package);
    EXPECT_EQ(result.status, expected_status) << result.body << result.error;
    auto body = json_object_of(result);
    return body.contains("id") ? str(body.at("id")) : "";
  }

  static HubProcess* hub_;
};

HubProcess* HubTest::hub_ = nullptr;

TEST_F(HubTest, DeliversAPackageThatTheRecipientFetchesAcknowledgesAndTraces) {
  auto package = hub_->signed_package(0, {1});
  auto result = hub_->agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(result.status, 201) << result.body << result.error;
  auto receipt = json_object_of(result);
  std::string id = str(receipt.at("id"));
  EXPECT_EQ(id.size(), 24u);
  EXPECT_EQ(str(receipt.at("sha256")), sha256_hex(testing::read_file(package)));
  ASSERT_EQ(receipt.at("recipients").as_array().size(), 1u);
  EXPECT_EQ(str(receipt.at("recipients").at(0).at("organ_id")), hub_->agency(1).code);
  EXPECT_EQ(str(receipt.at("recipients").at(0).at("route")), "local");

  EXPECT_TRUE(contains(inbox_ids(1), id));
  EXPECT_FALSE(contains(inbox_ids(2), id));
  auto fetched = hub_->agency_request(1, "GET", "/v1/packages/" + id);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_TRUE(fetched.body == testing::read_file(package))
      << "the bytes the sender signed, unchanged";
  EXPECT_EQ(hub_->agency_request(1, "POST", "/v1/packages/" + id + "/ack").status, 200);
  EXPECT_FALSE(contains(inbox_ids(1), id));
  EXPECT_EQ(hub_->agency_request(1, "POST", "/v1/packages/" + id + "/ack").status, 200)
      << "idempotent";

  auto trace = json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace"));
  std::vector<std::string> events;
  for (const auto& event : trace.at("events").as_array()) events.push_back(str(event.at("event")));
  EXPECT_EQ(events, (std::vector<std::string>{"received", "routed", "fetched", "acked"}));
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("state")), "acked");
  EXPECT_EQ(str(trace.at("package").at("signature")), "verified");
}

TEST_F(HubTest, SuppressesDuplicatesAndRefusesAReusedDocumentId) {
  auto package = hub_->signed_package(0, {1}, "501/DUP");
  std::string first = send(0, package);
  EXPECT_EQ(send(0, package, 200), first);
  auto different = hub_->signed_package(0, {1}, "501/DUP", 4096);
  auto conflict = hub_->agency_request(0, "POST", "/v1/packages", different);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(code_of(conflict), "package.duplicate_document_id");
}

TEST_F(HubTest, RefusesUnknownRecipientsAndStoresNothing) {
  // Addressed to an agency the directory does not know.
  auto unsigned_copy = hub_->new_package(0, {1});
  std::string text = testing::read_file(unsigned_copy);
  text.replace(text.find(hub_->agency(1).code), hub_->agency(1).code.size(), "000.00.09.H41");
  std::ofstream(unsigned_copy, std::ios::binary) << text;
  auto signed_copy = hub_->sign(0, unsigned_copy);
  auto blobs_before = std::distance(
      std::filesystem::recursive_directory_iterator(hub_->directory() / "blobs" / "objects"),
      std::filesystem::recursive_directory_iterator());
  auto result = hub_->agency_request(0, "POST", "/v1/packages", signed_copy);
  EXPECT_EQ(result.status, 422);
  EXPECT_EQ(code_of(result), "route.unknown_recipient");
  EXPECT_THAT(str(json_object_of(result).at("details")), HasSubstr("000.00.09.H41"));
  auto blobs_after = std::distance(
      std::filesystem::recursive_directory_iterator(hub_->directory() / "blobs" / "objects"),
      std::filesystem::recursive_directory_iterator());
  EXPECT_EQ(blobs_before, blobs_after);
  EXPECT_TRUE(std::filesystem::is_empty(hub_->directory() / "blobs" / "tmp"));
}

TEST_F(HubTest, RefusesSendingAsAnotherAgency) {
  auto package = hub_->signed_package(0, {2});
  auto result = hub_->agency_request(1, "POST", "/v1/packages", package);
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(code_of(result), "auth.sender_mismatch");
}

TEST_F(HubTest, AppliesTheSendersSignaturePolicy) {
  auto unsigned_package = hub_->new_package(2, {1});
  auto missing = hub_->agency_request(2, "POST", "/v1/packages", unsigned_package);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(code_of(missing), "signature.missing");
  // Signed with another agency's certificate: the signature is valid but not the sender's.
  auto foreign = hub_->sign(0, unsigned_package);
  auto mismatch = hub_->agency_request(2, "POST", "/v1/packages", foreign);
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(code_of(mismatch), "signature.signer_mismatch");

  auto relaxed = hub_->monitor_request(
      "PUT", "/admin/v1/agencies/" + hub_->agency(2).code,
      "{\"name\":\"Sở Tài chính\",\"signature_policy\":\"verify_if_present\"}");
  ASSERT_EQ(relaxed.status, 200) << relaxed.body;
  auto accepted = hub_->agency_request(2, "POST", "/v1/packages", unsigned_package);
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(
      str(json_object_of(
              hub_->agency_request(
                  2, "GET", "/v1/packages/" + str(json_object_of(accepted).at("id")) + "/trace"))
              .at("package")
              .at("signature")),
      "unsigned");
  hub_->monitor_request("PUT", "/admin/v1/agencies/" + hub_->agency(2).code,
                        "{\"name\":\"Sở Tài chính\"}");
}

TEST_F(HubTest, AnAgencyCanNeverReadAckOrTraceAnothersPackage) {
  std::string id = send(0, hub_->signed_package(0, {1}));
  for (auto [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/packages/" + id},
                                                        {"POST", "/v1/packages/" + id + "/ack"},
                                                        {"GET", "/v1/packages/" + id + "/trace"}}) {
    auto result = hub_->agency_request(2, method, path);
    EXPECT_EQ(result.status, 404) << method << " " << path;
    EXPECT_EQ(code_of(result), "package.not_found");
  }
  EXPECT_EQ(hub_->agency_request(2, "GET", "/v1/packages/000000000000000000000000").status, 404);
  // The sender reads and traces its own package but cannot acknowledge it for the recipient.
  EXPECT_EQ(hub_->agency_request(0, "GET", "/v1/packages/" + id).status, 200);
  EXPECT_EQ(hub_->agency_request(0, "POST", "/v1/packages/" + id + "/ack").status, 404);
}

TEST_F(HubTest, AuthenticatesEveryCallerByCertificate) {
  auto anonymous = testing::run_process(
      {"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
       hub_->ca().certificate.string(), hub_->agency_url() + "/v1/inbox"});
  EXPECT_EQ(anonymous.out, "401");
  auto stranger_ca = hub_->pki().create_ca("stranger-ca");
  auto stranger =
      hub_->pki().issue(stranger_ca, "stranger",
                        {.agency_code = hub_->agency(0).code, .extended_key_usage = "clientAuth"});
  auto foreign = testing::run_process({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w",
                                       "%{http_code}", "--cacert", hub_->ca().certificate.string(),
                                       "--cert", stranger.certificate.string(), "--key",
                                       stranger.key.string(), hub_->agency_url() + "/v1/inbox"});
  EXPECT_EQ(foreign.out, "000") << "the TLS handshake fails";
  auto unregistered =
      hub_->pki().issue(hub_->ca(), "unregistered",
                        {.agency_code = hub_->agency(0).code, .extended_key_usage = "clientAuth"});
  auto unknown = testing::run_process(
      {"/usr/bin/curl", "-s", "-w", "\n%{http_code}", "--cacert", hub_->ca().certificate.string(),
       "--cert", unregistered.certificate.string(), "--key", unregistered.key.string(),
       hub_->agency_url() + "/v1/inbox"});
  EXPECT_THAT(unknown.out, HasSubstr("auth.unknown_certificate"));
  EXPECT_THAT(unknown.out, HasSubstr("\n403"));
}

TEST_F(HubTest, RoutesStatusPacketsBackToTheSenderAndRecordsThem) {
  auto package = hub_->signed_package(0, {1, 2});
  std::string id = send(0, package);
  auto status = hub_->signed_status(1, package, "03");
  std::string status_id = send(1, status);
  EXPECT_TRUE(contains(inbox_ids(0, "status"), status_id));
  EXPECT_FALSE(contains(inbox_ids(2, "status"), status_id));

  auto trace = json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace"));
  bool reported = false;
  for (const auto& event : trace.at("events").as_array()) {
    if (str(event.at("event")) == "status_reported") {
      reported = true;
      EXPECT_EQ(str(event.at("recipient")), hub_->agency(1).code);
      EXPECT_THAT(str(event.at("detail")), HasSubstr("03 accepted"));
    }
  }
  EXPECT_TRUE(reported);
  for (const auto& delivery : trace.at("deliveries").as_array()) {
    if (str(delivery.at("recipient")) == hub_->agency(1).code) {
      EXPECT_EQ(str(delivery.at("reported_status")), "03");
    }
  }
  // The other recipient sees only its own side of the trace.
  auto other_side = json_object_of(hub_->agency_request(2, "GET", "/v1/packages/" + id + "/trace"));
  EXPECT_EQ(other_side.at("deliveries").as_array().size(), 1u);

  auto stranger_status = hub_->agency_request(
      2, "POST", "/v1/packages", hub_->signed_status(2, hub_->signed_package(0, {1}), "03"));
  EXPECT_EQ(stranger_status.status, 422);
  EXPECT_EQ(code_of(stranger_status), "status.unknown_document");
}

TEST_F(HubTest, ARecallWaitsForItsOriginalAndTheAnswerReachesBothSides) {
  auto original_unsigned = hub_->new_package(0, {1});
  std::string original_id = send(0, hub_->sign(0, original_unsigned));
  // A recall is a package of its own (a new DocumentId) naming the original's.
  auto recall = hub_->sign(0, hub_->new_recall(0, {1}, document_id_of(original_unsigned)));
  std::string recall_id = send(0, recall);
  EXPECT_TRUE(contains(inbox_ids(1), original_id));
  EXPECT_FALSE(contains(inbox_ids(1), recall_id)) << "a recall never overtakes its original";
  ASSERT_EQ(hub_->agency_request(1, "POST", "/v1/packages/" + original_id + "/ack").status, 200);
  EXPECT_TRUE(contains(inbox_ids(1), recall_id));

  std::string answer_id = send(1, hub_->signed_status(1, recall, "15"));
  EXPECT_TRUE(contains(inbox_ids(0, "status"), answer_id));
  std::vector<std::string> events;
  auto trace =
      json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + original_id + "/trace"));
  for (const auto& event : trace.at("events").as_array()) {
    events.push_back(str(event.at("event")));
  }
  EXPECT_THAT(events, ::testing::Contains("recall_requested"));
  EXPECT_THAT(events, ::testing::Contains("recall_agreed"));
}

TEST_F(HubTest, AnAgreedRecallTakesAnUnfetchedOriginalOutOfTheInbox) {
  auto original_unsigned = hub_->new_package(0, {2});
  auto original = hub_->sign(0, original_unsigned);
  std::string original_id = send(0, original);
  send(0, hub_->sign(0, hub_->new_recall(0, {2}, document_id_of(original_unsigned))));
  send(2, hub_->signed_status(2, original, "15"));
  EXPECT_FALSE(contains(inbox_ids(2), original_id));
  auto trace =
      json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + original_id + "/trace"));
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("state")), "recalled");
}

TEST_F(HubTest, RefusesRecallsOfUnknownDocumentsOrToOthers) {
  auto unknown = hub_->agency_request(
      0, "POST", "/v1/packages",
      hub_->sign(0, hub_->new_recall(0, {1}, "000.00.00.H41,2020/01/01,1/NONE")));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(code_of(unknown), "business.unknown_original");

  auto original_unsigned = hub_->new_package(0, {1});
  send(0, hub_->sign(0, original_unsigned));
  auto refused = hub_->agency_request(
      0, "POST", "/v1/packages",
      hub_->sign(0, hub_->new_recall(0, {2}, document_id_of(original_unsigned))));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(code_of(refused), "business.not_a_recipient");
}

TEST_F(HubTest, PagesTheInboxOldestFirst) {
  std::vector<std::string> sent;
  for (int index = 0; index < 3; ++index) sent.push_back(send(2, hub_->signed_package(2, {0})));
  std::vector<std::string> seen;
  std::string cursor = "0";
  while (true) {
    auto page =
        json_object_of(hub_->agency_request(0, "GET", "/v1/inbox?limit=2&cursor=" + cursor));
    for (const auto& item : page.at("items").as_array()) seen.push_back(str(item.at("id")));
    if (page.at("next_cursor").is_null()) break;
    cursor = str(page.at("next_cursor"));
  }
  auto first = std::find(seen.begin(), seen.end(), sent[0]);
  ASSERT_NE(first, seen.end());
  EXPECT_EQ(std::vector<std::string>(first, first + 3), sent);
  auto bad = hub_->agency_request(0, "GET", "/v1/inbox?limit=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(code_of(bad), "request.invalid_parameter");
}

TEST_F(HubTest, AnswersNackWithAReason) {
  std::string id = send(0, hub_->signed_package(0, {1}));
  auto without_reason =
      hub_->agency_request(1, "POST", "/v1/packages/" + id + "/nack", std::nullopt,
                           {"-H", "Content-Type: application/json", "--data", "{}"});
  EXPECT_EQ(without_reason.status, 400);
  auto refused = hub_->agency_request(
      1, "POST", "/v1/packages/" + id + "/nack", std::nullopt,
      {"-H", "Content-Type: application/json", "--data", "{\"reason\":\"Sai địa chỉ nhận\"}"});
  EXPECT_EQ(refused.status, 200) << refused.body;
  auto trace = json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace"));
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("state")), "nacked");
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("reason")), "Sai địa chỉ nhận");

  auto acked_after = hub_->agency_request(1, "POST", "/v1/packages/" + id + "/ack");
  EXPECT_EQ(acked_after.status, 200);
  EXPECT_EQ(str(json_object_of(acked_after).at("state")), "nacked")
      << "a settled delivery stays settled";
}

TEST_F(HubTest, ConnectsToItsDatabaseOnlyAsTheServiceRole) {
  // /ready asks the database, so the pool holds a connection by now.
  ASSERT_EQ(hub_->monitor_request("GET", "/ready", "", false).status, 200);
  auto connection = store::Connection::open(hub_->conninfo());
  ASSERT_TRUE(connection) << connection.error().to_string();
  auto roles = (*connection)
                   ->execute(
                       "SELECT DISTINCT usename FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(roles) << roles.error().to_string();
  ASSERT_EQ(roles->size(), 1u);
  EXPECT_EQ(roles->text(0, 0), hub_->service_role());
}

TEST_F(HubTest, MonitoringAnswersLiveReadyAndMetrics) {
  EXPECT_EQ(hub_->monitor_request("GET", "/live", "", false).status, 200);
  auto ready = hub_->monitor_request("GET", "/ready", "", false);
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_TRUE(json_object_of(ready).at("ready").as_bool());
  send(0, hub_->signed_package(0, {1}));
  auto metrics = hub_->monitor_request("GET", "/metrics", "", false);
  ASSERT_EQ(metrics.status, 200);
  for (const char* name :
       {"truc_packages_accepted_total{", "truc_packages_rejected_total{", "truc_queue_depth{",
        "truc_queue_oldest_age_seconds{", "truc_http_request_duration_seconds_bucket{",
        "truc_database_connections{", "truc_certificate_expiry_days{", "truc_workers{"}) {
    EXPECT_THAT(metrics.body, HasSubstr(name));
  }
}

TEST_F(HubTest, RefusesSha1UntilTheAgencyIsAllowedItAndCountsWhatItAccepts) {
  const auto& sender = hub_->agency(2);
  auto unsigned_package = hub_->new_package(2, {1});
  auto signed_file = unsigned_package.parent_path() / "sha1-signed.edxml";
  auto signed_sha1 = testing::run_process(
      {HubProcess::truc_cli().string(), "edxml", "sign", unsigned_package.string(), "--key",
       sender.certificate.key.string(), "--cert", sender.certificate.certificate.string(), "-o",
       signed_file.string(), "--legacy-sha1"});
  ASSERT_EQ(signed_sha1.exit_status, 0) << signed_sha1.err;
  auto refused = hub_->agency_request(2, "POST", "/v1/packages", signed_file);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(code_of(refused), "signature.algorithm_forbidden");

  auto allowed = hub_->monitor_request("PUT", "/admin/v1/agencies/" + sender.code,
                                       "{\"name\":\"Sở Tài chính\",\"allow_sha1\":true}");
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  send(2, signed_file);
  auto metrics = hub_->monitor_request("GET", "/metrics", "", false);
  EXPECT_THAT(metrics.body,
              HasSubstr("truc_signatures_sha1_accepted_total{agency=\"" + sender.code + "\"} 1"));
  hub_->monitor_request("PUT", "/admin/v1/agencies/" + sender.code, "{\"name\":\"Sở Tài chính\"}");
}

TEST_F(HubTest, AdminApiNeedsTheTokenAndManagesTheDirectory) {
  EXPECT_EQ(hub_->monitor_request("GET", "/admin/v1/agencies", "", false).status, 401);
  auto listed = json_object_of(hub_->monitor_request("GET", "/admin/v1/agencies"));
  EXPECT_GE(listed.at("agencies").as_array().size(), 3u);

  std::string csv =
      "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids\n"
      "000.00.05.H41,\"Phường Phú Hội, TP Huế\",000.00.06.H41,local,,require,true,\n"
      "000.00.06.H41,UBND TP Huế,,local,,verify_if_present,true,hue.edoc;hue.backup\n"
      "000.00.00.G22,Trục liên thông quốc gia,,national,,off,true,\n"
      "000.00.00.G01,Bộ Nội vụ,,national,000.00.00.G22,require,true,\n";
  auto imported = hub_->monitor_request("POST", "/admin/v1/agencies/import", csv, true, "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(json_object_of(imported).at("created").as_int64(), 4);
  auto child = json_object_of(hub_->monitor_request("GET", "/admin/v1/agencies/000.00.05.H41"));
  EXPECT_EQ(str(child.at("parent_code")), "000.00.06.H41");
  auto bad_csv = hub_->monitor_request(
      "POST", "/admin/v1/agencies/import",
      "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids\n"
      "not-a-code,X,,local,,require,true,\n",
      true, "text/csv");
  EXPECT_EQ(bad_csv.status, 400);
  EXPECT_THAT(str(json_object_of(bad_csv).at("details")), HasSubstr("line 2"));

  // A package to an agency outside the province goes to the national gateway's collector.
  auto remote_unsigned = hub_->new_package(0, {1});
  std::string text = testing::read_file(remote_unsigned);
  text.replace(text.find(hub_->agency(1).code), hub_->agency(1).code.size(), "000.00.00.G01");
  std::ofstream(remote_unsigned, std::ios::binary) << text;
  auto receipt = json_object_of(
      hub_->agency_request(0, "POST", "/v1/packages", hub_->sign(0, remote_unsigned)));
  EXPECT_EQ(str(receipt.at("recipients").at(0).at("route")), "national:000.00.00.G22");

  auto traffic = json_object_of(hub_->monitor_request("GET", "/admin/v1/traffic"));
  bool found = false;
  for (const auto& row : traffic.at("traffic").as_array()) {
    if (str(row.at("agency")) == hub_->agency(0).code) {
      found = true;
      EXPECT_GT(row.at("sent").as_int64(), 0);
    }
  }
  EXPECT_TRUE(found);
  auto by_document = json_object_of(hub_->monitor_request(
      "GET", "/admin/v1/trace?document_id=" + std::string(receipt.at("document_id").as_string())));
  EXPECT_EQ(by_document.at("packages").as_array().size(), 1u);
  EXPECT_EQ(hub_->monitor_request("DELETE", "/admin/v1/agencies/000.00.06.H41").status, 409)
      << "still a parent";
}

TEST_F(HubTest, RefusesBodiesOverTheLimitAndBadDocuments) {
  auto garbage = hub_->directory() / "garbage.edxml";
  std::ofstream(garbage) << "<html>not edxml</html>";
  auto refused = hub_->agency_request(0, "POST", "/v1/packages", garbage);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(code_of(refused), "parse.not_edxml");
}

TEST_F(HubTest, TheTrucCommandLineDrivesTheHub) {
  auto package = hub_->signed_package(0, {2});
  testing::ProcessOptions as_sender{.environment = hub_->cli_environment(0)};
  auto sent = testing::run_process(
      {HubProcess::truc_cli().string(), "send", package.string(), "--json"}, as_sender);
  ASSERT_EQ(sent.exit_status, 0) << sent.err;
  std::string id = std::string(json::parse(sent.out).at("id").as_string());

  testing::ProcessOptions as_recipient{.environment = hub_->cli_environment(2)};
  auto inbox = testing::run_process({HubProcess::truc_cli().string(), "inbox"}, as_recipient);
  EXPECT_EQ(inbox.exit_status, 0) << inbox.err;
  EXPECT_THAT(inbox.out, HasSubstr(id));
  auto fetched_file = hub_->directory() / ("fetched-" + id + ".edxml");
  auto fetched = testing::run_process(
      {HubProcess::truc_cli().string(), "fetch", id, "-o", fetched_file.string()}, as_recipient);
  EXPECT_EQ(fetched.exit_status, 0) << fetched.err;
  EXPECT_TRUE(testing::read_file(fetched_file) == testing::read_file(package));
  EXPECT_EQ(
      testing::run_process({HubProcess::truc_cli().string(), "ack", id}, as_recipient).exit_status,
      0);
  auto trace = testing::run_process({HubProcess::truc_cli().string(), "trace", id}, as_sender);
  EXPECT_THAT(trace.out, HasSubstr("acked"));

  testing::ProcessOptions as_stranger{.environment = hub_->cli_environment(1)};
  auto stranger = testing::run_process({HubProcess::truc_cli().string(), "fetch", id, "-o",
                                        (hub_->directory() / "stolen.edxml").string()},
                                       as_stranger);
  EXPECT_EQ(stranger.exit_status, 1);
  EXPECT_THAT(stranger.first_error_line(), ::testing::StartsWith("error: package.not_found: "));

  auto agencies = testing::run_process(
      {HubProcess::truc_cli().string(), "admin", "agencies", "list"}, as_sender);
  EXPECT_EQ(agencies.exit_status, 0) << agencies.err;
  EXPECT_THAT(agencies.out, HasSubstr(hub_->agency(1).code));
}

// Each of these needs a hub of its own: they stop it.

TEST(HubLifecycle, KeepsPackagesAcrossARestartBetweenSendAndFetch) {
  HubProcess hub;
  hub.start();
  auto package = hub.signed_package(0, {1});
  auto sent = hub.agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(sent.status, 201);
  std::string id = std::string(json::parse(sent.body).at("id").as_string());
  EXPECT_EQ(hub.stop(), 0) << "SIGTERM drains and exits cleanly; the hub's stderr:\n"
                           << hub.process().stderr_text();
  hub.start();
  auto fetched = hub.agency_request(1, "GET", "/v1/packages/" + id);
  EXPECT_EQ(fetched.status, 200);
  EXPECT_TRUE(fetched.body == testing::read_file(package));
}

TEST(HubLifecycle, EveryReceiptedPackageSurvivesSigkill) {
  HubProcess hub;
  hub.start();
  std::vector<std::pair<std::string, std::string>> receipted;  // id, sha256
  for (std::size_t index = 0; index < 20; ++index) {
    auto package = hub.signed_package(index % 3, {(index + 1) % 3});
    auto sent = hub.agency_request(index % 3, "POST", "/v1/packages", package);
    ASSERT_EQ(sent.status, 201) << sent.body;
    auto receipt = json::parse(sent.body);
    receipted.emplace_back(receipt.at("id").as_string(), receipt.at("sha256").as_string());
  }
  hub.kill();  // right after the last receipt
  hub.start();
  for (std::size_t index = 0; index < receipted.size(); ++index) {
    auto fetched =
        hub.agency_request((index + 1) % 3, "GET", "/v1/packages/" + receipted[index].first);
    ASSERT_EQ(fetched.status, 200) << receipted[index].first;
    EXPECT_EQ(sha256_hex(fetched.body), receipted[index].second);
  }
}

TEST(HubLifecycle, ChecksItsConfigurationAndRefusesAnUnmigratedDatabase) {
  HubProcess hub;
  auto checked = testing::run_process(
      {HubProcess::trucd().string(), "--check-config", hub.config_file().string()});
  EXPECT_EQ(checked.exit_status, 0) << checked.err;
  auto help = testing::run_process({HubProcess::trucd().string(), "--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_THAT(help.out, HasSubstr("usage:"));
  auto broken = hub.directory() / "broken.toml";
  std::ofstream(broken) << testing::read_file(hub.config_file()) << "\n[surprise]\n";
  auto refused =
      testing::run_process({HubProcess::trucd().string(), "--check-config", broken.string()});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_THAT(refused.err, HasSubstr("error: config.invalid: "));
  EXPECT_THAT(refused.err, HasSubstr("surprise: unknown key"));
}

}  // namespace
}  // namespace truc
