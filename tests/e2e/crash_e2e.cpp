// Crash safety end to end. Agencies send thousands of signed packages through both faces (native
// /v1 and the national platform's) to pull and push recipients, and every recipient answers each
// package with a status, while the hub is killed with SIGKILL at random moments and PostgreSQL
// crashes once. Every client behaves as an agency's software should: it resends the same bytes
// until it gets a 2xx, and a receiver settles a package only after it has processed it.
// Afterwards every package the hub receipted reached each of its recipients under the receipted
// id, exactly once after the receiver's deduplication, and every status reached the sender.
//
// TRUC_CRASH_SEED repeats a run (the seed is printed); TRUC_CRASH_PACKAGES changes its size.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "crash/agency_faces.hpp"
#include "crash/document_factory.hpp"
#include "crash/ledger.hpp"
#include "crash/run_control.hpp"
#include "push_receiver.hpp"
#include "truc/edxml/model.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/postgres.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::crash {
namespace {

using namespace std::chrono_literals;
using testing::HubProcess;
using testing::TestAgency;
using Clock = std::chrono::steady_clock;

// The three agencies of HubProcess and how each talks to the hub.
constexpr std::size_t kNativeAgency = 0;    // sends, receives and collects statuses through /v1
constexpr std::size_t kPlatformAgency = 1;  // all of it through the national platform's face
constexpr std::size_t kPushAgency = 2;      // receives by push, answers with statuses through /v1
constexpr std::size_t kSendersPerAgency = 2;
constexpr int kHubKills = 4;  // one more moment crashes PostgreSQL instead
constexpr auto kRunDeadline = 20min;
constexpr auto kSettleDeadline = 5min;  // after the last send, for deliveries and statuses

std::size_t packages_in_run() {
  const char* text = std::getenv("TRUC_CRASH_PACKAGES");
  return text != nullptr ? std::stoul(text) : 2000;
}

std::uint64_t seed_of_run() {
  const char* text = std::getenv("TRUC_CRASH_SEED");
  return text != nullptr ? std::stoull(text) : std::random_device()();
}

std::string last_lines(const std::string& text, std::size_t count) {
  std::size_t position = text.size();
  for (std::size_t line = 0; line <= count && position != std::string::npos && position > 0; ++line)
    position = text.rfind('\n', position - 1);
  return position == std::string::npos ? text : text.substr(position + 1);
}

edxml::Document parse_document(const std::string& bytes) {
  auto parsed = testing::parse_bytes(bytes);
  if (!parsed)
    throw std::runtime_error("a delivered document does not parse: " + parsed.error().to_string());
  return std::move(parsed->document);
}

class CrashTest : public ::testing::Test {
 protected:
  CrashTest()
      : hub_({.extra_config = "[push]\nworkers = 2\nmax_attempts = 1000\n"
                              "first_retry_seconds = 1\nmax_retry_seconds = 2\n"
                              "timeout_seconds = 10\npoll_interval_seconds = 1\n"}),
        receiver_(hub_.pki(), hub_.ca(), "push-endpoint") {}

  std::unique_ptr<AgencyFace> face(std::size_t agency, const std::string& role) {
    auto scratch = hub_.directory() / "scratch" / (std::to_string(agency) + "-" + role);
    std::filesystem::create_directories(scratch);
    if (agency == kPlatformAgency)
      return std::make_unique<PlatformFace>(hub_, address_, hub_.agency(agency), scratch);
    return std::make_unique<NativeFace>(hub_, address_, hub_.agency(agency), scratch);
  }

  // One sender thread: `count` packages numbered from `first`, each to one or two recipients.
  void send_packages(std::size_t agency, std::size_t first, std::size_t count) {
    auto sender = face(agency, "sender-" + std::to_string(first));
    DocumentFactory factory(
        hub_.agency(agency),
        hub_.directory() / "documents" / (std::to_string(agency) + "-" + std::to_string(first)));
    std::size_t pull_recipient = agency == kNativeAgency ? kPlatformAgency : kNativeAgency;
    for (std::size_t number = first; number < first + count && !run_.stopping(); ++number) {
      std::set<std::size_t> recipients;
      if (number % 5 == 0) {
        recipients = {pull_recipient, kPushAgency};
      } else {
        recipients = {number % 2 == 0 ? pull_recipient : kPushAgency};
      }
      std::vector<TestAgency> to;
      for (std::size_t recipient : recipients) to.push_back(hub_.agency(recipient));
      auto file = factory.package(std::to_string(number), to);
      std::string document_id =
          hub_.agency(agency).code + ",2026/11/25," + std::to_string(number) + "/CRASH";
      ledger_.sending(document_id, agency, recipients);
      int sends = 0;
      auto hub_id = retrying(run_, address_, "sending " + document_id, [&] {
        ++sends;
        return sender->send(file, false);
      });
      if (!hub_id) return;
      ledger_.receipted(document_id, *hub_id, sends);
      std::filesystem::remove(file);
    }
  }

