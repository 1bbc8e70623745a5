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

#include <boost/json.hpp>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "push_receiver.hpp"
#include "truc/cli/hub_client.hpp"
#include "truc/common/base64.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/edxml/build.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc {
namespace {

using namespace std::chrono_literals;
using testing::HubProcess;
using testing::TestAgency;
namespace json = boost::json;
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

// Where the hub listens now: each restart binds new ports (port 0). A client that lost the hub
// waits here for the next start.
class HubAddress {
 public:
  struct Seen {
    std::string url;
    std::uint64_t generation = 0;
  };

  void restarted(std::string url) {
    std::lock_guard lock(mutex_);
    url_ = std::move(url);
    ++generation_;
    changed_.notify_all();
  }
  Seen current() const {
    std::lock_guard lock(mutex_);
    return {url_, generation_};
  }
  // Returns once the hub restarted after `generation`, or after `timeout`: a dropped connection
  // or a refused request does not always mean a restart.
  void wait_for_restart(std::uint64_t generation, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return generation_ != generation; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::string url_;
  std::uint64_t generation_ = 0;
};

// What every thread of the run shares: the stop flag and the first unexpected error.
class RunControl {
 public:
  bool stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  void fail(const std::string& what) {
    std::lock_guard lock(mutex_);
    failures_.push_back(what);
    stopping_ = true;
    changed_.notify_all();
  }
  std::vector<std::string> failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }
  // Waits `duration`, or less if the run stops.
  void pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, duration, [&] { return stopping_; });
  }
  // Runs `body` on a new thread; an exception fails the run instead of ending the process.
  std::thread spawn(std::function<void()> body) {
    return std::thread([this, body = std::move(body)] {
      try {
        body();
      } catch (const std::exception& exception) {
        fail(exception.what());
      }
    });
  }

  std::atomic<std::uint64_t> retries{0};

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::vector<std::string> failures_;
};

// Errors an agency's software meets while the hub or its database is down: it waits and tries
// again. Any other error is a finding.
bool is_transient(const Error& error) {
  static const std::set<std::string> kTransient{"client.connect_failed", "client.tls_failed",
                                                "client.timeout", "client.protocol", "server.busy"};
  return kTransient.contains(error.code) || error.code.starts_with("store.");
}

// Calls `call` (which returns a Result) until it succeeds or the run stops.
template <typename Call>
auto retrying(RunControl& run, const HubAddress& address, const std::string& what, Call call)
    -> std::optional<std::remove_cvref_t<decltype(*call())>> {
  while (!run.stopping()) {
    auto generation = address.current().generation;
    auto result = call();
    if (result) return std::move(*result);
    if (!is_transient(result.error())) {
      run.fail(what + ": " + result.error().to_string());
      return std::nullopt;
    }
    ++run.retries;
    address.wait_for_restart(generation, 200ms);
  }
  return std::nullopt;
}

// Everything the clients saw, to be checked at the end. Documents are known by their DocumentId
// (unique in the run); the hub's ids must match what it receipted.
class Ledger {
 public:
  struct Document {
    std::size_t sender = 0;
    std::set<std::size_t> recipients;
    std::set<std::string> receipted_ids;    // more than one: the hub doubled the document
    int sends = 0;                          // attempts until the receipt
    std::map<std::size_t, int> deliveries;  // by recipient: times processed
    std::map<std::size_t, int> statuses;    // by the recipient that answered: times received
  };

