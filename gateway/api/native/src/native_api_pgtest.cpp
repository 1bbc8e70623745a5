// The /v1 face's handlers on a real hub core, called through the route table without sockets:
// the request an agency's TLS connection would produce, the status and JSON it gets back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "truc/api/native_api.hpp"
#include "truc/common/digest.hpp"
#include "truc/security/certificate.hpp"
#include "truc/testing/hub_fixture.hpp"

namespace truc::api {
namespace {

using ::testing::ElementsAre;
using testing::json_of;
using ::testing::Pair;
namespace json = boost::json;

std::string str(const json::value& value) { return std::string(value.as_string()); }

class NativeApi : public ::testing::Test {
 protected:
  NativeApi() { add_native_api(router_, fixture_.hub()); }

  // As agency `index`, presenting its registered certificate.
  http::Request as_agency(std::size_t index) {
    http::Request request;
    request.peer_certificate =
        http::PeerCertificate{fixture_.fingerprint(index), "CN=" + fixture_.agency(index).name,
                              fixture_.agency(index).certificate.certificate_pem};
    return request;
  }

  http::Response call(const std::string& method, const std::string& target, http::Request request) {
    return testing::call(router_, method, target, std::move(request));
  }

  http::Response post_package(std::size_t as, const std::string& bytes) {
    http::Request request = as_agency(as);
    request.body_file = fixture_.spool(bytes);
    return call("POST", "/v1/packages", std::move(request));
  }

  std::string send(std::size_t as, const std::string& bytes) {
    auto response = post_package(as, bytes);
    EXPECT_EQ(response.status, 201u) << response.body;
    return str(json_of(response).at("id"));
  }

  std::string code_of(const http::Response& response) { return str(json_of(response).at("code")); }

  testing::HubFixture fixture_;
  http::Router router_;
};

TEST_F(NativeApi, AnswersUnauthorizedWithoutAClientCertificate) {
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/v1/inbox"},
           {"GET", "/v1/packages/000000000000000000000000"},
           {"POST", "/v1/packages/000000000000000000000000/ack"}}) {
    auto response = call(method, target, {});
    EXPECT_EQ(response.status, 401u) << method << " " << target;
    EXPECT_EQ(code_of(response), "auth.certificate_required");
  }
}

TEST_F(NativeApi, ForbidsACertificateRegisteredForNoAgency) {
  auto unregistered = fixture_.pki().issue(
      fixture_.ca(), "unregistered",
      {.agency_code = fixture_.agency(0).code, .extended_key_usage = "clientAuth"});
  auto certificate = security::Certificate::from_pem(unregistered.certificate_pem);
  ASSERT_TRUE(certificate);
  http::Request request;
  request.peer_certificate = http::PeerCertificate{certificate->sha256_fingerprint(),
                                                   "CN=unregistered", unregistered.certificate_pem};
  auto response = call("GET", "/v1/inbox", std::move(request));
  EXPECT_EQ(response.status, 403u);
  EXPECT_EQ(code_of(response), "auth.unknown_certificate");
}

TEST_F(NativeApi, SubmitAnswersCreatedThenOkForTheSameBytes) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  auto created = post_package(0, bytes);
  ASSERT_EQ(created.status, 201u) << created.body;
  auto receipt = json_of(created);
  EXPECT_EQ(str(receipt.at("sha256")), sha256_hex(bytes));
  ASSERT_EQ(receipt.at("recipients").as_array().size(), 1u);
  EXPECT_EQ(str(receipt.at("recipients").at(0).at("organ_id")), fixture_.agency(1).code);
  EXPECT_EQ(str(receipt.at("recipients").at(0).at("route")), "local");

  auto duplicate = post_package(0, bytes);
  EXPECT_EQ(duplicate.status, 200u) << "the same bytes again: the same receipt, not a new one";
  EXPECT_EQ(str(json_of(duplicate).at("id")), str(receipt.at("id")));
}

TEST_F(NativeApi, SubmitRefusesAnEmptyBodyAndAnotherAgencysPackage) {
  auto empty = post_package(0, "");
  EXPECT_EQ(empty.status, 400u);
  EXPECT_EQ(code_of(empty), "request.empty_body");

  auto foreign = post_package(1, fixture_.signed_bytes(fixture_.package(0, {2})));
  EXPECT_EQ(foreign.status, 403u);
  EXPECT_EQ(code_of(foreign), "auth.sender_mismatch");

  auto garbage = post_package(0, "<html>not edxml</html>");
  EXPECT_EQ(garbage.status, 400u);
  EXPECT_EQ(code_of(garbage), "parse.not_edxml");
}

