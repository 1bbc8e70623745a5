// Least privilege for the hub's database roles (docs/security.md, "Database roles"): `trucd
// migrate` runs as the schema's owner and grants the service role trucd connects as what trucd
// does at runtime, and nothing that changes a table or deletes evidence.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "truc/store/migrate.hpp"
#include "truc/store/repository.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::store {
namespace {

using namespace std::chrono_literals;

// A database owned by a migration owner of its own, and a service role beside it. Roles belong to
// the whole cluster, which the other tests of this binary share: their names are unique, and
// they are dropped with the database at the end.
class ServiceRole : public ::testing::Test {
 protected:
  ServiceRole() {
    static int next_fixture = 0;
    std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(next_fixture++);
    owner_ = "migration_owner_" + suffix;
    service_ = "service_" + suffix;
    cluster().run_sql("CREATE ROLE " + owner_ + " LOGIN; CREATE ROLE " + service_ + " LOGIN");
    conninfo_ = cluster().create_database(owner_);
    database_ = conninfo_.substr(conninfo_.find("dbname=") + 7);
  }

  ~ServiceRole() override {
    // One statement at a time: DROP DATABASE refuses to run in a script's implicit transaction.
    try {
      cluster().run_sql("DROP DATABASE " + database_ + " WITH (FORCE)");
      cluster().run_sql("DROP ROLE " + owner_);
      cluster().run_sql("DROP ROLE " + service_);
    } catch (const std::exception& error) {
      ADD_FAILURE() << error.what();
    }
  }

  static testing::PostgresCluster& cluster() { return testing::shared_postgres(); }

  // As the cluster's superuser in the test's database, whose public schema is its own.
  void in_test_database(const std::string& sql) const {
    auto connection = Connection::open(conninfo_);
    ASSERT_TRUE(connection) << connection.error().to_string();
    Status done = (*connection)->execute_script(sql);
    ASSERT_TRUE(done) << done.error().to_string();
  }

  // A later `user=` overrides the cluster's superuser in the conninfo.
  std::unique_ptr<Connection> connect_as(const std::string& role) {
    auto connection = Connection::open(conninfo_ + " user=" + role);
    EXPECT_TRUE(connection) << connection.error().to_string();
    return connection ? std::move(*connection) : nullptr;
  }