  void sending(const std::string& document_id, std::size_t sender,
               const std::set<std::size_t>& recipients) {
    std::lock_guard lock(mutex_);
    documents_[document_id].sender = sender;
    documents_[document_id].recipients = recipients;
  }
  void receipted(const std::string& document_id, const std::string& hub_id, int sends) {
    std::lock_guard lock(mutex_);
    auto& document = documents_.at(document_id);
    document.receipted_ids.insert(hub_id);
    document.sends = sends;
    ++receipts_;
  }
  // A recipient was offered `hub_id`: true the first time; a repeat is suppressed (the receiver's
  // deduplication) and counted.
  bool offered(std::size_t recipient, const std::string& hub_id) {
    std::lock_guard lock(mutex_);
    bool first = processed_.insert({recipient, hub_id}).second;
    if (!first) ++suppressed_;
    return first;
  }
  void delivered(const std::string& document_id, std::size_t recipient, const std::string& hub_id,
                 RunControl& run) {
    std::lock_guard lock(mutex_);
    auto found = documents_.find(document_id);
    if (found == documents_.end() || !found->second.recipients.contains(recipient)) {
      run.fail("agency " + std::to_string(recipient) + " got " + document_id +
               ", which was not sent to it");
      return;
    }
    ++found->second.deliveries[recipient];
    delivered_ids_[{document_id, recipient}] = hub_id;
  }
  void status_arrived(const std::string& document_id, std::size_t from, RunControl& run) {
    std::lock_guard lock(mutex_);
    auto found = documents_.find(document_id);
    if (found == documents_.end()) {
      run.fail("a status about unknown document " + document_id);
      return;
    }
    ++found->second.statuses[from];
  }
  std::uint64_t receipts() const {
    std::lock_guard lock(mutex_);
    return receipts_;
  }
  // True once every receipted document reached each recipient and each answered.
  bool settled() const {
    std::lock_guard lock(mutex_);
    for (const auto& [id, document] : documents_) {
      if (document.receipted_ids.empty()) return false;
      for (std::size_t recipient : document.recipients) {
        if (!document.deliveries.contains(recipient) || !document.statuses.contains(recipient))
          return false;
      }
    }
    return true;
  }
  std::map<std::string, Document> documents() const {
    std::lock_guard lock(mutex_);
    return documents_;
  }
  std::string delivered_id(const std::string& document_id, std::size_t recipient) const {
    std::lock_guard lock(mutex_);
    auto found = delivered_ids_.find({document_id, recipient});
    return found == delivered_ids_.end() ? "" : found->second;
  }
  std::uint64_t suppressed() const {
    std::lock_guard lock(mutex_);
    return suppressed_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Document> documents_;
  std::set<std::pair<std::size_t, std::string>> processed_;
  std::map<std::pair<std::string, std::size_t>, std::string> delivered_ids_;
  std::uint64_t receipts_ = 0;
  std::uint64_t suppressed_ = 0;
};

// Signed edXML documents of one agency, built and signed in this process.
class DocumentFactory {
 public:
  DocumentFactory(const TestAgency& agency, std::filesystem::path directory)
      : agency_(agency),
        directory_(std::move(directory)),
        key_(security::PrivateKey::load_pem_file(agency.certificate.key).value()),
        certificate_(
            security::Certificate::load_pem_file(agency.certificate.certificate)->front()) {
    std::filesystem::create_directories(directory_);
    auto sample = testing::sample_package();
    sample.attachments.resize(1);
    attachment_files_ = testing::write_attachment_files(sample, directory_, 1024);
  }

  // A new công văn to `recipients`; returns its file.
  std::filesystem::path package(const std::string& number, const std::vector<TestAgency>& to) {
    auto package = testing::sample_package();
    package.from.organ_id = agency_.code;
    package.from.organ_name = agency_.name;
    package.from.organization_in_charge = agency_.name;
    package.to.clear();
    for (const auto& recipient : to)
      package.to.push_back({recipient.code, "", recipient.name, "", "", "", "", ""});
    package.code = {number, "CRASH"};
    package.document_id = agency_.code + ",2026/11/25," + number + "/CRASH";
    package.trace_headers.clear();
    package.attachments.resize(1);
    return sign(number, testing::build_package(package, attachment_files_));
  }

  // This agency's status 01 (arrived) about `package`. The same bytes every time it is asked for
  // the same package, so a status resent after a lost answer is a duplicate to the hub.
  std::filesystem::path status(const edxml::Package& package) {
    auto status = testing::sample_status(edxml::StatusCode::arrived);
    status.from = {agency_.code, "", agency_.name, "", "", "", "", ""};
    status.response_for = {package.from.organ_id,
                           package.code.code_number + "/" + package.code.code_notation,
                           package.promulgation_info.promulgation_date, package.document_id};
    status.description = "Đã nhận văn bản";
    return sign("status-" + package.code.code_number + "-" + package.from.organ_id,
                testing::build_status(status));
  }