TEST_F(NativeApi, InboxListsWhatWaitsForTheCallerAndPagesByCursor) {
  std::vector<std::string> sent;
  for (int index = 0; index < 3; ++index)
    sent.push_back(send(2, fixture_.signed_bytes(fixture_.package(2, {0}))));

  auto first = call("GET", "/v1/inbox?limit=2", as_agency(0));
  ASSERT_EQ(first.status, 200u) << first.body;
  auto page = json_of(first);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(str(page.at("items").at(0).at("id")), sent[0]);
  EXPECT_EQ(str(page.at("items").at(0).at("recipients").at(0)), fixture_.agency(0).code);
  ASSERT_TRUE(page.at("next_cursor").is_string());

  auto second =
      json_of(call("GET", "/v1/inbox?limit=2&cursor=" + str(page.at("next_cursor")), as_agency(0)));
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(str(second.at("items").at(0).at("id")), sent[2]);
  EXPECT_TRUE(second.at("next_cursor").is_null());

  EXPECT_TRUE(json_of(call("GET", "/v1/inbox", as_agency(1))).at("items").as_array().empty());
  EXPECT_TRUE(
      json_of(call("GET", "/v1/inbox?kind=status", as_agency(0))).at("items").as_array().empty());
}

TEST_F(NativeApi, InboxRefusesParametersOutOfRange) {
  for (const char* target : {"/v1/inbox?limit=0", "/v1/inbox?limit=501", "/v1/inbox?cursor=-1",
                             "/v1/inbox?limit=ten", "/v1/inbox?kind=letter"}) {
    auto response = call("GET", target, as_agency(0));
    EXPECT_EQ(response.status, 400u) << target;
    EXPECT_EQ(code_of(response), "request.invalid_parameter") << target;
  }
}

TEST_F(NativeApi, FetchStreamsTheStoredBytesToTheRecipient) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  std::string id = send(0, bytes);
  auto fetched = call("GET", "/v1/packages/" + id, as_agency(1));
  ASSERT_EQ(fetched.status, 200u) << fetched.body;
  ASSERT_TRUE(fetched.body_file);
  EXPECT_FALSE(fetched.body_file_temporary) << "the stored blob is not the transport's to remove";
  EXPECT_TRUE(testing::read_file(*fetched.body_file) == bytes);
  EXPECT_THAT(fetched.headers, ::testing::Contains(Pair("X-Truc-Sha256", sha256_hex(bytes))));
  EXPECT_THAT(fetched.headers, ::testing::Contains(Pair("X-Truc-Kind", "edoc")));
}

TEST_F(NativeApi, AnswersNotFoundToAnAgencyThePackageDoesNotConcern) {
  std::string id = send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  for (auto [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/packages/" + id},
                                                        {"GET", "/v1/packages/" + id + "/trace"},
                                                        {"POST", "/v1/packages/" + id + "/ack"}}) {
    auto response = call(method, target, as_agency(2));
    EXPECT_EQ(response.status, 404u) << method << " " << target;
    EXPECT_EQ(code_of(response), "package.not_found");
  }
}

TEST_F(NativeApi, AckAndNackAnswerTheStateTheDeliveryLeft) {
  std::string id = send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto acked = call("POST", "/v1/packages/" + id + "/ack", as_agency(1));
  ASSERT_EQ(acked.status, 200u) << acked.body;
  EXPECT_EQ(str(json_of(acked).at("id")), id);
  EXPECT_EQ(str(json_of(acked).at("state")), "acked");

  http::Request nack = as_agency(1);
  nack.body = R"({"reason":"Sai địa chỉ nhận"})";
  auto after = call("POST", "/v1/packages/" + id + "/nack", std::move(nack));
  EXPECT_EQ(after.status, 200u);
  EXPECT_EQ(str(json_of(after).at("state")), "acked") << "a settled delivery stays settled";
}

TEST_F(NativeApi, NackNeedsAReasonAndTheSenderSeesIt) {
  std::string id = send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  for (const char* body : {"", "{}", R"({"reason":7})", "not json"}) {
    http::Request request = as_agency(1);
    request.body = body;
    auto refused = call("POST", "/v1/packages/" + id + "/nack", std::move(request));
    EXPECT_EQ(refused.status, 400u) << body;
    EXPECT_EQ(code_of(refused), "request.invalid_body") << body;
  }
  http::Request request = as_agency(1);
  request.body = R"({"reason":"Sai địa chỉ nhận"})";
  auto nacked = call("POST", "/v1/packages/" + id + "/nack", std::move(request));
  ASSERT_EQ(nacked.status, 200u) << nacked.body;
  EXPECT_EQ(str(json_of(nacked).at("state")), "nacked");

  auto trace = json_of(call("GET", "/v1/packages/" + id + "/trace", as_agency(0)));
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("state")), "nacked");
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("reason")), "Sai địa chỉ nhận");
  std::vector<std::string> events;
  for (const auto& event : trace.at("events").as_array()) events.push_back(str(event.at("event")));
  EXPECT_THAT(events, ElementsAre("received", "routed", "nacked"));
}

}  // namespace
}  // namespace truc::api
