#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "truc/hub/dispatcher.hpp"
#include "truc/testing/hub_fixture.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::hub {
namespace {

using namespace std::chrono_literals;
using store::DeliveryState;

constexpr auto kEventWait = 30s;

// Sends nothing: answers each send with the next scripted outcome (success once the script is
// out) and keeps what it was given.
class ScriptedChannel final : public DeliveryChannel {
 public:
  explicit ScriptedChannel(std::deque<Status> outcomes = {}) : outcomes_(std::move(outcomes)) {}

  Status send(const OutboundPackage& package) override {
    std::unique_lock lock(mutex_);
    sent_.push_back({package.job.package_id, testing::read_file(package.file)});
    sending_.notify_all();
    if (hold_) released_.wait(lock, [this] { return !hold_; });
    if (outcomes_.empty()) return ok_status();
    Status outcome = std::move(outcomes_.front());
    outcomes_.pop_front();
    return outcome;
  }

  // Sends wait in send() until release(): the test does something meanwhile.
  void hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      hold_ = false;
    }
    released_.notify_all();
  }
  // True once a send has started, within kEventWait.
  bool wait_for_send() {
    std::unique_lock lock(mutex_);
    return sending_.wait_for(lock, kEventWait, [this] { return !sent_.empty(); });
  }
  std::vector<std::pair<std::string, std::string>> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::condition_variable sending_;
  bool hold_ = false;
  std::deque<Status> outcomes_;
  std::vector<std::pair<std::string, std::string>> sent_;  // package id, bytes
};

// What the dispatcher reported, for the test to wait on.
class RecordingObserver final : public DeliveryObserver {
 public:
  struct Outcome {
    std::string package_id;
    bool delivered = false;
    bool dead_lettered = false;
    std::string code;
  };

  void delivered(const store::PushJob& job, std::chrono::milliseconds) override {
    add({job.package_id, true, false, ""});
  }
  void failed(const store::PushJob& job, const Error& error, bool dead_lettered) override {
    add({job.package_id, false, dead_lettered, error.code});
  }
  void dispatch_failed(const Error& error) override { add({"", false, false, error.code}); }

  // The first `count` outcomes, once there are that many; fails the test after kEventWait.
  std::vector<Outcome> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    bool arrived = changed_.wait_for(lock, kEventWait, [&] { return outcomes_.size() >= count; });
    EXPECT_TRUE(arrived) << "only " << outcomes_.size() << " of " << count << " outcomes";
    return outcomes_;
  }
  std::vector<Outcome> outcomes() {
    std::lock_guard lock(mutex_);
    return outcomes_;
  }

 private:
  void add(Outcome outcome) {
    {
      std::lock_guard lock(mutex_);
      outcomes_.push_back(std::move(outcome));
    }
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Outcome> outcomes_;
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    // Agency 1 collects by push; the endpoint is never contacted (the channel is scripted).
    auto agency = fixture_.directory().get(fixture_.agency(1).code);
    EXPECT_TRUE(agency) << agency.error().to_string();
    agency->push =
        store::PushEndpoint{"https://127.0.0.1:1/inbox", std::nullopt, std::string(64, 'a'), false};
    auto updated = fixture_.directory().update(*agency);
    EXPECT_TRUE(updated) << updated.error().to_string();
  }

  std::unique_ptr<Dispatcher> dispatcher(DeliveryChannel& channel, DispatchSettings settings = {}) {
    settings.hub_code = "truc.test";
    settings.workers = 1;
    return std::make_unique<Dispatcher>(settings, fixture_.database(), fixture_.blobs(), channel,
                                        observer_, clock_);
  }

  // A package from agency 0 to agency 1, accepted: its hub id and its bytes.
  std::pair<std::string, std::string> accepted_package() {
    std::string bytes = fixture_.signed_bytes(fixture_.package(0, {1}));
    return {fixture_.send(0, bytes), bytes};
  }

  DeliveryState state_of(const std::string& id) {
    auto trace = fixture_.hub().trace_any(id);
    EXPECT_TRUE(trace) << trace.error().to_string();
    return trace->deliveries.at(0).state;
  }

  std::vector<std::string> event_details(const std::string& id, const std::string& event) {
    std::vector<std::string> details;
    auto trace = fixture_.hub().trace_any(id);
    EXPECT_TRUE(trace) << trace.error().to_string();
    for (const auto& recorded : trace->events) {
      if (recorded.event == event) details.push_back(recorded.detail);
    }
    return details;
  }

  // Claims the next due delivery as node `node_id` would, straight from the store.
  std::vector<store::PushJob> claim_as(const std::string& node_id, std::chrono::seconds lease) {
    auto connection = fixture_.database().acquire();
    EXPECT_TRUE(connection);
    auto jobs = store::Repository(**connection).claim_push_jobs(1, lease, node_id);
    EXPECT_TRUE(jobs) << jobs.error().to_string();
    return jobs ? *jobs : std::vector<store::PushJob>();
  }

  testing::HubFixture fixture_;
  RecordingObserver observer_;
  // Far in the past: a retry it schedules is due at once by the database's clock.
  ManualClock clock_{*parse_iso8601("2020-01-01T00:00:00Z")};
};

