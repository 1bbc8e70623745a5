// The office's hub link against a real trucd: the office serves hub agency 1 with that agency's
// certificate, pulls what agency 0 sent it, acknowledges what it stored, and sends the statuses
// it owes back through the hub, retrying while the hub is away.
//
// HubLink runs in this process (its rounds called directly, and once on its own threads), so the
// test decides when a round happens instead of sleeping for a poll interval; the hub is the real
// daemon, reached only through its /v1 agency API as any agency system would.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "truc/common/byte_stream.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/office/hub_link.hpp"
#include "truc/office/inbox.hpp"
#include "truc/office/incoming.hpp"
#include "truc/office/schema.hpp"
#include "truc/security/trust_store.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"
#include "truc/store/migrate.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/postgres.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::HubProcess;
namespace json = boost::json;

json::array inbox_items(HubProcess& hub, std::size_t agency, const std::string& kind) {
  auto answer = hub.agency_request(agency, "GET", "/v1/inbox?kind=" + kind);
  EXPECT_EQ(answer.status, 200) << answer.body;
  if (answer.status != 200) return {};
  return json::parse(answer.body).at("items").as_array();
}

std::string text(const json::value& value, std::string_view key) {
  const auto* found = value.as_object().if_contains(key);
  return found != nullptr && found->is_string() ? std::string(found->get_string()) : "";
}

class OfficeHubLink : public ::testing::Test {
 protected:
  OfficeHubLink()
      : database_conninfo_(testing::shared_postgres().create_database()),
        database_(database_conninfo_, 4, 5s) {
    hub_.start();
    auto connection = store::Connection::open(database_conninfo_);
    EXPECT_TRUE(connection);
    auto migrated = store::migrate(**connection, office::office_schema());
    EXPECT_TRUE(migrated) << migrated.error().to_string();
    const auto& served = hub_.agency(1);
    auto agency = execute(
        "INSERT INTO agencies (code, name, hub_certificate_file, hub_private_key_file) "
        "VALUES ($1, $2, $3, $4) RETURNING id",
        {served.code, served.name, served.certificate.certificate.string(),
         served.certificate.key.string()});
    agency_id_ = agency.text(0, 0);
    blobs_.emplace(store::BlobStore::open(directory_.path() / "blobs").value());
    trust_.emplace(security::TrustStore::load({.ca_files = {hub_.ca().certificate}}).value());
    inbox_.emplace(database_, *blobs_, parser_, *trust_, false);
  }

  store::Rows execute(const std::string& sql,
                      const std::vector<store::Parameter>& parameters = {}) {
    auto lease = database_.acquire();
    EXPECT_TRUE(lease);
    auto rows = (*lease)->execute(sql, parameters);
    EXPECT_TRUE(rows) << rows.error().to_string() << " in " << sql;
    return rows ? *rows : store::Rows();
  }

  office::HubLinkSettings settings(std::string url = "") const {
    office::HubLinkSettings link;
    link.hub_url = url.empty() ? hub_.agency_url() : std::move(url);
    link.hub_ca = {hub_.ca().certificate};
    link.poll_interval = 1s;
    link.timeout = 10s;
    link.first_retry = 30s;
    link.max_retry = 120s;
    return link;
  }

  std::unique_ptr<office::HubLink> link(std::string url = "") {
    auto created =
        office::HubLink::create(settings(std::move(url)), database_, *blobs_, parser_, *inbox_);
    EXPECT_TRUE(created) << created.error().to_string();
    return std::move(created).value();
  }

  // Agency 0 sends a signed package to agency 1 through the hub; returns its hub id.
  std::string send_to_served_agency() {
    package_file_ = hub_.signed_package(0, {1});
    auto sent = hub_.agency_request(0, "POST", "/v1/packages", package_file_);
    EXPECT_EQ(sent.status, 201) << sent.body;
    return sent.status == 201 ? text(json::parse(sent.body), "id") : "";
  }

