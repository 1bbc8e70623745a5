// The national platform's face on a real hub core, called through the route table without
// sockets, with a clock the test moves: how a system's signed call is judged (its secret, its
// timestamp against the hub's clock), and what the face answers in the platform's shape.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "truc/api/compat_api.hpp"
#include "truc/common/ascii.hpp"
#include "truc/common/base64.hpp"
#include "truc/security/secret_box.hpp"
#include "truc/testing/hub_fixture.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc::api {
namespace {

using namespace std::chrono_literals;
using testing::json_of;
namespace json = boost::json;

std::string str(const json::value& value) { return std::string(value.as_string()); }

constexpr std::chrono::seconds kMaxClockSkew = 300s;
// 15 March 2026, 09:00 in Hà Nội.
const Instant kStart{std::chrono::sys_days(std::chrono::year(2026) / 3 / 15) + 2h};

class CompatApi : public ::testing::Test {
 protected:
  CompatApi() {
    const std::string key(32, 'k');
    add_compat_api(router_, fixture_.hub(), fixture_.directory(),
                   {clock_, key, kMaxClockSkew, fixture_.blobs().temporary_directory()});
    security::SecretBox secrets(key);
    for (std::size_t index = 0; index < 3; ++index) {
      const auto& system_id = fixture_.agency(index).system_id;
      // Sealed for its system id, as the systems API stores it.
      EXPECT_TRUE(
          fixture_.directory().save_system(system_id, *secrets.seal(secret(index), system_id)));
    }
  }

  static std::string secret(std::size_t index) {
    return "secret-of-system-" + std::to_string(index) + "-0123456789abcdef";
  }

  // A call of `system_id`, its headers (and `parameters`, as the SDK sends them) signed at
  // `when` with `signing_secret`; the header names lowercased as the transport hands them over.
  static http::Request signed_by(const std::string& system_id, const std::string& signing_secret,
                                 Instant when, const testing::HeaderList& parameters = {}) {
    http::Request request;
    for (auto& [name, value] :
         testing::platform_signed_headers(system_id, signing_secret, parameters, when)) {
      request.headers.emplace_back(ascii_lowercase(name), value);
    }
    return request;
  }

  // A call of agency `index`'s system, signed with its secret unless told otherwise.
  http::Request signed_request(std::size_t index, Instant when,
                               const std::optional<std::string>& signing_secret = std::nullopt,
                               const testing::HeaderList& parameters = {}) {
    return signed_by(fixture_.agency(index).system_id, signing_secret.value_or(secret(index)), when,
                     parameters);
  }

  // The clock a millisecond on: the timestamp of a header set signed anew (one is used once).
  Instant tick() {
    clock_.advance(1ms);
    return clock_.now();
  }

  // How many spent header sets the database keeps.
  std::int64_t used_credentials() {
    auto lease = fixture_.database().acquire();
    auto rows = (**lease).execute("SELECT count(*) FROM used_credentials");
    return rows ? rows->integer(0, 0) : -1;
  }

  http::Response call(const std::string& method, const std::string& target, http::Request request) {
    return testing::call(router_, method, target, std::move(request));
  }

  // "OK", or the stable code of a FAIL: the first word of ErrorDesc.
  static std::string code_of(const http::Response& response) {
    auto body = json_of(response);
    if (str(body.at("status")) == "OK") return "OK";
    EXPECT_EQ(str(body.at("ErrorCode")), std::to_string(response.status));
    std::string description = str(body.at("ErrorDesc"));
    return description.substr(0, description.find(':'));
  }

  testing::HubFixture fixture_;
  ManualClock clock_{kStart};
  http::Router router_;
};

TEST_F(CompatApi, AcceptsACallSignedAtTheClocksTime) {
  fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto response = call("GET", "/countReceiveEdoc", signed_request(1, tick()));
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(code_of(response), "OK");
  EXPECT_EQ(json_of(response).at("count").as_int64(), 1) << "counted for the system's agency";
}

TEST_F(CompatApi, RefusesTheSameSignedHeadersOnceTheClockHasMovedPastTheSkew) {
  auto signed_then = tick();
  clock_.advance(kMaxClockSkew);
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, signed_then))), "OK")
      << "exactly the skew away is still accepted";
  clock_.advance(1ms);
  auto stale = call("GET", "/countReceiveEdoc", signed_request(1, signed_then));
  EXPECT_EQ(stale.status, 401u);
  EXPECT_EQ(code_of(stale), "auth.timestamp_stale");
}

TEST_F(CompatApi, RefusesATimestampTooFarAheadOfTheClock) {
  auto ahead = call("GET", "/countReceiveEdoc",
                    signed_request(1, clock_.now() + kMaxClockSkew + std::chrono::seconds(1)));
  EXPECT_EQ(ahead.status, 401u);
  EXPECT_EQ(code_of(ahead), "auth.timestamp_stale");
}

TEST_F(CompatApi, RefusesASignatureMadeWithAnotherSecret) {
  auto response = call("GET", "/countReceiveEdoc", signed_request(1, tick(), "not-the-secret"));
  EXPECT_EQ(response.status, 401u);
  EXPECT_EQ(code_of(response), "auth.hmac_invalid");
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, tick(), secret(2)))),
            "auth.hmac_invalid")
      << "another system's secret is not this one's";
}

