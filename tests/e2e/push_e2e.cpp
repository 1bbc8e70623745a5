// Push delivery end to end: a real trucd pushing to agency endpoints (HTTPS servers in this
// test), retries, dead letters and their replay, pull beside push, and ordering under push.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "push_receiver.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/time.hpp"
#include "truc/security/certificate.hpp"
#include "truc/testing/hub.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::HubProcess;
using testing::PushReceiver;
namespace json = boost::json;

// Retries come quickly and give up after three attempts, so that the tests see it all.
const std::string kQuickRetries =
    "[push]\nworkers = 2\nmax_attempts = 3\nfirst_retry_seconds = 1\nmax_retry_seconds = 2\n"
    "timeout_seconds = 10\npoll_interval_seconds = 1\n";

std::string id_of(const testing::HttpResult& result) {
  return std::string(json::parse(result.body).at("id").as_string());
}

std::vector<std::string> events_of(HubProcess& hub, std::size_t agency, const std::string& id) {
  auto trace = json::parse(hub.agency_request(agency, "GET", "/v1/packages/" + id + "/trace").body);
  std::vector<std::string> events;
  for (const auto& event : trace.at("events").as_array())
    events.emplace_back(event.at("event").as_string());
  return events;
}

// Waits for the hub's log line of `event` about package `id`. The hub logs a push's outcome after
// committing it, so the database already shows it when the line arrives.
std::optional<std::string> logged(HubProcess& hub, const std::string& event, const std::string& id,
                                  std::chrono::seconds timeout = 60s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) return std::nullopt;
    auto line = hub.process().wait_for_line("\"event\":\"" + event + "\"", remaining);
    if (!line) return std::nullopt;
    if (line->find("\"id\":\"" + id + "\"") != std::string::npos) return line;
  }
}

json::value get(HubProcess& hub, const std::string& path) {
  auto answer = hub.monitor_request("GET", path);
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.status == 200 ? json::parse(answer.body) : json::value();
}

class PushTest : public ::testing::Test {
 protected:
  explicit PushTest(const std::string& push_config = kQuickRetries)
      : hub_({.extra_config = push_config}), receiver_(hub_.pki(), hub_.ca(), "agency2-endpoint") {
    hub_.start();
    hub_.enable_push(1, receiver_.url(), hub_.ca().certificate_pem);
  }

  std::string send(std::size_t from, const std::filesystem::path& package) {
    auto result = hub_.agency_request(from, "POST", "/v1/packages", package);
    EXPECT_EQ(result.status, 201) << result.body;
    return result.status == 201 ? id_of(result) : "";
  }

  HubProcess hub_;
  PushReceiver receiver_;
};

TEST_F(PushTest, PushesThePackageByteForByteAndSettlesTheDelivery) {
  auto package = hub_.signed_package(0, {1});
  std::string id = send(0, package);
  ASSERT_TRUE(receiver_.wait_for_deliveries(1, 30s));
  auto delivery = receiver_.deliveries().front();
  EXPECT_EQ(delivery.package_id, id);
  EXPECT_EQ(delivery.recipient, hub_.agency(1).code);
  EXPECT_EQ(delivery.kind, "edoc");
  EXPECT_EQ(delivery.sha256, sha256_hex(testing::read_file(package)));
  EXPECT_EQ(delivery.declared_sha256, delivery.sha256);
  auto logged_delivery = logged(hub_, "push.delivered", id);
  ASSERT_TRUE(logged_delivery);
  EXPECT_THAT(*logged_delivery, HasSubstr("\"attempt\":\"1\""));
  auto trace = get(hub_, "/admin/v1/packages/" + id + "/trace");
  EXPECT_EQ(trace.at("deliveries").at(0).at("state").as_string(), "pushed");
  EXPECT_THAT(events_of(hub_, 0, id), ::testing::Contains("pushed"));
  auto inbox = json::parse(hub_.agency_request(1, "GET", "/v1/inbox").body);
  EXPECT_TRUE(inbox.at("items").as_array().empty())
      << "a pushed package is not offered again by pull";
  auto metrics = hub_.monitor_request("GET", "/metrics", "", false);
  EXPECT_THAT(metrics.body, HasSubstr("truc_pushes_total{outcome=\"delivered\"} 1"));
}

