// Who may call what: every route of both of trucd's listeners, taken from the very tables the
// daemon serves (make_routes), called as each kind of caller through its gate and handler. The
// expected answers are written out below, one row per route; a route without a row, or a row
// without a route, fails the test, so that a new route cannot ship without deciding who may call
// it.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <variant>

#include "truc/common/ascii.hpp"
#include "truc/common/digest.hpp"
#include "truc/ops/metrics.hpp"
#include "truc/security/secret_box.hpp"
#include "truc/testing/hub_fixture.hpp"
#include "truc/testing/platform_auth.hpp"
#include "truc/trucd/routes.hpp"

namespace truc::trucd {
namespace {

using namespace std::chrono_literals;

// The callers of the issue's matrix, in this order in every row.
enum CallerKind : std::size_t {
  agency_a,        // agency 0's client certificate
  agency_b,        // agency 1's client certificate
  system_of_a,     // agency 0's system on the national platform's face (HMAC headers)
  no_credentials,  // nothing at all
  admin_token,     // Authorization: Bearer <the admin token>
  wrong_token,     // Authorization: Bearer <another token>
  kCallers
};
constexpr const char* kCallerNames[kCallers] = {"agency A", "agency B",    "system of A",
                                                "nobody",   "admin token", "wrong token"};

// Past the gate: whatever the handler answers, as long as it is not a refusal of the caller.
struct Admitted {};
using Expected = std::variant<unsigned, Admitted>;
using Row = std::array<Expected, kCallers>;

constexpr Admitted kIn{};
const Row kAgencyOnly{kIn, kIn, 401u, 401u, 401u, 401u};
const Row kSystemOnly{401u, 401u, 200u, 401u, 401u, 401u};
const Row kAdminOnly{401u, 401u, 401u, 401u, kIn, 401u};
const Row kOpen{200u, 200u, 200u, 200u, 200u, 200u};

// The package routes: agency A is a recipient of the package, agency B has nothing to do with it
// and must not learn that it exists.
const Row kPackageOfA{200u, 404u, 401u, 401u, 401u, 401u};

const std::map<std::string, Row>& expected_rows() {
  static const std::map<std::string, Row> rows{
      // /v1: agencies by client certificate. B submitting A's document is not B's to send.
      {"POST /v1/packages", {201u, 403u, 401u, 401u, 401u, 401u}},
      {"GET /v1/inbox", {200u, 200u, 401u, 401u, 401u, 401u}},
      {"GET /v1/packages/{id}", kPackageOfA},
      {"POST /v1/packages/{id}/ack", kPackageOfA},
      {"POST /v1/packages/{id}/nack", kPackageOfA},
      {"GET /v1/packages/{id}/trace", kPackageOfA},
      // The national platform's face: systems by HMAC, nobody else.
      {"POST /sendEdoc", kSystemOnly},
      {"POST /updateStatus", kSystemOnly},
      {"GET /getReceivedEdocList", kSystemOnly},
      {"POST /getReceivedEdocList", kSystemOnly},
      {"GET /getEdoc", kSystemOnly},
      {"POST /getEdoc", kSystemOnly},
      {"GET /getSentEdocList", kSystemOnly},
      {"POST /getSentEdocList", kSystemOnly},
      {"GET /countReceiveEdoc", kSystemOnly},
      {"POST /countReceiveEdoc", kSystemOnly},
      {"GET /countReceiveStatus", kSystemOnly},
      {"POST /countReceiveStatus", kSystemOnly},
      {"GET /downloadEdoc", kSystemOnly},
      {"POST /downloadEdoc", kSystemOnly},
      {"GET /getAgenciesList", kSystemOnly},
      {"POST /getAgenciesList", kSystemOnly},
      {"GET /getAgenciesListQD20", kSystemOnly},
      {"POST /getAgenciesListQD20", kSystemOnly},
      // The monitoring listener: probes are open, the admin API needs the token.
      {"GET /live", kOpen},
      {"GET /ready", kOpen},
      {"GET /metrics", kOpen},
      {"GET /admin/v1/agencies", kAdminOnly},
      {"POST /admin/v1/agencies", kAdminOnly},
      {"POST /admin/v1/agencies/import", kAdminOnly},
      {"GET /admin/v1/agencies/{code}", kAdminOnly},
      {"PUT /admin/v1/agencies/{code}", kAdminOnly},
      {"DELETE /admin/v1/agencies/{code}", kAdminOnly},
      {"GET /admin/v1/agencies/{code}/certificates", kAdminOnly},
      {"POST /admin/v1/agencies/{code}/certificates", kAdminOnly},
      {"DELETE /admin/v1/agencies/{code}/certificates/{fingerprint}", kAdminOnly},
      {"GET /admin/v1/packages/{id}/trace", kAdminOnly},
      {"GET /admin/v1/trace", kAdminOnly},
      {"GET /admin/v1/evidence/{id}", kAdminOnly},
      {"GET /admin/v1/traffic", kAdminOnly},
      {"GET /admin/v1/deadletters", kAdminOnly},
      {"POST /admin/v1/deadletters/replay", kAdminOnly},
      {"GET /admin/v1/systems", kAdminOnly},
      {"POST /admin/v1/systems", kAdminOnly},
      {"DELETE /admin/v1/systems/{system_id}", kAdminOnly},
  };
  return rows;
}

std::string key_of(const http::Route& route) { return route.method + " " + route.pattern; }

class Authorization : public ::testing::Test {
 protected:
  Authorization()
      : metrics_({}),
        routes_(make_routes({fixture_.hub(),
                             fixture_.directory(),
                             {fixture_.database(), fixture_.blobs(), metrics_,
                              [] { return http::WorkerPoolStats{}; }, [] { return 0; }},
                             kAdminToken,
                             clock_,
                             api::CompatSettings{clock_, kSecretKey, 300s,
                                                 fixture_.blobs().temporary_directory()}})) {
    security::SecretBox secrets(kSecretKey);
    const auto& system_id = fixture_.agency(0).system_id;
    EXPECT_TRUE(
        fixture_.directory().save_system(system_id, *secrets.seal(kSystemSecret, system_id)));
  }