  // The incoming document the Inbox recorded for the package pulled, without the status 01 it
  // owes, so that each test owes exactly the statuses it checks.
  std::string register_incoming(const std::string& hub_id) {
    auto existing = execute(
        "SELECT d.id FROM incoming_documents d JOIN received_packages p ON p.id = d.package_id "
        "WHERE p.agency_id = $1 AND p.hub_package_id = $2",
        {agency_id_, hub_id});
    EXPECT_EQ(existing.size(), 1u);
    if (existing.empty()) return "";
    execute("DELETE FROM outgoing_statuses WHERE incoming_id = $1", {existing.text(0, 0)});
    return existing.text(0, 0);
  }

  std::string owe_status(const std::string& incoming_id, const std::string& code) {
    return execute(
               "INSERT INTO outgoing_statuses (agency_id, incoming_id, status_code, description, "
               "staff_name, staff_department) VALUES ($1, $2, $3, 'Đã tiếp nhận', 'Nguyễn Văn A', "
               "'Văn phòng') RETURNING id",
               {agency_id_, incoming_id, code})
        .text(0, 0);
  }

  HubProcess hub_;
  testing::TempDir directory_;
  std::string database_conninfo_;
  store::Pool database_;
  std::string agency_id_;
  edxml::Parser parser_;
  std::optional<store::BlobStore> blobs_;
  std::optional<security::TrustStore> trust_;
  std::optional<office::Inbox> inbox_;
  std::filesystem::path package_file_;
};

TEST_F(OfficeHubLink, PullStoresThePackageOnceAndAcknowledgesItOnTheHub) {
  std::string hub_id = send_to_served_agency();
  ASSERT_EQ(inbox_items(hub_, 1, "edoc").size(), 1u);
  auto office = link();

  auto first = office->reconcile();
  EXPECT_EQ(first.stored, 1u);
  EXPECT_EQ(first.acked, 1u);
  EXPECT_EQ(first.failures, 0u);
  auto stored = execute(
      "SELECT kind, sender_code, arrived_by, acked_at IS NOT NULL, blob_sha256 "
      "FROM received_packages WHERE agency_id = $1 AND hub_package_id = $2",
      {agency_id_, hub_id});
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.text(0, 0), "edoc");
  EXPECT_EQ(stored.text(0, 1), hub_.agency(0).code);
  EXPECT_EQ(stored.text(0, 2), "pull");
  EXPECT_TRUE(stored.boolean(0, 3));
  EXPECT_TRUE(blobs_->contains(stored.text(0, 4)));
  EXPECT_TRUE(inbox_items(hub_, 1, "edoc").empty());

  auto second = office->reconcile();
  EXPECT_EQ(second.stored, 0u);
  EXPECT_EQ(second.already, 0u);
  EXPECT_EQ(second.failures, 0u);
  EXPECT_EQ(execute("SELECT count(*) FROM received_packages").integer(0, 0), 1);
  EXPECT_EQ(office->stats().packages_pulled, 1u);
}