TEST_F(PushTest, RetriesThenDeadLettersAndAReplayDelivers) {
  receiver_.fail_next(-1);
  std::string id = send(0, hub_.signed_package(0, {1}));
  ASSERT_TRUE(logged(hub_, "push.dead_lettered", id));
  EXPECT_EQ(receiver_.attempts(), 3u);
  auto letters = get(hub_, "/admin/v1/deadletters");
  ASSERT_EQ(letters.at("dead_letters").as_array().size(), 1u);
  EXPECT_EQ(letters.at("dead_letters").at(0).at("id").as_string(), id);
  EXPECT_EQ(letters.at("dead_letters").at(0).at("attempts").as_int64(), 3);
  EXPECT_THAT(std::string(letters.at("dead_letters").at(0).at("last_error").as_string()),
              HasSubstr("server.busy"));
  auto events = events_of(hub_, 0, id);
  EXPECT_EQ(std::count(events.begin(), events.end(), "push_failed"), 2);
  EXPECT_THAT(events, ::testing::Contains("dead_lettered"));
  EXPECT_THAT(hub_.monitor_request("GET", "/metrics", "", false).body,
              HasSubstr("truc_dead_letters 1"));
  // A dead letter is still there for pull.
  EXPECT_THAT(hub_.agency_request(1, "GET", "/v1/inbox").body, HasSubstr(id));

  testing::ProcessOptions as_operator{.environment = hub_.cli_environment(0)};
  auto listed = testing::run_process(
      {HubProcess::truc_cli().string(), "admin", "deadletters", "list"}, as_operator);
  EXPECT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(id));

  receiver_.heal();
  auto replayed = testing::run_process({HubProcess::truc_cli().string(), "admin", "deadletters",
                                        "replay", "--collector", hub_.agency(1).code},
                                       as_operator);
  ASSERT_EQ(replayed.exit_status, 0) << replayed.err;
  EXPECT_EQ(replayed.out, "replayed: 1\n");
  ASSERT_TRUE(logged(hub_, "push.delivered", id));
  ASSERT_EQ(receiver_.deliveries().size(), 1u);
  EXPECT_EQ(receiver_.deliveries().front().package_id, id);
  EXPECT_TRUE(get(hub_, "/admin/v1/deadletters").at("dead_letters").as_array().empty());
}