  std::string owner_;
  std::string service_;
  std::string conninfo_;
  std::string database_;
};

std::string refusal(Result<Rows> result) { return result ? "allowed" : result.error().code; }

PackageRecord package_to(const std::string& id, const std::string& sender) {
  return PackageRecord{.id = id,
                       .sender_code = sender,
                       .document_id = "doc-" + id,
                       .sha256 = std::string(64, 'a'),
                       .size = 10,
                       .face = "native",
                       .signature = "verified"};
}

TEST_F(ServiceRole, DoesWhatTheHubDoesAtRuntime) {
  auto owner = connect_as(owner_);
  ASSERT_TRUE(owner);
  auto migrated = migrate(*owner, hub_schema(), service_);
  ASSERT_TRUE(migrated) << migrated.error().to_string();
  auto service = connect_as(service_);
  ASSERT_TRUE(service);
  ASSERT_TRUE(check_schema(*service, hub_schema()));
  Repository repository(*service);

  // The directory: written and deleted from by the admin API.
  Agency sender{.code = "000.00.01.H01", .name = "Sở Gửi"};
  Agency recipient{.code = "000.00.02.H01", .name = "Sở Nhận"};
  ASSERT_TRUE(repository.insert_agency(sender));
  ASSERT_TRUE(repository.insert_agency(recipient));
  recipient.name = "Sở Nhận (đổi tên)";
  ASSERT_TRUE(repository.update_agency(recipient));
  AgencyCertificate certificate{.fingerprint = std::string(64, 'c'),
                                .agency_code = sender.code,
                                .subject = "CN=sender",
                                .not_after = std::chrono::floor<std::chrono::seconds>(
                                    std::chrono::system_clock::now() + 24h)};
  ASSERT_TRUE(repository.add_certificate(certificate));
  ASSERT_TRUE(repository.remove_certificate(sender.code, certificate.fingerprint));
  ASSERT_TRUE(repository.insert_agency({.code = "000.00.03.H01", .name = "Sở Tạm"}));
  ASSERT_TRUE(repository.delete_agency("000.00.03.H01"));

  // A package, its delivery and events, and its evidence entry in the same transaction.
  {
    auto transaction = Transaction::begin(*service);
    ASSERT_TRUE(transaction);
    PackageRecord record = package_to("00000000000000000000000a", sender.code);
    Status accepted =
        repository.insert_accepted_package(record,
                                           {DeliveryRecord{.package_id = record.id,
                                                           .recipient_code = recipient.code,
                                                           .target_code = recipient.code}},
                                           AcceptanceEvents{.received_actor = sender.code,
                                                            .routed_actor = "truc.test",
                                                            .routed_details = {"local"}});
    ASSERT_TRUE(accepted) << accepted.error().to_string();
    auto entry = repository.append_evidence("package.accepted", record.id, sender.code, "");
    ASSERT_TRUE(entry) << entry.error().to_string();
    ASSERT_TRUE(transaction->commit());
  }
  ASSERT_TRUE(repository.add_rejection({.credential = "cert", .code = "x", .message = "y"}));

  // Sealing and stamping the evidence log.
  {
    auto transaction = Transaction::begin(*service);
    ASSERT_TRUE(transaction);
    auto unsealed = repository.lock_unsealed_evidence();
    ASSERT_TRUE(unsealed && *unsealed) << (unsealed ? "nothing to seal" : unsealed.error().detail);
    EvidenceBatch batch{.first_seq = (*unsealed)->first_seq,
                        .last_seq = (*unsealed)->last_seq,
                        .last_entry_hash = (*unsealed)->last_entry_hash,
                        .seal_signature = "c2lnbg==",
                        .seal_certificate = "PEM"};
    Status sealed = repository.insert_evidence_batch(batch);
    ASSERT_TRUE(sealed) << sealed.error().to_string();
    ASSERT_TRUE(transaction->commit());
    ASSERT_TRUE(repository.record_evidence_stamp_failure(batch.id, "tsa down"));
    ASSERT_TRUE(repository.record_evidence_stamp(batch.id, "dG9rZW4="));
  }

  // Single-use credentials and the national platform's systems.
  Instant now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  ASSERT_TRUE(repository.use_once("compat", "nonce", now - 1s));
  auto forgotten = repository.forget_used_before(now);
  ASSERT_TRUE(forgotten) << forgotten.error().to_string();
  EXPECT_EQ(*forgotten, 1u);
  ASSERT_TRUE(repository.upsert_system("system-1", "sealed"));
  ASSERT_TRUE(repository.delete_system("system-1"));
}

TEST_F(ServiceRole, CannotChangeATableNorDeleteEvidence) {
  auto owner = connect_as(owner_);
  ASSERT_TRUE(owner);
  ASSERT_TRUE(migrate(*owner, hub_schema(), service_));
  auto service = connect_as(service_);
  ASSERT_TRUE(service);

  EXPECT_EQ(refusal(service->execute(
                "INSERT INTO packages (id, kind, sender_code, document_id, sha256, size, face, "
                "signature) VALUES ('p1', 'edoc', 'a', 'd', 's', 1, 'native', 'verified')")),
            "allowed");
  auto packages = service->execute("SELECT count(*) FROM packages");
  ASSERT_TRUE(packages);
  EXPECT_EQ(packages->integer(0, 0), 1);

  EXPECT_EQ(refusal(service->execute("DROP TABLE packages")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("ALTER TABLE packages ADD COLUMN extra text")),
            "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("CREATE TABLE shadow (id int)")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("CREATE SCHEMA shadow")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("TRUNCATE packages")), "store.permission_denied");
  // A permission error, raised before the append-only trigger would refuse it (check_violation):
  // it still holds if someone drops the trigger.
  EXPECT_EQ(refusal(service->execute("DELETE FROM evidence_entries")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("DELETE FROM evidence_batches")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("DELETE FROM evidence_chain_head")),
            "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("TRUNCATE evidence_entries")), "store.permission_denied");
  EXPECT_EQ(
      refusal(service->execute("DROP TRIGGER evidence_entries_append_only ON evidence_entries")),
      "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("UPDATE schema_migrations SET name = 'forged'")),
            "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("DELETE FROM schema_migrations")), "store.permission_denied");
}

TEST_F(ServiceRole, EveryMigrateGrantsAfreshAndTakesBackWhatWasGrantedBeyond) {
  auto owner = connect_as(owner_);
  ASSERT_TRUE(owner);
  ASSERT_TRUE(migrate(*owner, hub_schema(), service_));
  ASSERT_TRUE(owner->execute_script("GRANT DELETE, TRUNCATE ON evidence_entries TO " + service_));
  auto again = migrate(*owner, hub_schema(), service_);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->applied, again->known);

  auto service = connect_as(service_);
  ASSERT_TRUE(service);
  EXPECT_EQ(refusal(service->execute("DELETE FROM evidence_entries")), "store.permission_denied");
  EXPECT_EQ(refusal(service->execute("SELECT count(*) FROM evidence_entries")), "allowed");
}

TEST_F(ServiceRole, RefusesARoleThatIsMissingOrCouldDoMoreAndKeepsTheOwnersRights) {
  auto owner = connect_as(owner_);
  ASSERT_TRUE(owner);
  auto missing = migrate(*owner, hub_schema(), std::string("no_such_role"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "store.service_role_unknown");

  auto itself = migrate(*owner, hub_schema(), owner_);
  ASSERT_FALSE(itself);
  EXPECT_EQ(itself.error().code, "store.service_role_too_powerful");
  EXPECT_NE(itself.error().detail.find("migration owner"), std::string::npos)
      << itself.error().detail;
  // The refused grant was rolled back: the owner still reads and changes its tables.
  EXPECT_EQ(refusal(owner->execute("SELECT count(*) FROM packages")), "allowed");

  cluster().run_sql("GRANT " + owner_ + " TO " + service_);
  auto member = migrate(*owner, hub_schema(), service_);
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, "store.service_role_too_powerful");
  cluster().run_sql("REVOKE " + owner_ + " FROM " + service_);

  // PostgreSQL before 15 let PUBLIC create in the public schema.
  in_test_database("GRANT CREATE ON SCHEMA public TO PUBLIC");
  auto creator = migrate(*owner, hub_schema(), service_);
  ASSERT_FALSE(creator);
  EXPECT_EQ(creator.error().code, "store.service_role_too_powerful");
  EXPECT_NE(creator.error().detail.find("may CREATE in schema public"), std::string::npos)
      << creator.error().detail;
}

}  // namespace
}  // namespace truc::store
