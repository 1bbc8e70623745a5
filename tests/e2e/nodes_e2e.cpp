// Several trucd nodes as one hub (docs/design.md, "Several nodes"): two processes on one
// database and one blob store. Either accepts and either serves the inbox; each push is made by
// one node only; a node killed in the middle of a push leaves it to the other within a claim's
// lease, and a node that restarts frees the claims its previous run held.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <thread>

#include "push_receiver.hpp"
#include "truc/testing/hub.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::HubNode;
using testing::HubProcess;
using testing::PushReceiver;
namespace json = boost::json;

constexpr auto kClaimLease = 3s;

// Quick polls, short claims (renewed every second), and a push timeout far beyond the time a
// test holds a push: only the death of its node ends a held push.
std::string push_config(std::chrono::seconds claim_lease) {
  return "[push]\nworkers = 2\nmax_attempts = 5\nfirst_retry_seconds = 1\nmax_retry_seconds = 2\n"
         "timeout_seconds = 120\npoll_interval_seconds = 1\nclaim_lease_seconds = " +
         std::to_string(claim_lease.count()) + "\n";
}

// A failed-over delivery waits at most a lease (the dead node's last renewal plus kClaimLease),
// then a poll of the other node (1 s), then its push; the rest is slack for a sanitized build
// on a loaded machine. The lease of a node killed before this change was ten push timeouts.
constexpr auto kFailoverBound = 15s;

std::string id_of(const testing::HttpResult& result) {
  return std::string(json::parse(result.body).at("id").as_string());
}

// Reads what the process wrote so far (so that its stderr pipe never fills), then counts the
// lines of `event`.
std::size_t logged_count(testing::ChildProcess& process, const std::string& event) {
  while (process.next_line(200ms)) {
  }
  const std::string& text = process.stderr_text();
  std::string needle = "\"event\":\"" + event + "\"";
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

class NodesTest : public ::testing::Test {
 protected:
  explicit NodesTest(std::chrono::seconds claim_lease = kClaimLease)
      : hub_({.extra_config = push_config(claim_lease), .node_id = "node-1"}),
        receiver_(hub_.pki(), hub_.ca(), "agency2-endpoint") {
    hub_.start();
    hub_.enable_push(1, receiver_.url(), hub_.ca().certificate_pem);
  }

  // Sends a package from agency 0 to agency `to` through the node on `agency_port`.
  std::string send(std::uint16_t agency_port, std::size_t to) {
    auto result = hub_.agency_request_at(agency_port, 0, "POST", "/v1/packages",
                                         hub_.signed_package(0, {to}));
    EXPECT_EQ(result.status, 201) << result.body;
    return result.status == 201 ? id_of(result) : "";
  }

  HubProcess hub_;
  PushReceiver receiver_;
};

TEST_F(NodesTest, EachPackageIsPushedOnceWhicheverNodeAcceptedIt) {
  HubNode second = hub_.start_another_node("node-2");
  constexpr std::size_t kPackages = 16;
  std::vector<std::string> ids;
  for (std::size_t index = 0; index < kPackages; ++index) {
    ids.push_back(send(index % 2 == 0 ? hub_.agency_port() : second.agency_port, 1));
  }
  ASSERT_TRUE(receiver_.wait_for_deliveries(kPackages, 60s))
      << receiver_.deliveries().size() << " of " << kPackages << " delivered";
  // Room for a second push of any of them, which must not come.
  std::this_thread::sleep_for(kClaimLease + 2s);
  std::map<std::string, int> pushed;
  for (const auto& delivery : receiver_.deliveries()) ++pushed[delivery.package_id];
  EXPECT_EQ(receiver_.deliveries().size(), kPackages);
  for (const auto& id : ids) {
    EXPECT_EQ(pushed[id], 1) << id;
    EXPECT_EQ(receiver_.attempts_of(id), 1u) << id << " was sent more than once";
  }
  // Both nodes' workers took part (each is woken by what it accepts).
  EXPECT_GT(logged_count(hub_.process(), "push.delivered"), 0u);
  EXPECT_GT(logged_count(*second.process, "push.delivered"), 0u);
  EXPECT_EQ(logged_count(hub_.process(), "push.delivered") +
                logged_count(*second.process, "push.delivered"),
            kPackages);
}

TEST_F(NodesTest, ANodeKilledMidPushLeavesTheDeliveryToTheOtherWithinALease) {
  receiver_.hold_next();
  std::string id = send(hub_.agency_port(), 1);
  ASSERT_TRUE(receiver_.wait_for_attempt_of(id, 30s));
  // Node 1 is pushing it (node 2 is not running yet). While the push goes on, node 1 renews its
  // claim: node 2 does not take the delivery, however many leases pass.
  HubNode second = hub_.start_another_node("node-2");
  std::this_thread::sleep_for(kClaimLease * 2 + 1s);
  EXPECT_EQ(receiver_.attempts_of(id), 1u) << "node 2 pushed a delivery node 1 was pushing";
  EXPECT_TRUE(receiver_.deliveries().empty());

  hub_.kill();
  auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(receiver_.wait_for_deliveries(1, 60s));
  auto failover = std::chrono::steady_clock::now() - killed;
  EXPECT_LT(failover, kFailoverBound)
      << std::chrono::duration_cast<std::chrono::milliseconds>(failover).count() << " ms";
  EXPECT_EQ(receiver_.deliveries().front().package_id, id);
  EXPECT_EQ(logged_count(*second.process, "push.delivered"), 1u);
}

TEST_F(NodesTest, AnyNodeServesTheInboxOfWhatAnotherAccepted) {
  HubNode second = hub_.start_another_node("node-2");
  auto package = hub_.signed_package(0, {2});
  auto accepted = hub_.agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  std::string id = id_of(accepted);

  auto inbox = hub_.agency_request_at(second.agency_port, 2, "GET", "/v1/inbox");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_NE(inbox.body.find(id), std::string::npos) << inbox.body;
  auto fetched = hub_.agency_request_at(second.agency_port, 2, "GET", "/v1/packages/" + id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_TRUE(fetched.body == testing::read_file(package)) << "the bytes node 1 stored";
  EXPECT_EQ(
      hub_.agency_request_at(second.agency_port, 2, "POST", "/v1/packages/" + id + "/ack").status,
      200);
  auto after = hub_.agency_request(2, "GET", "/v1/inbox");
  EXPECT_EQ(after.body.find(id), std::string::npos) << "node 1 sees node 2's ack: " << after.body;
}

// A lease far longer than the test waits: only the restarted node's release frees the claim.
class LongLeaseNodesTest : public NodesTest {
 protected:
  LongLeaseNodesTest() : NodesTest(kLongLease) {}
  static constexpr auto kLongLease = 300s;
};

TEST_F(LongLeaseNodesTest, ARestartedNodeFreesTheClaimsItsPreviousRunHeld) {
  receiver_.hold_next();
  std::string id = send(hub_.agency_port(), 1);
  ASSERT_TRUE(receiver_.wait_for_attempt_of(id, 30s));
  hub_.kill();
  auto killed = std::chrono::steady_clock::now();
  hub_.start();
  ASSERT_TRUE(receiver_.wait_for_deliveries(1, 60s));
  EXPECT_LT(std::chrono::steady_clock::now() - killed, kLongLease / 10)
      << "the delivery waited for its old claim to expire";
  EXPECT_EQ(receiver_.deliveries().front().package_id, id);
  EXPECT_EQ(logged_count(hub_.process(), "push.claims_released"), 1u);
}

}  // namespace
}  // namespace truc