TEST_F(OfficeHubLink, AStatusOwedReachesTheSenderSignedByTheServedAgency) {
  std::string hub_id = send_to_served_agency();
  auto office = link();
  ASSERT_EQ(office->reconcile().stored, 1u);
  std::string status_id = owe_status(register_incoming(hub_id), "03");

  auto report = office->send_due_statuses();
  EXPECT_EQ(report.sent, 1u);
  EXPECT_EQ(report.retried + report.failed, 0u);
  auto row = execute(
      "SELECT state, hub_package_id, blob_sha256, sent_at IS NOT NULL, attempts, last_error "
      "FROM outgoing_statuses WHERE id = $1",
      {status_id});
  EXPECT_EQ(row.text(0, 0), "sent") << row.text(0, 5);
  EXPECT_FALSE(row.text(0, 1).empty());
  EXPECT_TRUE(blobs_->contains(row.text(0, 2)));
  EXPECT_TRUE(row.boolean(0, 3));

  auto statuses = inbox_items(hub_, 0, "status");
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(text(statuses[0], "id"), row.text(0, 1));
  EXPECT_EQ(text(statuses[0], "sender"), hub_.agency(1).code);
  EXPECT_EQ(text(statuses[0], "status_code"), "03");
  EXPECT_EQ(text(statuses[0], "signature"), "verified");
  EXPECT_EQ(text(statuses[0], "sha256"), row.text(0, 2));  // the bytes kept are the bytes sent
  // The sender's trace shows the recipient's answer.
  auto trace = hub_.agency_request(0, "GET", "/v1/packages/" + hub_id + "/trace");
  EXPECT_NE(trace.body.find("\"reported_status\":\"03\""), std::string::npos) << trace.body;

  EXPECT_EQ(office->send_due_statuses().sent, 0u);  // nothing else due

  // A retry (the answer was lost, say) sends the bytes kept: the hub knows them and repeats its
  // receipt instead of recording the status twice.
  execute("UPDATE outgoing_statuses SET state = 'pending', sent_at = NULL WHERE id = $1",
          {status_id});
  EXPECT_EQ(office->send_due_statuses().sent, 1u);
  auto again =
      execute("SELECT state, hub_package_id FROM outgoing_statuses WHERE id = $1", {status_id});
  EXPECT_EQ(again.text(0, 0), "sent");
  EXPECT_EQ(again.text(0, 1), row.text(0, 1));
  EXPECT_EQ(inbox_items(hub_, 0, "status").size(), 1u);
}

TEST_F(OfficeHubLink, PullAlsoCollectsTheStatusesAddressedToTheServedAgency) {
  auto document = hub_.signed_package(1, {0});
  auto sent = hub_.agency_request(1, "POST", "/v1/packages", document);
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto status =
      hub_.agency_request(0, "POST", "/v1/packages", hub_.signed_status(0, document, "03"));
  ASSERT_EQ(status.status, 201) << status.body;
  std::string status_id = text(json::parse(status.body), "id");
  auto office = link();

  auto report = office->reconcile();
  EXPECT_EQ(report.stored, 1u);
  EXPECT_EQ(report.failures, 0u);
  auto stored =
      execute("SELECT kind, acked_at IS NOT NULL FROM received_packages WHERE hub_package_id = $1",
              {status_id});
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.text(0, 0), "status");
  EXPECT_TRUE(stored.boolean(0, 1));
  EXPECT_TRUE(inbox_items(hub_, 1, "status").empty());
}

TEST_F(OfficeHubLink, ARecallIsShownOnTheOriginalAndAcceptingItAnswers15ToTheSender) {
  std::string original_hub_id = send_to_served_agency();
  auto office = link();
  ASSERT_EQ(office->reconcile().stored, 1u);
  auto original = execute("SELECT id, document_id FROM incoming_documents");
  ASSERT_EQ(original.size(), 1u);
  auto recall = hub_.sign(0, hub_.new_recall(0, {1}, original.text(0, 1)));
  auto sent = hub_.agency_request(0, "POST", "/v1/packages", recall);
  ASSERT_EQ(sent.status, 201) << sent.body;

  // The hub releases a recall once its original is acknowledged, which the first round did.
  ASSERT_EQ(office->reconcile().stored, 1u);
  EXPECT_EQ(execute("SELECT count(*) FROM incoming_documents").integer(0, 0), 1);
  EXPECT_EQ(execute("SELECT recall_state FROM incoming_documents").text(0, 0), "requested");

  office::IncomingDocuments incoming(database_, nullptr);
  auto accepted = incoming.accept_recall(std::stoll(agency_id_), original.integer(0, 0),
                                         office::Actor{std::nullopt, "192.0.2.1"});
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_EQ(office->send_due_statuses().sent, 2u);  // 01 on arrival, then 15

  std::vector<std::string> codes;
  for (const auto& status : inbox_items(hub_, 0, "status")) {
    codes.push_back(text(status, "status_code"));
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"01", "15"}));
  auto trace = hub_.agency_request(0, "GET", "/v1/packages/" + original_hub_id + "/trace");
  EXPECT_NE(trace.body.find("\"recall_agreed\""), std::string::npos) << trace.body;
}

