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

  // A call of `system_id`, its headers signed at `when` with `signing_secret`; the header names
  // lowercased as the transport hands them over.
  static http::Request signed_by(const std::string& system_id, const std::string& signing_secret,
                                 Instant when) {
    http::Request request;
    for (auto& [name, value] :
         testing::platform_signed_headers(system_id, signing_secret, {}, when)) {
      request.headers.emplace_back(ascii_lowercase(name), value);
    }
    return request;
  }

  // A call of agency `index`'s system, signed with its secret unless told otherwise.
  http::Request signed_request(std::size_t index, Instant when,
                               const std::optional<std::string>& signing_secret = std::nullopt) {
    return signed_by(fixture_.agency(index).system_id, signing_secret.value_or(secret(index)),
                     when);
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
  auto response = call("GET", "/countReceiveEdoc", signed_request(1, clock_.now()));
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(code_of(response), "OK");
  EXPECT_EQ(json_of(response).at("count").as_int64(), 1) << "counted for the system's agency";
}

TEST_F(CompatApi, RefusesTheSameSignedHeadersOnceTheClockHasMovedPastTheSkew) {
  auto signed_now = signed_request(1, clock_.now());
  clock_.advance(kMaxClockSkew);
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_now)), "OK")
      << "exactly the skew away is still accepted";
  clock_.advance(1ms);
  auto stale = call("GET", "/countReceiveEdoc", signed_now);
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
  auto response =
      call("GET", "/countReceiveEdoc", signed_request(1, clock_.now(), "not-the-secret"));
  EXPECT_EQ(response.status, 401u);
  EXPECT_EQ(code_of(response), "auth.hmac_invalid");
  EXPECT_EQ(code_of(call("GET", "/countReceiveEdoc", signed_request(1, clock_.now(), secret(2)))),
            "auth.hmac_invalid")
      << "another system's secret is not this one's";
}

TEST_F(CompatApi, RefusesAnUnsignedCallAndAnUnknownSystem) {
  auto unsigned_call = call("GET", "/countReceiveEdoc", {});
  EXPECT_EQ(unsigned_call.status, 401u);
  EXPECT_EQ(code_of(unsigned_call), "auth.hmac_missing");

  auto stranger =
      call("GET", "/countReceiveEdoc", signed_by("stranger.test", secret(0), clock_.now()));
  EXPECT_EQ(stranger.status, 401u);
  EXPECT_EQ(code_of(stranger), "auth.unknown_system");
}

TEST_F(CompatApi, ListsAReceivedEdocServesItAndSettlesItWithUpdateStatus) {
  std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
  std::string id = fixture_.send(0, bytes);

  auto listed = json_of(call("GET", "/getReceivedEdocList", signed_request(1, clock_.now())));
  ASSERT_EQ(listed.at("data").as_array().size(), 1u);
  const auto& item = listed.at("data").at(0);
  EXPECT_EQ(str(item.at("docId")), id);
  EXPECT_EQ(str(item.at("from")), fixture_.agency(0).code);
  EXPECT_EQ(str(item.at("to")), fixture_.agency(1).code);

  auto fetched = call("GET", "/getEdoc?docId=" + id, signed_request(1, clock_.now()));
  ASSERT_EQ(fetched.status, 200u) << fetched.body;
  ASSERT_TRUE(fetched.body_file);
  EXPECT_TRUE(fetched.body_file_temporary) << "an answer written for this request alone";
  auto answer = json::parse(testing::read_file(*fetched.body_file)).as_object();
  std::filesystem::remove(*fetched.body_file);
  auto decoded = base64_decode(str(answer.at("data")));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(*decoded == bytes) << "the sender's bytes, base64 in the platform's answer";

  http::Request done = signed_request(1, clock_.now());
  done.body = "docId=" + id + "&status=done";
  auto settled = json_of(call("POST", "/updateStatus", std::move(done)));
  EXPECT_EQ(str(settled.at("docStatus")), "done");
  EXPECT_TRUE(json_of(call("GET", "/getReceivedEdocList", signed_request(1, clock_.now())))
                  .at("data")
                  .as_array()
                  .empty());
}

}  // namespace
}  // namespace truc::api