 private:
  std::filesystem::path sign(const std::string& name, const std::string& unsigned_bytes) {
    std::string file_name = name;
    std::replace(file_name.begin(), file_name.end(), '/', '-');
    auto unsigned_file = directory_ / (file_name + ".unsigned.edxml");
    std::ofstream(unsigned_file, std::ios::binary) << unsigned_bytes;
    StringSink signed_bytes;
    static const edxml::Parser parser;
    Status signed_ok =
        security::sign_document(unsigned_file, key_, certificate_, parser, signed_bytes);
    if (!signed_ok) throw std::runtime_error(signed_ok.error().to_string());
    auto file = directory_ / (file_name + ".edxml");
    std::ofstream(file, std::ios::binary) << signed_bytes.text();
    std::filesystem::remove(unsigned_file);
    return file;
  }

  const TestAgency& agency_;
  std::filesystem::path directory_;
  security::PrivateKey key_;
  security::Certificate certificate_;
  std::vector<std::filesystem::path> attachment_files_;
};

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

// A waiting package or status as a receiving agency lists it.
struct Listed {
  std::string id;
};

// How one agency's software talks to the hub: one face or the other. Not thread-safe: one per
// thread. Each call reconnects when the hub restarted since the last.
class AgencyFace {
 public:
  virtual ~AgencyFace() = default;
  // Sends a package (or a status packet, `status`); the hub's id for it.
  virtual Result<std::string> send(const std::filesystem::path& document, bool status) = 0;
  virtual Result<std::vector<Listed>> list(bool statuses) = 0;
  virtual Result<std::string> fetch(const std::string& id) = 0;
  // Ends delivery to this agency: ack (native) or updateStatus done (platform).
  virtual Result<bool> settle(const std::string& id) = 0;
};

https::ClientOptions client_options(const std::string& url, const HubProcess& hub) {
  https::ClientOptions options;
  options.url = parse_url(url).value();
  options.ca_file = hub.ca().certificate;
  options.operation_timeout = 30s;
  return options;
}

class NativeFace final : public AgencyFace {
 public:
  NativeFace(const HubProcess& hub, const HubAddress& address, const TestAgency& agency,
             std::filesystem::path scratch)
      : hub_(hub), address_(address), agency_(agency), scratch_(std::move(scratch)) {}

  Result<std::string> send(const std::filesystem::path& document, bool) override {
    auto sent = client().send(document);
    if (!sent) return std::move(sent).error();
    return std::string(json::parse(sent->json).at("id").as_string());
  }
  Result<std::vector<Listed>> list(bool statuses) override {
    auto page = client().inbox({.kind = statuses ? "status" : "edoc", .limit = 100});
    if (!page) return std::move(page).error();
    auto answer = json::parse(*page);
    std::vector<Listed> listed;
    for (const auto& item : answer.at("items").as_array())
      listed.push_back({std::string(item.at("id").as_string())});
    return listed;
  }
  Result<std::string> fetch(const std::string& id) override {
    auto output = scratch_ / "fetched.edxml";
    auto fetched = client().fetch(id, output);
    if (!fetched) return std::move(fetched).error();
    return testing::read_file(output);
  }
  Result<bool> settle(const std::string& id) override {
    auto acked = client().ack(id);
    if (!acked) return std::move(acked).error();
    return true;
  }

 private:
  cli::HubClient& client() {
    auto seen = address_.current();
    if (!client_ || generation_ != seen.generation) {
      auto options = client_options(seen.url, hub_);
      options.certificate_file = agency_.certificate.certificate;
      options.key_file = agency_.certificate.key;
      client_.emplace(cli::HubClient::create(options).value());
      generation_ = seen.generation;
    }
    return *client_;
  }

  const HubProcess& hub_;
  const HubAddress& address_;
  const TestAgency& agency_;
  std::filesystem::path scratch_;
  std::optional<cli::HubClient> client_;
  std::uint64_t generation_ = 0;
};

// The national platform's face as deployed software uses it: HMAC-signed form posts and
// multipart uploads (docs/api/compat.md), no client certificate.
class PlatformFace final : public AgencyFace {
 public:
  PlatformFace(const HubProcess& hub, const HubAddress& address, const TestAgency& agency,
               std::filesystem::path scratch)
      : hub_(hub), address_(address), agency_(agency), scratch_(std::move(scratch)) {}