TEST_F(CompatApi, RefusesAnUnsignedCallAndAnUnknownSystem) {
  auto unsigned_call = call("GET", "/countReceiveEdoc", {});
  EXPECT_EQ(unsigned_call.status, 401u);
  EXPECT_EQ(code_of(unsigned_call), "auth.hmac_missing");

  auto stranger = call("GET", "/countReceiveEdoc", signed_by("stranger.test", secret(0), tick()));
  auto wrong_secret = call("GET", "/countReceiveEdoc", signed_request(1, tick(), secret(0)));
  EXPECT_EQ(stranger.status, 401u);
  EXPECT_EQ(code_of(stranger), "auth.hmac_invalid");
  EXPECT_EQ(stranger.body, wrong_secret.body)
      << "an unknown system and a wrong HMAC answer alike: the face does not say which ids exist";
}

TEST_F(CompatApi, AcceptsASignedHeaderSetOnceOnAnyPath) {
  auto spent = signed_request(1, tick());
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", spent)), "OK");
  auto again = call("GET", "/countReceiveEdoc", spent);
  EXPECT_EQ(again.status, 401u);
  EXPECT_EQ(code_of(again), "auth.replayed");
  EXPECT_EQ(code_of(call("POST", "/getReceivedEdocList", spent)), "auth.replayed")
      << "a header set signs no path: spent on one, it is spent on all";
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, tick()))), "OK")
      << "the same system signing anew is welcome";
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(0, clock_.now()))), "OK")
      << "another system's header set of the same instant is its own";

  http::Router another_node;  // a second hub node sharing the database
  add_compat_api(
      another_node, fixture_.hub(), fixture_.directory(),
      {clock_, std::string(32, 'k'), kMaxClockSkew, fixture_.blobs().temporary_directory()});
  EXPECT_EQ(code_of(testing::call(another_node, "GET", "/countReceiveEdoc", spent)),
            "auth.replayed");
}

TEST_F(CompatApi, ForgetsSpentHeaderSetsOnceTheirTimestampCanNoLongerPass) {
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, tick()))), "OK");
  EXPECT_EQ(used_credentials(), 1);
  // Past the skew (and the minute between prunes), the next spend prunes the old ones.
  clock_.advance(kMaxClockSkew + 61s);
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, tick()))), "OK");
  EXPECT_EQ(used_credentials(), 1) << "only the new header set is kept";
}

TEST_F(CompatApi, HonoursOnlySignedParameters) {
  std::string id = fixture_.send(0, fixture_.signed_bytes(fixture_.package(0, {1})));
  auto unsigned_query = call("GET", "/getEdoc?docId=" + id, signed_request(1, tick()));
  EXPECT_EQ(unsigned_query.status, 401u);
  EXPECT_EQ(code_of(unsigned_query), "auth.unsigned_parameter");
  http::Request unsigned_body = signed_request(1, tick());
  unsigned_body.body = "docId=" + id + "&status=done";
  EXPECT_EQ(code_of(call("POST", "/updateStatus", std::move(unsigned_body))),
            "auth.unsigned_parameter");
  http::Request other_value = signed_request(1, tick(), std::nullopt, {{"docId", id}});
  other_value.body = "docId=000000000000000000000000";
  EXPECT_EQ(code_of(call("POST", "/getEdoc", std::move(other_value))), "request.invalid_parameter");
  EXPECT_EQ(json_of(call("GET", "/getReceivedEdocList", signed_request(1, tick())))
                .at("data")
                .as_array()
                .size(),
            1u)
      << "nothing was settled by the unsigned status";
  auto signed_copy = signed_request(1, tick(), std::nullopt, {{"docId", id}});
  signed_copy.body = "docId=" + id;
  auto fetched = call("POST", "/getEdoc", std::move(signed_copy));
  EXPECT_EQ(fetched.status, 200u) << fetched.body;
  if (fetched.body_file) std::filesystem::remove(*fetched.body_file);
}

TEST_F(CompatApi, ListsAReceivedEdocServesItAndSettlesItWithUpdateStatus) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  std::string id = fixture_.send(0, bytes);

  auto listed = json_of(call("GET", "/getReceivedEdocList", signed_request(1, tick())));
  ASSERT_EQ(listed.at("data").as_array().size(), 1u);
  const auto& item = listed.at("data").at(0);
  EXPECT_EQ(str(item.at("docId")), id);
  EXPECT_EQ(str(item.at("from")), fixture_.agency(0).code);
  EXPECT_EQ(str(item.at("to")), fixture_.agency(1).code);

  auto fetched = call("GET", "/getEdoc", signed_request(1, tick(), std::nullopt, {{"docId", id}}));
  ASSERT_EQ(fetched.status, 200u) << fetched.body;
  ASSERT_TRUE(fetched.body_file);
  EXPECT_TRUE(fetched.body_file_temporary) << "an answer written for this request alone";
  auto answer = json::parse(testing::read_file(*fetched.body_file)).as_object();
  std::filesystem::remove(*fetched.body_file);
  auto decoded = base64_decode(str(answer.at("data")));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(*decoded == bytes) << "the sender's bytes, base64 in the platform's answer";

  auto settled =
      json_of(call("POST", "/updateStatus",
                   signed_request(1, tick(), std::nullopt, {{"docId", id}, {"status", "done"}})));
  EXPECT_EQ(str(settled.at("docStatus")), "done");
  EXPECT_TRUE(json_of(call("GET", "/getReceivedEdocList", signed_request(1, tick())))
                  .at("data")
                  .as_array()
                  .empty());
}

}  // namespace
}  // namespace truc::api
