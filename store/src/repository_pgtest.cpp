#include <gtest/gtest.h>

#include "truc/store/repository.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::store {
namespace {

TEST(Repository, RefusesAPushEndpointWithNothingToTrustAsAnInvalidAgency) {
  auto connection = Connection::open(testing::shared_postgres().create_migrated_database());
  ASSERT_TRUE(connection) << connection.error().to_string();
  Repository repository(**connection);
  ASSERT_TRUE(repository.insert_agency({.code = "000.00.01.H01", .name = "Sở Thử nghiệm"}));

  auto refused = repository.set_push_endpoint("000.00.01.H01",
                                              PushEndpoint{.url = "https://localhost/inbound"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "agency.invalid");
  EXPECT_EQ(refused.error().detail, "push: needs ca_pem or pinned_sha256");

  EXPECT_TRUE(repository.set_push_endpoint(
      "000.00.01.H01",
      PushEndpoint{.url = "https://localhost/inbound", .pinned_sha256 = std::string(64, 'a')}));
  auto stored = repository.agency("000.00.01.H01");
  ASSERT_TRUE(stored && *stored);
  ASSERT_TRUE((*stored)->push);
  EXPECT_EQ((*stored)->push->pinned_sha256, std::string(64, 'a'));
}

TEST(Repository, KeepsAnAgencysSignerBindingAndRefusesAFingerprintThatIsNotOne) {
  auto connection = Connection::open(testing::shared_postgres().create_migrated_database());
  ASSERT_TRUE(connection) << connection.error().to_string();
  Repository repository(**connection);
  Agency agency{.code = "000.00.01.H01", .name = "Sở Thử nghiệm"};
  ASSERT_TRUE(repository.insert_agency(agency));
  auto fresh = repository.agency(agency.code);
  ASSERT_TRUE(fresh && *fresh);
  EXPECT_TRUE((*fresh)->signer_cas.empty());
  EXPECT_TRUE((*fresh)->signer_certificates.empty());
  EXPECT_FALSE((*fresh)->allow_sha1);

  agency.signer_cas = {std::string(64, 'a'), std::string(64, 'b')};
  agency.signer_certificates = {std::string(64, 'c')};
  agency.allow_sha1 = true;
  ASSERT_TRUE(repository.update_agency(agency));
  auto bound = repository.agency(agency.code);
  ASSERT_TRUE(bound && *bound);
  EXPECT_EQ((*bound)->signer_cas, agency.signer_cas);
  EXPECT_EQ((*bound)->signer_certificates, agency.signer_certificates);
  EXPECT_TRUE((*bound)->allow_sha1);

  agency.signer_cas = {"AA:BB"};
  auto refused = repository.update_agency(agency);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "store.check_violation");
}

}  // namespace
}  // namespace truc::store
