// The operators' API on a real hub core and directory, called through the route table without
// sockets: the bearer token, the directory's agencies, traces and the traffic report, whose
// default period ends at the injected clock's now.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "truc/api/admin_api.hpp"
#include "truc/testing/hub_fixture.hpp"

namespace truc::api {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::json_of;
using ::testing::Pair;
namespace json = boost::json;

std::string str(const json::value& value) { return std::string(value.as_string()); }

const std::string kToken = "admin-token-for-tests-0123456789abcdef";

class AdminApi : public ::testing::Test {
 protected:
  AdminApi() { add_admin_api(router_, fixture_.hub(), fixture_.directory(), kToken, clock_); }

  http::Response call(const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::optional<std::string>& authorization = "Bearer " + kToken) {
    http::Request request;
    if (authorization) request.headers.emplace_back("authorization", *authorization);
    request.body = body;
    return testing::call(router_, method, target, std::move(request));
  }

  std::string code_of(const http::Response& response) { return str(json_of(response).at("code")); }

  // The traffic row of agency `index` in a /admin/v1/traffic answer.
  json::object traffic_of(const http::Response& response, std::size_t index) {
    auto answer = json_of(response);
    for (const auto& row : answer.at("traffic").as_array()) {
      if (str(row.at("agency")) == fixture_.agency(index).code) return row.as_object();
    }
    throw std::runtime_error("no traffic row for " + fixture_.agency(index).code);
  }

  testing::HubFixture fixture_;
  ManualClock clock_{SystemClock().now()};
  http::Router router_;
};

TEST_F(AdminApi, AnswersUnauthorizedWithoutTheToken) {
  for (const std::optional<std::string>& authorization :
       {std::optional<std::string>(), std::optional<std::string>("Bearer wrong-token"),
        std::optional<std::string>("Bearer " + kToken.substr(0, 10)),
        std::optional<std::string>(kToken)}) {
    auto response = call("GET", "/admin/v1/agencies", {}, authorization);
    EXPECT_EQ(response.status, 401u) << authorization.value_or("(none)");
    EXPECT_EQ(code_of(response), "auth.admin_token_required");
    EXPECT_THAT(response.headers, Contains(Pair("WWW-Authenticate", "Bearer")));
  }
  EXPECT_EQ(call("POST", "/admin/v1/agencies", R"({"code":"000.00.05.H41","name":"X"})", {}).status,
            401u);
  EXPECT_EQ(fixture_.directory().list()->size(), 3u) << "nothing changed without the token";
}

TEST_F(AdminApi, CreatesAnAgencyAndListsIt) {
  auto created = call("POST", "/admin/v1/agencies",
                      R"({"code":"000.00.05.H41","name":"Phường Phú Hội",)"
                      R"("parent_code":"000.00.00.H41","signature_policy":"verify_if_present"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(str(json_of(created).at("code")), "000.00.05.H41");

  auto listed = json_of(call("GET", "/admin/v1/agencies"));
  std::vector<std::string> codes;
  for (const auto& agency : listed.at("agencies").as_array())
    codes.push_back(str(agency.at("code")));
  EXPECT_THAT(codes,
              ElementsAre("000.00.00.H41", "000.00.01.H41", "000.00.02.H41", "000.00.05.H41"));
  auto one = json_of(call("GET", "/admin/v1/agencies/000.00.05.H41"));
  EXPECT_EQ(str(one.at("name")), "Phường Phú Hội");
  EXPECT_EQ(str(one.at("parent_code")), "000.00.00.H41");
  EXPECT_EQ(str(one.at("signature_policy")), "verify_if_present");
}

TEST_F(AdminApi, RefusesAnAgencyThatExistsOrIsNotValid) {
  auto again = call("POST", "/admin/v1/agencies",
                    R"({"code":")" + fixture_.agency(0).code + R"(","name":"Trùng"})");
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(code_of(again), "agency.exists");

  auto unknown_field =
      call("POST", "/admin/v1/agencies", R"({"code":"000.00.05.H41","name":"X","colour":"red"})");
  EXPECT_EQ(unknown_field.status, 400u);
  EXPECT_EQ(code_of(unknown_field), "agency.invalid");
  EXPECT_EQ(str(json_of(unknown_field).at("details")), "colour: unknown field");

  auto missing = call("GET", "/admin/v1/agencies/000.00.09.H41");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(code_of(missing), "agency.not_found");
}

TEST_F(AdminApi, RecordsWhoMaySignForAnAgencyThroughJsonAndCsv) {
  const std::string ca(64, 'a'), certificate(64, 'c');
  auto created =
      call("POST", "/admin/v1/agencies",
           R"({"code":"000.00.05.H41","name":"Phường Phú Hội","signer_cas":[")" + ca +
               R"("],"signer_certificates":[")" + certificate + R"("],"allow_sha1":true})");
  ASSERT_EQ(created.status, 201u) << created.body;
  auto one = json_of(call("GET", "/admin/v1/agencies/000.00.05.H41"));
  EXPECT_EQ(json::serialize(one.at("signer_cas")), "[\"" + ca + "\"]");
  EXPECT_EQ(json::serialize(one.at("signer_certificates")), "[\"" + certificate + "\"]");
  EXPECT_TRUE(one.at("allow_sha1").as_bool());

  auto not_a_fingerprint = call("PUT", "/admin/v1/agencies/000.00.05.H41",
                                R"({"name":"Phường Phú Hội","signer_cas":["AA:BB"]})");
  EXPECT_EQ(not_a_fingerprint.status, 400u);
  EXPECT_EQ(code_of(not_a_fingerprint), "agency.invalid");
  EXPECT_THAT(str(json_of(not_a_fingerprint).at("details")), ::testing::StartsWith("signer_cas: "));

  // A file without the binding's columns keeps it; one with them replaces it.
  auto kept = call("POST", "/admin/v1/agencies/import",
                   "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids\n"
                   "000.00.05.H41,Phường Phú Hội,,,,,,\n");
  ASSERT_EQ(kept.status, 200u) << kept.body;
  auto after_kept = json_of(call("GET", "/admin/v1/agencies/000.00.05.H41"));
  EXPECT_EQ(after_kept.at("signer_cas").as_array().size(), 1u);
  EXPECT_TRUE(after_kept.at("allow_sha1").as_bool());
  const std::string other_ca(64, 'b');
  auto replaced = call("POST", "/admin/v1/agencies/import",
                       "code,name,parent_code,kind,route_via,signature_policy,enabled,system_ids,"
                       "qd20_code,signer_cas,signer_certificates,allow_sha1\n"
                       "000.00.05.H41,Phường Phú Hội,,,,,,,," +
                           ca + ";" + other_ca + ",,false\n");
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  auto after_replaced = json_of(call("GET", "/admin/v1/agencies/000.00.05.H41"));
  EXPECT_EQ(json::serialize(after_replaced.at("signer_cas")),
            "[\"" + ca + "\",\"" + other_ca + "\"]");
  EXPECT_TRUE(after_replaced.at("signer_certificates").as_array().empty());
  EXPECT_FALSE(after_replaced.at("allow_sha1").as_bool());
}