  // Processes one delivered document: a package is recorded and answered with a status (before it
  // is settled, so that a crash in between repeats the status, never loses it); a status is
  // recorded.
  void process(std::size_t agency, const std::string& hub_id, const std::string& bytes,
               AgencyFace& face, DocumentFactory& factory) {
    auto document = parse_document(bytes);
    if (auto* status = std::get_if<edxml::StatusPacket>(&document)) {
      ledger_.status_arrived(status->response_for.document_id, agency_index(status->from.organ_id),
                             run_);
      return;
    }
    const auto& package = std::get<edxml::Package>(document);
    ledger_.delivered(package.document_id, agency, hub_id, run_);
    auto status = factory.status(package);
    retrying(run_, address_, "status for " + package.document_id,
             [&] { return face.send(status, true); });
  }

  // A pulling agency's loop: list, fetch what is new, process, settle; until the run stops.
  void collect(std::size_t agency, bool statuses) {
    auto receiver = face(agency, statuses ? "statuses" : "packages");
    DocumentFactory factory(hub_.agency(agency),
                            hub_.directory() / "documents" / (std::to_string(agency) + "-answers"));
    while (!run_.stopping()) {
      auto listed = retrying(run_, address_, "listing", [&] { return receiver->list(statuses); });
      if (!listed) return;
      // An agency polls: nothing tells it that something arrived.
      if (listed->empty()) run_.pause(100ms);
      for (const auto& item : *listed) {
        if (ledger_.offered(agency, item.id)) {
          auto bytes = retrying(run_, address_, "fetching " + item.id,
                                [&] { return receiver->fetch(item.id); });
          if (!bytes) return;
          process(agency, item.id, *bytes, *receiver, factory);
        }
        if (!retrying(run_, address_, "settling " + item.id,
                      [&] { return receiver->settle(item.id); }))
          return;
      }
    }
  }

  // The push agency: the receiver records each POST before answering 200; this loop processes
  // what was pushed.
  void answer_pushes() {
    auto answering = face(kPushAgency, "push");
    DocumentFactory factory(hub_.agency(kPushAgency),
                            hub_.directory() / "documents" / "push-answers");
    std::size_t handled = 0;
    while (!run_.stopping()) {
      if (!receiver_.wait_for_deliveries(handled + 1, 1s)) continue;
      auto pushed = receiver_.deliveries();
      for (; handled < pushed.size(); ++handled) {
        const auto& delivery = pushed[handled];
        if (!ledger_.offered(kPushAgency, delivery.package_id)) continue;
        process(kPushAgency, delivery.package_id, testing::read_file(delivery.body_file),
                *answering, factory);
      }
    }
  }

  std::size_t agency_index(const std::string& code) const {
    for (std::size_t index = 0; index < 3; ++index)
      if (hub_.agency(index).code == code) return index;
    throw std::runtime_error("unknown agency " + code);
  }

  // Reads what the hub logs (it blocks on a full pipe otherwise) for about `duration`.
  void drain_hub_log(std::chrono::milliseconds duration) {
    auto until = Clock::now() + duration;
    while (Clock::now() < until) {
      if (!hub_.process().next_line(
              std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now())))
        return;
    }
  }

  void restart_hub() {
    hub_.kill();
    hub_.start();
    address_.restarted(hub_.agency_url());
  }

  HubProcess hub_;
  testing::PushReceiver receiver_;
  HubAddress address_;
  RunControl run_;
  Ledger ledger_;
};