TEST_F(PushTest, OperatorsSetPushEndpointsAndTheHubChecksThem) {
  testing::ProcessOptions as_operator{.environment = hub_.cli_environment(0)};
  auto truc = [&](std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {HubProcess::truc_cli().string(), "admin", "agencies"});
    return testing::run_process(arguments, as_operator);
  };
  const std::string code = hub_.agency(2).code;
  auto set = truc(
      {"update", code, "--push-url", receiver_.url(), "--push-ca", hub_.ca().certificate.string()});
  ASSERT_EQ(set.exit_status, 0) << set.err;
  std::string id = send(0, hub_.signed_package(0, {2}));
  ASSERT_TRUE(receiver_.wait_for_deliveries(1, 30s));
  EXPECT_EQ(receiver_.deliveries().front().package_id, id);
  EXPECT_EQ(receiver_.deliveries().front().recipient, code);

  auto without_url = truc({"update", code, "--push-pin", std::string(64, 'a')});
  EXPECT_EQ(without_url.exit_status, 2);
  EXPECT_THAT(without_url.err, HasSubstr("go with --push-url"));
  auto removed = truc({"update", code, "--no-push"});
  ASSERT_EQ(removed.exit_status, 0) << removed.err;
  std::string pulled = send(0, hub_.signed_package(0, {2}));
  EXPECT_THAT(hub_.agency_request(2, "GET", "/v1/inbox").body, HasSubstr(pulled));

  auto refused = [&](const std::string& push, const std::string& field) {
    auto answer =
        hub_.monitor_request("PUT", "/admin/v1/agencies/" + code,
                             "{\"name\":\"" + hub_.agency(2).name + "\",\"push\":" + push + "}");
    EXPECT_EQ(answer.status, 400) << push;
    EXPECT_THAT(answer.body, HasSubstr("agency.invalid")) << push;
    EXPECT_THAT(answer.body, HasSubstr(field)) << push;
  };
  refused(R"({"url":"https://user@localhost/in","pinned_sha256":null,"ca_pem":"x"})", "push.url");
  refused(R"({"url":"https://localhost/in?x=1","ca_pem":"x"})", "push.url");
  refused(R"({"url":"https://localhost/in","ca_pem":"not a certificate"})", "push.ca_pem");
  refused(R"({"url":"https://localhost/in","ca_pem":"x","client_certificate":"yes"})",
          "push.client_certificate");
  refused(R"({"url":42,"ca_pem":"x"})", "push.url");
  EXPECT_THAT(hub_.agency_request(2, "GET", "/v1/inbox").body, HasSubstr(pulled))
      << "a refused change leaves the agency as it was";
}

// One worker, so that pushes go strictly one after another, oldest due delivery first; far more
// attempts than the test lets happen, so that only the ack can end them; retries seconds apart.
const std::string kOneWorkerManyRetries =
    "[push]\nworkers = 1\nmax_attempts = 50\nfirst_retry_seconds = 2\nmax_retry_seconds = 4\n"
    "timeout_seconds = 10\npoll_interval_seconds = 1\n";

class PushAckTest : public PushTest {
 protected:
  PushAckTest() : PushTest(kOneWorkerManyRetries) {}
};

// The hub's recorded failures of pushing `id` ("push_failed" events), and when the last of them
// scheduled the next attempt ("...; next at <time>").
struct Failures {
  std::size_t count = 0;
  std::chrono::system_clock::time_point next_attempt;
};

std::optional<Failures> failures_of(HubProcess& hub, const std::string& id) {
  Failures failures;
  std::string detail;
  auto trace = get(hub, "/admin/v1/packages/" + id + "/trace");
  for (const auto& event : trace.at("events").as_array()) {
    if (event.at("event").as_string() != "push_failed") continue;
    ++failures.count;
    detail = event.at("detail").as_string();
  }
  auto at = detail.find("; next at ");
  if (at == std::string::npos) return std::nullopt;
  std::string instant = detail.substr(at + 10);  // YYYY-MM-DDTHH:MM:SS.mmmZ
  auto seconds = parse_iso8601(instant.substr(0, 19) + "Z");
  if (!seconds || instant.size() < 23) return std::nullopt;
  failures.next_attempt = *seconds + std::chrono::milliseconds(std::stoi(instant.substr(20, 3)));
  return failures;
}

TEST_F(PushAckTest, AnAcknowledgementByPullEndsThePushing) {
  receiver_.fail_next(-1);
  std::string id = send(0, hub_.signed_package(0, {1}));
  ASSERT_TRUE(logged(hub_, "push.failed", id));
  ASSERT_TRUE(logged(hub_, "push.failed", id)) << "the hub retries";
  ASSERT_EQ(hub_.agency_request(1, "POST", "/v1/packages/" + id + "/ack").status, 200);
  auto acked_at = std::chrono::system_clock::now();
  // After the ack the hub records no failure: these are the attempts it made before.
  auto before_ack = failures_of(hub_, id);
  ASSERT_TRUE(before_ack);
  ASSERT_GE(before_ack->count, 2u);
  // One more may have been under way at the ack, but only if claimed before it, when it was due.
  std::size_t under_way = acked_at >= before_ack->next_attempt ? 1 : 0;

  // Once the next attempt is due, a later package to the same endpoint: the one worker takes the
  // oldest due delivery first, so this package's arrival means the acknowledged one was not taken
  // again. (Only the clock can tell that the attempt became due.)
  std::this_thread::sleep_until(before_ack->next_attempt);
  std::string later = send(0, hub_.signed_package(0, {1}));
  ASSERT_TRUE(receiver_.wait_for_attempt_of(later, 30s));
  EXPECT_EQ(receiver_.attempts_of(id), before_ack->count + under_way)
      << "the hub pushed an acknowledged package again";
  auto trace = json::parse(hub_.agency_request(0, "GET", "/v1/packages/" + id + "/trace").body);
  EXPECT_EQ(std::string(trace.at("deliveries").at(0).at("state").as_string()), "acked");
}

TEST_F(PushTest, ARecallIsNeverPushedBeforeItsOriginal) {
  receiver_.fail_next(2);  // the original needs a retry; the recall must wait for it
  auto original = hub_.new_package(0, {1});
  std::string original_id = send(0, hub_.sign(0, original));
  auto inspected = testing::run_process(
      {HubProcess::truc_cli().string(), "edxml", "inspect", "--json", original.string()});
  std::string document_id(json::parse(inspected.out).at("document_id").as_string());
  std::string recall_id = send(0, hub_.sign(0, hub_.new_recall(0, {1}, document_id)));
  ASSERT_TRUE(receiver_.wait_for_deliveries(2, 60s));
  auto deliveries = receiver_.deliveries();
  EXPECT_EQ(deliveries.at(0).package_id, original_id);
  EXPECT_EQ(deliveries.at(1).package_id, recall_id);
}

TEST_F(PushTest, TrustsAPinnedCertificateAndNothingElse) {
  auto self_signed_ca = hub_.pki().create_ca("endpoint-own-ca");
  PushReceiver pinned(hub_.pki(), self_signed_ca, "agency3-endpoint");
  auto certificate = security::Certificate::from_pem(pinned.certificate().certificate_pem);
  ASSERT_TRUE(certificate);
  hub_.enable_push(2, pinned.url(), "", certificate->sha256_fingerprint());
  send(0, hub_.signed_package(0, {2}));
  ASSERT_TRUE(pinned.wait_for_deliveries(1, 30s));

  hub_.enable_push(2, pinned.url(), "", std::string(64, 'a'));
  std::string refused = send(0, hub_.signed_package(0, {2}));
  auto failure = logged(hub_, "push.failed", refused);
  ASSERT_TRUE(failure);
  EXPECT_THAT(*failure, HasSubstr("client.tls_failed"));
  EXPECT_THAT(events_of(hub_, 0, refused), ::testing::Contains("push_failed"));
  EXPECT_EQ(pinned.deliveries().size(), 1u)
      << "a certificate that is not the pinned one gets nothing";
}

TEST_F(PushTest, AnEndpointThatWantsAClientCertificateGetsNothingFromAHubWithout) {
  hub_.enable_push(1, receiver_.url(), hub_.ca().certificate_pem, "", true);
  std::string id = send(0, hub_.signed_package(0, {1}));
  ASSERT_TRUE(logged(hub_, "push.dead_lettered", id));
  auto letters = get(hub_, "/admin/v1/deadletters");
  ASSERT_EQ(letters.at("dead_letters").as_array().size(), 1u);
  EXPECT_EQ(letters.at("dead_letters").at(0).at("id").as_string(), id);
  EXPECT_THAT(std::string(letters.at("dead_letters").at(0).at("last_error").as_string()),
              HasSubstr("push.no_client_certificate"));
  EXPECT_EQ(receiver_.attempts(), 0u) << "the hub does not connect without the certificate";
}

// The hub presents its [push] client certificate (from a CA of the endpoint's choosing) to
// endpoints that ask for it, and only to those.
class PushClientCertificateTest : public ::testing::Test {
 protected:
  PushClientCertificateTest()
      : own_pki_(directory_.path()),
        hub_client_ca_(own_pki_.create_ca("hub-client-ca")),
        hub_client_(own_pki_.issue(hub_client_ca_, "hub-client",
                                   {.common_name = "truc.e2e push",
                                    .key_usage = "digitalSignature",
                                    .extended_key_usage = "clientAuth"})),
        hub_({.extra_config = kQuickRetries + "client_certificate = \"" +
                              hub_client_.certificate.string() + "\"\nclient_private_key = \"" +
                              hub_client_.key.string() + "\"\n"}),
        receiver_(hub_.pki(), hub_.ca(), "agency2-endpoint", hub_client_ca_) {
    hub_.start();
  }

  testing::TempDir directory_;
  testing::TestPki own_pki_;
  testing::Issued hub_client_ca_;
  testing::Issued hub_client_;
  HubProcess hub_;
  PushReceiver receiver_;
};

TEST_F(PushClientCertificateTest, PresentsItsCertificateWhereTheDirectorySaysSo) {
  hub_.enable_push(1, receiver_.url(), hub_.ca().certificate_pem, "", true);
  auto sent = hub_.agency_request(0, "POST", "/v1/packages", hub_.signed_package(0, {1}));
  ASSERT_EQ(sent.status, 201) << sent.body;
  ASSERT_TRUE(receiver_.wait_for_deliveries(1, 30s));
  EXPECT_THAT(receiver_.deliveries().front().client_subject, HasSubstr("truc.e2e push"));

  hub_.enable_push(1, receiver_.url(), hub_.ca().certificate_pem, "", false);
  sent = hub_.agency_request(0, "POST", "/v1/packages", hub_.signed_package(0, {1}));
  ASSERT_EQ(sent.status, 201) << sent.body;
  ASSERT_TRUE(receiver_.wait_for_attempts(2, 30s));
  EXPECT_EQ(receiver_.deliveries().size(), 1u)
      << "without the certificate the endpoint refuses the push";
}

}  // namespace
}  // namespace truc
