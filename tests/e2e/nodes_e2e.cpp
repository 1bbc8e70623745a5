// Several trucd nodes as one hub (docs/design.md, "Several nodes"): two processes on one
// database and one blob store. Either accepts and either serves the inbox; each push is made by
// one node only; a node killed in the middle of a push leaves it to the other within a claim's
// lease, and a node that restarts frees the claims its previous run held. Behind HAProxy (the
// configuration of docs/operations.md, "Several nodes"), a node killed while agencies send costs
// none of the packages the hub accepted.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "push_receiver.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/ocsp_responder.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
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

const std::filesystem::path kHaproxy = "/usr/sbin/haproxy";

struct Backend {
  std::string name;
  std::uint16_t agency_port = 0;
  std::uint16_t monitor_port = 0;
};

// The configuration of docs/operations.md ("Several nodes") on loopback: TCP mode, so that TLS
// and the agencies' client certificates go through to trucd; a node is taken out after two failed
// GET /ready on its monitor listener half a second apart, and a connection a dead node refuses is
// tried on another.
std::string haproxy_config(std::uint16_t frontend_port, const std::vector<Backend>& backends) {
  std::string config =
      "global\n  maxconn 256\n\n"
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n"
      "  retries 3\n  option redispatch 1\n\n"
      "frontend agencies\n  bind 127.0.0.1:" +
      std::to_string(frontend_port) +
      "\n  default_backend trucd\n\n"
      "backend trucd\n  balance roundrobin\n  option httpchk\n"
      "  http-check send meth GET uri /ready ver HTTP/1.1 hdr Host localhost\n"
      "  http-check expect status 200\n  default-server inter 500ms fall 2 rise 1\n";
  for (const auto& backend : backends) {
    config += "  server " + backend.name + " 127.0.0.1:" + std::to_string(backend.agency_port) +
              " check port " + std::to_string(backend.monitor_port) + "\n";
  }
  return config;
}

// The agency requests a node logged (its monitor listener's health checks are not counted).
std::size_t agency_requests_logged(ChildProcess& process) {
  while (process.next_line(200ms)) {
  }
  std::size_t count = 0;
  std::istringstream lines(process.stderr_text());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"event\":\"request\"") != std::string::npos &&
        line.find("\"listener\":\"agency\"") != std::string::npos)
      ++count;
  }
  return count;
}

// One package as an agency system sends it: the same bytes again after a broken connection or a
// 5xx (what a dying node gives), until the hub answers what became of them.
struct Sending {
  std::chrono::steady_clock::time_point started;
  int attempts = 0;
  int status = 0;
  std::string id;
};

TEST_F(NodesTest, BehindHaproxyAKilledNodeCostsNoAcceptedPackage) {
  if (!std::filesystem::exists(kHaproxy))
    GTEST_SKIP() << kHaproxy << " is not installed (scripts/bootstrap installs it)";
  HubNode second = hub_.start_another_node("node-2");
  // To agency 2, which pulls: its inbox lists every package the hub holds for it.
  constexpr std::size_t kPackages = 30;
  constexpr std::size_t kKillAfter = 10;
  std::vector<std::filesystem::path> packages;
  for (std::size_t index = 0; index < kPackages; ++index)
    packages.push_back(hub_.signed_package(0, {2}, "", 64 * 1024));

  const std::uint16_t proxy_port = testing::free_port();
  auto config = hub_.directory() / "haproxy.cfg";
  std::ofstream(config) << haproxy_config(proxy_port,
                                          {{"node-1", hub_.agency_port(), hub_.monitor_port()},
                                           {"node-2", second.agency_port, second.monitor_port}});
  ChildProcess haproxy({kHaproxy.string(), "-db", "-f", config.string()});

  std::vector<Sending> sendings(kPackages);
  std::atomic<std::size_t> answered{0};
  // Retries cover haproxy's start too. A run that fails (no node in service) ends in 45 s.
  const auto stop_sending = std::chrono::steady_clock::now() + 45s;
  std::thread agency_system([&] {
    for (std::size_t index = 0; index < kPackages; ++index) {
      Sending& sending = sendings[index];
      sending.started = std::chrono::steady_clock::now();
      if (sending.started > stop_sending) break;
      const auto give_up = std::min(sending.started + 20s, stop_sending);
      for (;;) {
        ++sending.attempts;
        auto result = hub_.agency_request_at(proxy_port, 0, "POST", "/v1/packages", packages[index],
                                             {"--max-time", "20"});
        sending.status = result.status;
        bool failed = result.status == 0 || result.status >= 500;
        if (!failed || std::chrono::steady_clock::now() > give_up) {
          if (result.status == 200 || result.status == 201) sending.id = id_of(result);
          break;
        }
        std::this_thread::sleep_for(200ms);
      }
      answered = index + 1;
    }
  });

  while (answered < kKillAfter && std::chrono::steady_clock::now() < stop_sending)
    std::this_thread::sleep_for(50ms);
  while (haproxy.next_line(100ms)) {
  }
  const bool both_were_up = haproxy.stderr_text().find(" is DOWN") == std::string::npos;
  // Most likely in the middle of a request: the agency system sends without pause.
  hub_.kill();
  auto marked_down = haproxy.wait_for_line("node-1 is DOWN", 10s);
  const auto down_at = std::chrono::steady_clock::now();
  agency_system.join();

  EXPECT_GE(answered.load(), kKillAfter) << "too slow to reach the kill";
  EXPECT_TRUE(both_were_up) << "a node failed its /ready checks: " << haproxy.stderr_text();
  EXPECT_GT(agency_requests_logged(hub_.process()), 0u) << "node 1 was given nothing to lose";
  EXPECT_GT(agency_requests_logged(*second.process), 0u);
  ASSERT_TRUE(marked_down) << "haproxy did not take the killed node out: " << haproxy.stderr_text();

  std::set<std::string> accepted;
  std::size_t sent_after_down = 0;
  for (std::size_t index = 0; index < kPackages; ++index) {
    const Sending& sending = sendings[index];
    EXPECT_TRUE(sending.status == 201 || sending.status == 200)
        << "package " << index << ": " << sending.status << " after " << sending.attempts
        << " attempts";
    if (!sending.id.empty()) accepted.insert(sending.id);
    if (sending.started > down_at) {
      ++sent_after_down;
      EXPECT_EQ(sending.attempts, 1) << "package " << index << " met the dead node";
    }
  }
  EXPECT_GT(sent_after_down, 0u) << "nothing was sent once the node was down";
  EXPECT_EQ(accepted.size(), kPackages) << "two documents were given one id";

  // The surviving node holds each accepted package once, with the bytes that were sent.
  auto inbox = hub_.agency_request_at(second.agency_port, 2, "GET", "/v1/inbox?limit=500");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  std::multiset<std::string> listed;
  json::value page = json::parse(inbox.body);
  for (const auto& item : page.at("items").as_array())
    listed.insert(std::string(item.at("id").as_string()));
  EXPECT_EQ(listed.size(), kPackages) << inbox.body;
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), accepted);
  for (std::size_t index = 0; index < kPackages; ++index) {
    if (sendings[index].id.empty()) continue;
    auto fetched =
        hub_.agency_request_at(second.agency_port, 2, "GET", "/v1/packages/" + sendings[index].id);
    EXPECT_EQ(fetched.status, 200) << fetched.body;
    EXPECT_TRUE(fetched.body == testing::read_file(packages[index])) << "package " << index;
  }
  haproxy.signal(SIGTERM);
}

}  // namespace
}  // namespace truc