TEST_F(DispatcherTest, SendsTheStoredBytesThroughTheChannelAndSettlesTheDeliveryAsPushed) {
  auto [id, bytes] = accepted_package();
  ScriptedChannel channel;
  auto running = dispatcher(channel);
  running->start();
  auto outcomes = observer_.wait_for(1);
  running->stop();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].delivered);
  EXPECT_EQ(outcomes[0].package_id, id);
  ASSERT_EQ(channel.sent().size(), 1u);
  EXPECT_EQ(channel.sent()[0].second, bytes);
  EXPECT_EQ(state_of(id), DeliveryState::pushed);
}

TEST_F(DispatcherTest, RetriesOnTheInjectedClocksBackoffThenKeepsADeadLetter) {
  auto [id, bytes] = accepted_package();
  Error refused{"client.connect_failed", "the endpoint cannot be reached", "127.0.0.1:1"};
  ScriptedChannel channel({refused, refused, refused});
  auto running = dispatcher(channel, {.max_attempts = 3, .first_retry = 10s, .max_retry = 60s});
  running->start();
  auto outcomes = observer_.wait_for(3);
  running->stop();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_FALSE(outcomes[0].dead_lettered);
  EXPECT_FALSE(outcomes[1].dead_lettered);
  EXPECT_TRUE(outcomes[2].dead_lettered);
  EXPECT_EQ(outcomes[2].code, "client.connect_failed");
  // Jitter keeps each wait within [half, all] of 10 s, then of 20 s, after the clock's time.
  auto failures = event_details(id, "push_failed");
  ASSERT_EQ(failures.size(), 2u);
  auto next_at = [](const std::string& detail) {
    // "next at 2020-01-01T00:00:09.327Z": to the second, which the bounds allow for.
    auto at = parse_iso8601(detail.substr(detail.rfind("next at ") + 8, 19) + "Z");
    EXPECT_TRUE(at) << detail;
    return *at;
  };
  auto start = std::chrono::time_point_cast<std::chrono::seconds>(clock_.now());
  EXPECT_GE(next_at(failures[0]), start + 5s) << failures[0];
  EXPECT_LE(next_at(failures[0]), start + 10s) << failures[0];
  EXPECT_GE(next_at(failures[1]), start + 10s) << failures[1];
  EXPECT_LE(next_at(failures[1]), start + 20s) << failures[1];
  auto dead = fixture_.hub().dead_letters(std::nullopt);
  ASSERT_TRUE(dead);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ(dead->at(0).package_id, id);
}

TEST_F(DispatcherTest, AWakeSendsANewDeliveryWithoutWaitingForThePoll) {
  ScriptedChannel channel;
  auto running = dispatcher(channel, {.poll_interval = 3600s});
  running->start();
  // The worker found nothing and waits for the hour's poll; the wake must end that wait.
  auto [id, bytes] = accepted_package();
  running->wake();
  auto outcomes = observer_.wait_for(1);
  running->stop();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].delivered);
}

TEST_F(DispatcherTest, LeavesADeliveryAcknowledgedThroughPullMeanwhileAsItIs) {
  auto [id, bytes] = accepted_package();
  ScriptedChannel channel;
  channel.hold();
  auto running = dispatcher(channel);
  running->start();
  // Wait for the send to start, then the recipient acks through pull while it is in flight.
  ASSERT_TRUE(channel.wait_for_send());
  auto state = fixture_.hub().acknowledge(fixture_.caller(1), id);
  channel.release();
  running->stop();  // the send in flight is recorded before stop() returns
  ASSERT_TRUE(state) << state.error().to_string();
  EXPECT_EQ(*state, DeliveryState::acked);
  EXPECT_EQ(state_of(id), DeliveryState::acked);
  EXPECT_TRUE(observer_.outcomes().empty());
  EXPECT_TRUE(event_details(id, "pushed").empty());
}

TEST_F(DispatcherTest, RenewsItsClaimWhileThePushOutlastsTheLease) {
  auto [id, bytes] = accepted_package();
  ScriptedChannel channel;
  channel.hold();
  auto running = dispatcher(channel, {.node_id = "node-a", .lease = 2s});
  running->start();
  ASSERT_TRUE(channel.wait_for_send());
  // Two and a half leases: without renewal the claim would have lapsed twice.
  std::this_thread::sleep_for(5s);
  EXPECT_TRUE(claim_as("node-b", 2s).empty()) << "another node took a delivery being pushed";
  channel.release();
  auto outcomes = observer_.wait_for(1);
  running->stop();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].delivered);
  EXPECT_EQ(channel.sent().size(), 1u);
}

TEST_F(DispatcherTest, AStartingNodeFreesTheClaimsOfItsPreviousRunOnly) {
  auto [own_id, own_bytes] = accepted_package();
  auto [other_id, other_bytes] = accepted_package();
  // Claims of an hour, as a run that died left them: one of this node's, one of another's.
  auto own = claim_as("node-a", 3600s);
  auto other = claim_as("node-b", 3600s);
  ASSERT_EQ(own.size(), 1u);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(own[0].package_id, own_id);
  ScriptedChannel channel;
  auto running = dispatcher(channel, {.poll_interval = 1s, .node_id = "node-a"});
  running->start();
  auto outcomes = observer_.wait_for(1);
  // A few polls more, in which node-b's claim must stand.
  std::this_thread::sleep_for(3s);
  running->stop();
  ASSERT_EQ(channel.sent().size(), 1u);
  EXPECT_EQ(channel.sent()[0].first, own_id);
  EXPECT_EQ(state_of(own_id), DeliveryState::pushed);
  EXPECT_EQ(state_of(other_id), DeliveryState::pending);
}

}  // namespace
}  // namespace truc::hub