  // A fresh package from agency 2 to agency A, for a route with {id}: each call settles its own.
  std::string package_for_a() {
    return fixture_.send(2, fixture_.signed_bytes(fixture_.package(2, {0})));
  }

  // The request of `caller` for `route`, with what the route needs to get past its own checks.
  std::pair<std::string, http::Request> request_for(const http::Route& route, CallerKind caller) {
    // A package of A's for {id}, and for the docId a system may sign.
    const bool names_package = route.pattern.find("{id}") != std::string::npos;
    std::string id = names_package || caller == system_of_a ? package_for_a() : std::string();
    std::string target = route.pattern;
    auto substitute = [&](const std::string& name, const std::string& value) {
      auto at = target.find(name);
      if (at != std::string::npos) target.replace(at, name.size(), value);
    };
    substitute("{id}", id);
    substitute("{code}", kSpareAgency);
    substitute("{fingerprint}", std::string(64, '0'));
    substitute("{system_id}", "matrix.system");

    http::Request request;
    std::string document_sha256;
    if (route.body == http::BodyMode::spool) {
      // Agency A's own document: B may not send it, A (or A's system) may.
      std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
      document_sha256 = sha256_hex(bytes);
      request.body_file = fixture_.spool(bytes);
      request.body_size = bytes.size();
    } else if (route.body == http::BodyMode::memory) {
      request.body = R"({"reason":"matrix"})";
    }
    switch (caller) {
      case agency_a:
      case agency_b:
        request.peer_certificate =
            http::PeerCertificate{fixture_.fingerprint(caller == agency_a ? 0 : 1), "", ""};
        break;
      case system_of_a: {
        testing::HeaderList parameters{{"docId", id}, {"status", "done"}};
        if (!document_sha256.empty()) parameters.emplace_back("hash-file", document_sha256);
        clock_.advance(1ms);  // each header set is used once
        for (auto& [name, value] : testing::platform_signed_headers(
                 fixture_.agency(0).system_id, kSystemSecret, parameters, clock_.now())) {
          request.headers.emplace_back(ascii_lowercase(name), value);
        }
        // The platform's answers are JSON; its reads take no body of their own.
        if (route.body == http::BodyMode::memory) request.body = "{}";
        break;
      }
      case admin_token:
      case wrong_token:
        request.headers.emplace_back(
            "authorization",
            "Bearer " + (caller == admin_token ? std::string(kAdminToken) : std::string(40, 'w')));
        break;
      case no_credentials:
      case kCallers:
        break;
    }
    return {target, std::move(request)};
  }

  void check_listener(const http::Router& router, std::set<std::string>& seen) {
    for (const auto& route : router.routes()) {
      const std::string key = key_of(route);
      seen.insert(key);
      auto row = expected_rows().find(key);
      if (row == expected_rows().end()) {
        ADD_FAILURE() << "no authorization row for " << key << ": add one to expected_rows()";
        continue;
      }
      for (std::size_t caller = 0; caller < kCallers; ++caller) {
        auto [target, request] = request_for(route, static_cast<CallerKind>(caller));
        auto response = testing::call(router, route.method, target, std::move(request));
        if (response.body_file && response.body_file_temporary) {
          std::filesystem::remove(*response.body_file);
        }
        const Expected& expected = row->second[caller];
        if (const auto* status = std::get_if<unsigned>(&expected)) {
          EXPECT_EQ(response.status, *status)
              << key << " as " << kCallerNames[caller] << ": " << response.body;
        } else {
          EXPECT_TRUE(response.status != 401 && response.status != 403)
              << key << " as " << kCallerNames[caller] << " was refused: " << response.status << " "
              << response.body;
        }
      }
    }
  }

  static constexpr const char* kAdminToken = "admin-token-of-the-matrix-0123456789abcdef";
  static constexpr const char* kSecretKey = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
  static constexpr const char* kSystemSecret = "secret-of-system-a-0123456789abcdef";
  static constexpr const char* kSpareAgency = "000.00.99.H41";

  testing::HubFixture fixture_;
  ManualClock clock_{Instant(std::chrono::sys_days(std::chrono::year(2026) / 3 / 15) + 2h)};
  ops::Metrics metrics_;
  Routes routes_;
};

TEST_F(Authorization, EveryRouteAnswersEachCallerAsItsRowSays) {
  std::set<std::string> seen;
  check_listener(routes_.agency, seen);
  check_listener(routes_.monitor, seen);
  for (const auto& [key, row] : expected_rows()) {
    EXPECT_TRUE(seen.contains(key)) << "a row for a route trucd does not serve: " << key;
  }
}

}  // namespace
}  // namespace truc::trucd