  Result<std::string> send(const std::filesystem::path& document, bool status) override {
    std::string bytes = testing::read_file(document);
    const std::string boundary = "truc-crash-test-boundary";
    std::string body;
    auto field = [&](const std::string& name, const std::string& value) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    };
    field("from", agency_.system_id);
    field("servicetype", "eDoc");
    field("messagetype", status ? "status" : "edoc");
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_doc\"; filename=\"" +
            document.filename().string() + "\"\r\nContent-Type: application/xml\r\n\r\n" + bytes +
            "\r\n--" + boundary + "--\r\n";
    auto body_file = scratch_ / "multipart.body";
    std::ofstream(body_file, std::ios::binary) << body;
    auto answer = call([&](https::HttpClient& http) {
      return http.upload("POST", "/sendEdoc", "multipart/form-data; boundary=" + boundary,
                         body_file, {},
                         headers({{"hash-file", sha256_hex(bytes)},
                                  {"from", agency_.system_id},
                                  {"servicetype", "eDoc"},
                                  {"messagetype", status ? "status" : "edoc"}}));
    });
    if (!answer) return std::move(answer).error();
    return std::string(answer->at("DocId").as_string());
  }
  Result<std::vector<Listed>> list(bool statuses) override {
    auto answer = form("/getReceivedEdocList",
                       {{"servicetype", "eDoc"}, {"messagetype", statuses ? "status" : "edoc"}});
    if (!answer) return std::move(answer).error();
    std::vector<Listed> listed;
    for (const auto& item : answer->at("data").as_array())
      listed.push_back({std::string(item.at("docId").as_string())});
    return listed;
  }
  Result<std::string> fetch(const std::string& id) override {
    auto answer = form("/getEdoc", {{"docId", id}});
    if (!answer) return std::move(answer).error();
    return base64_decode(answer->at("data").as_string());
  }
  Result<bool> settle(const std::string& id) override {
    auto answer = form("/updateStatus", {{"docId", id}, {"status", "done"}});
    if (!answer) return std::move(answer).error();
    return true;
  }

 private:
  std::vector<https::Header> headers(const testing::HeaderList& call_headers) const {
    std::vector<https::Header> headers;
    for (auto& [name, value] :
         testing::platform_signed_headers(agency_.system_id, agency_.secret, call_headers))
      headers.push_back({name, value});
    return headers;
  }

  // A form post as the platform's SDK sends it: the parameters signed, and in the body too.
  // The values here are ids and words, so they need no URL encoding.
  Result<json::object> form(const std::string& path, const testing::HeaderList& parameters) {
    const std::string kForm = "application/x-www-form-urlencoded";
    testing::HeaderList signed_parameters{{"Content-Type", kForm}};
    std::string body;
    for (const auto& [name, value] : parameters) {
      signed_parameters.emplace_back(name, value);
      body += (body.empty() ? "" : "&") + name + "=" + value;
    }
    return call([&](https::HttpClient& http) {
      return http.request("POST", path, kForm, body, headers(signed_parameters));
    });
  }

  // An answer of the face: {"status": "OK", ...}, or its error code (the first word of
  // ErrorDesc) as an Error.
  template <typename Send>
  Result<json::object> call(Send send) {
    auto seen = address_.current();
    if (!http_ || generation_ != seen.generation) {
      http_.emplace(https::HttpClient::create(client_options(seen.url, hub_)).value());
      generation_ = seen.generation;
    }
    auto answer = send(*http_);
    if (!answer) return platform_error(std::move(answer).error());
    auto body = json::parse(answer->body).as_object();
    if (body.at("status").as_string() != "OK")
      return Error{"test.platform_failure", "the face answered FAIL with 2xx", answer->body};
    return body;
  }

  // A FAIL answer comes back as client.protocol holding the body: recover the stable code.
  static Error platform_error(Error error) {
    static const std::regex kDescription("\"ErrorDesc\":\"([a-z_]+\\.[a-z_]+)");
    std::smatch match;
    if (error.code == "client.protocol" && std::regex_search(error.detail, match, kDescription))
      return Error{match[1], error.message, error.detail};
    return error;
  }

  const HubProcess& hub_;
  const HubAddress& address_;
  const TestAgency& agency_;
  std::filesystem::path scratch_;
  std::optional<https::HttpClient> http_;
  std::uint64_t generation_ = 0;
};

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
}  // namespace truc