TEST_F(CrashTest, NothingReceiptedIsLostOrDoubledAcrossKillsAndADatabaseCrash) {
  const std::size_t total = packages_in_run();
  const std::uint64_t seed = seed_of_run();
  std::cout << "seed " << seed << " (TRUC_CRASH_SEED repeats it), " << total << " packages\n";
  std::mt19937_64 random(seed);
  auto started = Clock::now();

  hub_.start();
  hub_.enable_push(kPushAgency, receiver_.url(), hub_.ca().certificate_pem);
  address_.restarted(hub_.agency_url());

  // Crash moments: after random numbers of receipts, spread over the run; one of them crashes
  // PostgreSQL under the running hub instead.
  std::vector<std::uint64_t> moments;
  std::uniform_int_distribution<std::uint64_t> moment(total / 20, total - total / 10);
  for (int crash = 0; crash <= kHubKills; ++crash) moments.push_back(moment(random));
  std::sort(moments.begin(), moments.end());
  std::size_t database_crash = std::uniform_int_distribution<std::size_t>(0, kHubKills)(random);

  std::vector<std::thread> senders;
  std::size_t per_sender = total / (2 * kSendersPerAgency);
  std::size_t first = 1;
  for (std::size_t agency : {kNativeAgency, kPlatformAgency}) {
    for (std::size_t thread = 0; thread < kSendersPerAgency; ++thread) {
      senders.push_back(run_.spawn(
          [this, agency, first, per_sender] { send_packages(agency, first, per_sender); }));
      first += per_sender;
    }
  }
  std::vector<std::thread> receivers;
  for (std::size_t agency : {kNativeAgency, kPlatformAgency}) {
    receivers.push_back(run_.spawn([this, agency] { collect(agency, false); }));
    receivers.push_back(run_.spawn([this, agency] { collect(agency, true); }));
  }
  receivers.push_back(run_.spawn([this] { answer_pushes(); }));

  int hub_kills = 0;
  int database_crashes = 0;
  for (std::size_t index = 0; index < moments.size() && !run_.stopping(); ++index) {
    while (ledger_.receipts() < moments[index] && !run_.stopping() &&
           Clock::now() - started < kRunDeadline)
      drain_hub_log(50ms);
    // A random moment within the request being served, not only between requests.
    drain_hub_log(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 40)(random)));
    if (index == database_crash) {
      testing::shared_postgres().crash_and_restart();
      ++database_crashes;
    } else {
      restart_hub();
      ++hub_kills;
    }
    std::cout << "crash " << index + 1 << " after " << ledger_.receipts()
              << " receipts: " << (index == database_crash ? "PostgreSQL" : "hub SIGKILL") << "\n";
  }
  for (auto& sender : senders) {
    while (!run_.stopping() && ledger_.receipts() < total && Clock::now() - started < kRunDeadline)
      drain_hub_log(100ms);
    sender.join();
  }
  auto settle_deadline = Clock::now() + kSettleDeadline;
  while (!ledger_.settled() && !run_.stopping() && Clock::now() < settle_deadline)
    drain_hub_log(100ms);
  bool settled = ledger_.settled();
  run_.stop();
  for (auto& receiver : receivers) receiver.join();

  for (const auto& failure : run_.failures()) ADD_FAILURE() << failure;
  EXPECT_TRUE(settled) << "not everything was delivered and answered within "
                       << std::chrono::duration_cast<std::chrono::seconds>(kSettleDeadline).count()
                       << " s of the last send; the hub's last words:\n"
                       << last_lines(hub_.process().stderr_text(), 20);
  EXPECT_EQ(hub_kills, kHubKills);
  EXPECT_EQ(database_crashes, 1);

  std::size_t receipted = 0, resent = 0, deliveries_due = 0, delivered = 0, statuses = 0;
  for (const auto& [document_id, document] : ledger_.documents()) {
    if (document.receipted_ids.empty()) continue;
    ++receipted;
    if (document.sends > 1) ++resent;
    EXPECT_EQ(document.receipted_ids.size(), 1u) << document_id << " got several hub ids";
    for (std::size_t recipient : document.recipients) {
      ++deliveries_due;
      auto processed = document.deliveries.find(recipient);
      if (processed == document.deliveries.end()) {
        ADD_FAILURE() << document_id << " never reached agency " << recipient;
        continue;
      }
      ++delivered;
      EXPECT_EQ(processed->second, 1)
          << document_id << " reached agency " << recipient << " under two hub ids";
      EXPECT_EQ(ledger_.delivered_id(document_id, recipient), *document.receipted_ids.begin())
          << document_id << " reached agency " << recipient << " under another id";
      auto answered = document.statuses.find(recipient);
      if (answered == document.statuses.end()) {
        ADD_FAILURE() << "the status of agency " << recipient << " about " << document_id
                      << " never reached the sender";
        continue;
      }
      ++statuses;
      EXPECT_EQ(answered->second, 1) << "the status of agency " << recipient << " about "
                                     << document_id << " arrived under two hub ids";
    }
  }
  EXPECT_EQ(receipted, total);

  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started);
  std::cout << "packages sent " << total << ", receipted " << receipted << " (" << resent
            << " sent again after a lost answer or a refusal while down)\n"
            << "deliveries due " << deliveries_due << ", delivered " << delivered
            << "; statuses due " << deliveries_due << ", arrived " << statuses << "\n"
            << "offers repeated after a crash and suppressed by the receiver "
            << ledger_.suppressed() << ", push POSTs " << receiver_.attempts()
            << ", client retries " << run_.retries << "\n"
            << "hub kills " << hub_kills << ", PostgreSQL crashes " << database_crashes << ", "
            << elapsed.count() << " s\n";
}

}  // namespace
}  // namespace truc::crash