TEST_F(OfficeHubLink, WhileTheHubIsAwayAStatusStaysPendingWithItsAttemptsCounted) {
  std::string hub_id = send_to_served_agency();
  auto office = link();
  ASSERT_EQ(office->reconcile().stored, 1u);
  std::string status_id = owe_status(register_incoming(hub_id), "03");
  hub_.kill();

  auto report = office->send_due_statuses();
  EXPECT_EQ(report.sent, 0u);
  EXPECT_EQ(report.retried, 1u);
  auto row = execute(
      "SELECT state, attempts, last_error, next_attempt_at > now() + interval '20 seconds', "
      "blob_sha256 IS NOT NULL FROM outgoing_statuses WHERE id = $1",
      {status_id});
  EXPECT_EQ(row.text(0, 0), "pending");
  EXPECT_EQ(row.integer(0, 1), 1);
  EXPECT_EQ(row.text(0, 2).rfind("client.connect_failed", 0), 0u) << row.text(0, 2);
  EXPECT_TRUE(row.boolean(0, 3));  // first_retry is 30 s
  EXPECT_TRUE(row.boolean(0, 4));  // signed and kept before the first attempt
  // Not due again yet.
  EXPECT_EQ(office->send_due_statuses().retried, 0u);

  // Due again: the second failure waits twice as long.
  execute("UPDATE outgoing_statuses SET next_attempt_at = now() WHERE id = $1", {status_id});
  EXPECT_EQ(office->send_due_statuses().retried, 1u);
  auto again = execute(
      "SELECT attempts, next_attempt_at > now() + interval '50 seconds' FROM outgoing_statuses "
      "WHERE id = $1",
      {status_id});
  EXPECT_EQ(again.integer(0, 0), 2);
  EXPECT_TRUE(again.boolean(0, 1));
  EXPECT_EQ(office->stats().status_retries, 2u);
}

TEST_F(OfficeHubLink, AStatusTheHubRefusesIsFailedNotRetried) {
  std::string hub_id = send_to_served_agency();
  auto office = link();
  ASSERT_EQ(office->reconcile().stored, 1u);
  std::string incoming_id = register_incoming(hub_id);
  // About a document the sender never sent: the hub refuses the packet itself (4xx).
  execute("UPDATE incoming_documents SET document_id = 'no-such-document' WHERE id = $1",
          {incoming_id});
  std::string status_id = owe_status(incoming_id, "03");

  auto report = office->send_due_statuses();
  EXPECT_EQ(report.failed, 1u);
  auto row = execute("SELECT state, attempts, last_error FROM outgoing_statuses WHERE id = $1",
                     {status_id});
  EXPECT_EQ(row.text(0, 0), "failed");
  EXPECT_EQ(row.integer(0, 1), 1);
  EXPECT_FALSE(row.text(0, 2).empty());
}

TEST_F(OfficeHubLink, OnItsOwnThreadsTheLinkPullsAndSendsUntilStopped) {
  std::string hub_id = send_to_served_agency();
  auto office = link();
  office->start();
  auto wait_for = [&](const std::string& sql, const std::vector<store::Parameter>& parameters) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (execute(sql, parameters).integer(0, 0) > 0) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  EXPECT_TRUE(wait_for(
      "SELECT count(*) FROM received_packages WHERE hub_package_id = $1 AND acked_at IS NOT NULL",
      {hub_id}));
  std::string status_id = owe_status(register_incoming(hub_id), "01");
  office->wake_status_sender();
  EXPECT_TRUE(wait_for("SELECT count(*) FROM outgoing_statuses WHERE id = $1 AND state = 'sent'",
                       {status_id}));
  auto stopping = std::chrono::steady_clock::now();
  office->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 5s);
  EXPECT_FALSE(inbox_items(hub_, 0, "status").empty());
}

TEST_F(OfficeHubLink, RefusesAPlainHttpHub) {
  auto created =
      office::HubLink::create(settings("http://localhost:1"), database_, *blobs_, parser_, *inbox_);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, "hub_link.invalid_url");
}

}  // namespace
}  // namespace truc