TEST_F(AdminApi, TracesAnyPackageByIdAndByDocumentId) {
  auto package = fixture_.package(0, {1});
  std::string id = fixture_.send(0, fixture_.signed_bytes(package));

  auto by_id = call("GET", "/admin/v1/packages/" + id + "/trace");
  ASSERT_EQ(by_id.status, 200u) << by_id.body;
  auto trace = json_of(by_id);
  EXPECT_EQ(str(trace.at("package").at("id")), id);
  std::vector<std::string> events;
  for (const auto& event : trace.at("events").as_array()) events.push_back(str(event.at("event")));
  EXPECT_THAT(events, ElementsAre("received", "routed"));

  auto traces =
      json_of(call("GET", "/admin/v1/trace?document_id=" + package.document_id)).at("packages");
  ASSERT_EQ(traces.as_array().size(), 1u);
  EXPECT_EQ(str(traces.at(0).at("package").at("id")), id);

  EXPECT_EQ(call("GET", "/admin/v1/packages/000000000000000000000000/trace").status, 404u);
  auto without_id = call("GET", "/admin/v1/trace");
  EXPECT_EQ(without_id.status, 400u);
  EXPECT_EQ(code_of(without_id), "request.invalid_parameter");
}

// Sealing needs [evidence] (evidence_e2e exports sealed containers from a real trucd): here no
// batch is ever sealed, and the route says so in a code an operator can act on.
TEST_F(AdminApi, EvidenceOfAPackageNotYetSealedIsAConflictAndOfAnUnknownOneNotFound) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto unsealed = call("GET", "/admin/v1/evidence/" + id);
  EXPECT_EQ(unsealed.status, 409u) << unsealed.body;
  EXPECT_EQ(code_of(unsealed), "evidence.not_sealed");
  auto unknown = call("GET", "/admin/v1/evidence/000000000000000000000000");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(code_of(unknown), "package.not_found");
}

TEST_F(AdminApi, TrafficCoversTheDayBeforeTheClocksNowUnlessTold) {
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  // The database stamps the package with its own time: the clock starts just after it.
  clock_.set(SystemClock().now() + 1s);
  auto today = call("GET", "/admin/v1/traffic");
  ASSERT_EQ(today.status, 200u) << today.body;
  EXPECT_EQ(traffic_of(today, 0).at("sent").as_int64(), 1);
  EXPECT_EQ(traffic_of(today, 1).at("received").as_int64(), 1);

  clock_.advance(25h);
  auto tomorrow = call("GET", "/admin/v1/traffic");
  EXPECT_EQ(traffic_of(tomorrow, 0).at("sent").as_int64(), 0) << "a day later it is out of period";
  EXPECT_EQ(traffic_of(tomorrow, 1).at("pending").as_int64(), 1) << "pending is as of now";

  auto told = call("GET", "/admin/v1/traffic?since=2020-01-01T00:00:00Z");
  EXPECT_EQ(traffic_of(told, 0).at("sent").as_int64(), 1) << "an explicit since is kept";
  auto malformed = call("GET", "/admin/v1/traffic?since=yesterday");
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(code_of(malformed), "request.invalid_parameter");
}

}  // namespace
}  // namespace truc::api
