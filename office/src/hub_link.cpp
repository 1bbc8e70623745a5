#include "truc/office/hub_link.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cassert>
#include <charconv>
#include <map>
#include <optional>
#include <random>
#include <utility>

#include "truc/agency/hub_client.hpp"
#include "truc/common/file.hpp"
#include "truc/common/log.hpp"
#include "truc/common/url.hpp"
#include "truc/edxml/build.hpp"
#include "truc/edxml/model.hpp"
#include "truc/office/inbox.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Items asked for per inbox page (the hub allows up to 500).
constexpr unsigned kInboxPageSize = 100;
// Statuses sent per round at most, so that stop() is not held up by a long backlog.
constexpr int kStatusesPerRound = 200;
constexpr std::size_t kMaxErrorText = 1000;

struct LinkedAgency {
  std::string id;
  std::string code;
  std::string name;
  std::filesystem::path certificate;
  std::filesystem::path key;
};

Result<std::vector<LinkedAgency>> linked_agencies(store::Connection& connection) {
  auto rows = connection.execute(
      "SELECT id, code, name, hub_certificate_file, hub_private_key_file FROM agencies "
      "WHERE hub_certificate_file IS NOT NULL ORDER BY id");
  if (!rows) return std::move(rows).error();
  std::vector<LinkedAgency> agencies;
  for (std::size_t row = 0; row < rows->size(); ++row) {
    agencies.push_back({rows->text(row, 0), rows->text(row, 1), rows->text(row, 2),
                        rows->text(row, 3), rows->text(row, 4)});
  }
  return agencies;
}

// The hub answers these areas' codes with a 4xx status (gateway/http/src/error_status.cpp,
// docs/errors.md "The hub"): it refused the request itself, and sending the same bytes again
// will not change its mind. The hub never answers 408 or 429; its overload and storage failures
// (server.*, store.*, anything else: 5xx) and the client's transport failures (client.*) are
// worth another attempt.
bool refused_by_hub(const Error& error) {
  static constexpr std::array<std::string_view, 13> kRefusalAreas{
      "parse.", "attachment.", "request.",   "schema.", "field.", "manifest.", "business.",
      "route.", "status.",     "signature.", "agency.", "auth.",  "package."};
  return std::any_of(kRefusalAreas.begin(), kRefusalAreas.end(), [&](std::string_view area) {
    return error.code.compare(0, area.size(), area) == 0;
  });
}

std::string error_text(const Error& error) {
  std::string text = error.code + ": " + error.message;
  if (text.size() > kMaxErrorText) text.resize(kMaxErrorText);
  return text;
}

// edXML timestamps are the sender's local time without a zone; Vietnam is UTC+7 all year.
edxml::LocalDateTime vietnam_now() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return edxml::LocalDateTime{now.time_since_epoch() + 7h};
}

// A PostgreSQL date ("2026-12-04").
std::optional<edxml::Date> sql_date(const std::optional<std::string>& text) {
  if (!text || text->size() != 10) return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  const char* begin = text->data();
  if (std::from_chars(begin, begin + 4, year).ec != std::errc{} ||
      std::from_chars(begin + 5, begin + 7, month).ec != std::errc{} ||
      std::from_chars(begin + 8, begin + 10, day).ec != std::errc{}) {
    return std::nullopt;
  }
  edxml::Date date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string random_hex() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  std::uint64_t value = generator();
  for (int i = 0; i < 16; ++i, value >>= 4) hex += kDigits[value & 0xf];
  return hex;
}

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// One due row of outgoing_statuses with what its packet says.
struct DueStatus {
  std::string id;
  std::int64_t attempts = 0;
  std::optional<std::string> blob_sha256;
  std::string status_code;
  std::string description;
  std::string staff_name;
  std::string staff_department;
  LinkedAgency agency;
  std::string sender_code;  // of the incoming document: the status goes back to it
  std::string code_number;
  std::string code_notation;
  std::optional<std::string> promulgation_date;
  std::string document_id;
};

constexpr std::string_view kDueStatusColumns =
    "SELECT s.id, s.attempts, s.blob_sha256, s.status_code, s.description, s.staff_name, "
    "s.staff_department, a.id, a.code, a.name, a.hub_certificate_file, a.hub_private_key_file, "
    "d.sender_code, d.code_number, d.code_notation, d.promulgation_date, d.document_id "
    "FROM outgoing_statuses s JOIN agencies a ON a.id = s.agency_id "
    "JOIN incoming_documents d ON d.id = s.incoming_id "
    "WHERE s.state = 'pending' AND a.hub_certificate_file IS NOT NULL ";

DueStatus due_status_of(const store::Rows& rows) {
  DueStatus due;
  due.id = rows.text(0, 0);
  due.attempts = rows.integer(0, 1);
  due.blob_sha256 = rows.optional_text(0, 2);
  due.status_code = rows.text(0, 3);
  due.description = rows.text(0, 4);
  due.staff_name = rows.text(0, 5);
  due.staff_department = rows.text(0, 6);
  due.agency = {rows.text(0, 7), rows.text(0, 8), rows.text(0, 9), rows.text(0, 10),
                rows.text(0, 11)};
  due.sender_code = rows.text(0, 12);
  due.code_number = rows.text(0, 13);
  due.code_notation = rows.text(0, 14);
  due.promulgation_date = rows.optional_text(0, 15);
  due.document_id = rows.text(0, 16);
  return due;
}

// Building a packet fails the same way every time for these: no retry will help.
bool permanent_build_failure(const Error& error) {
  return error.code == "hub_link.invalid_status" || error.code.starts_with("field.") ||
         error.code.starts_with("schema.");
}

}  // namespace

struct HubLink::Impl {
  HubLinkSettings settings;
  Url url;
  std::string ca_pem;
  store::Pool& database;
  const store::BlobStore& blobs;
  const edxml::Parser& parser;
  Inbox& inbox;

  // The hub client is not thread-safe: each kind of round has its own, per agency, kept between
  // rounds so that connections stay alive. A round holds its mutex.
  struct CachedClient {
    std::filesystem::path certificate;
    std::filesystem::path key;
    agency::HubClient client;
  };
  using Clients = std::map<std::string, CachedClient>;  // by agency id
  std::mutex pull_mutex;
  Clients pull_clients;
  std::mutex send_mutex;
  Clients send_clients;

  std::atomic<std::uint64_t> packages_pulled{0}, packages_acked{0}, pull_failures{0},
      statuses_sent{0}, status_retries{0}, statuses_failed{0};
  const std::atomic<bool>* stopping = nullptr;

  Impl(HubLinkSettings settings_in, Url url_in, std::string ca_pem_in, store::Pool& database_in,
       const store::BlobStore& blobs_in, const edxml::Parser& parser_in, Inbox& inbox_in)
      : settings(std::move(settings_in)),
        url(std::move(url_in)),
        ca_pem(std::move(ca_pem_in)),
        database(database_in),
        blobs(blobs_in),
        parser(parser_in),
        inbox(inbox_in) {}

  Result<agency::HubClient*> client_for(Clients& clients, const LinkedAgency& agency) {
    auto found = clients.find(agency.id);
    if (found != clients.end() && found->second.certificate == agency.certificate &&
        found->second.key == agency.key) {
      return &found->second.client;
    }
    https::ClientOptions options;
    options.url = url;
    options.ca_pem = ca_pem;
    options.certificate_file = agency.certificate;
    options.key_file = agency.key;
    options.operation_timeout = settings.timeout;
    auto client = agency::HubClient::create(options);
    if (!client) return std::move(client).error();
    clients.erase(agency.id);
    auto [inserted, added] = clients.emplace(
        agency.id, CachedClient{agency.certificate, agency.key, std::move(*client)});
    return &inserted->second.client;
  }

  void pull_failed(const LinkedAgency& agency, std::string_view stage, std::string_view hub_id,
                   const Error& error, PullReport& report) {
    ++report.failures;
    ++pull_failures;
    log_event("warn", "hub_link.pull_failed",
              {{"agency", agency.code},
               {"stage", stage},
               {"hub_id", hub_id},
               {"code", error.code},
               {"message", error.message},
               {"detail", error.detail}});
  }

  // Fetches one inbox item, stores it, and acknowledges it once stored (never before).
  void pull_package(const LinkedAgency& agency, agency::HubClient& hub, const json::object& item,
                    std::string_view kind, PullReport& report) {
    std::string hub_id = string_field(item, "id");
    if (hub_id.empty()) {
      pull_failed(agency, "inbox", "", {"client.protocol", "an inbox item without an id", ""},
                  report);
      return;
    }
    auto file = blobs.temporary_directory() / ("pull-" + random_hex() + ".edxml");
    auto fetched = hub.fetch(hub_id, file);
    if (!fetched) {
      pull_failed(agency, "fetch", hub_id, fetched.error(), report);
      return;
    }
    Delivery delivery{hub_id,
                      fetched->kind.empty() ? std::string(kind) : fetched->kind,
                      string_field(item, "sender"),
                      agency.code,
                      fetched->sha256,
                      "pull"};
    auto stored = inbox.receive(delivery, file);
    std::error_code ignored;
    std::filesystem::remove(file, ignored);  // receive() moved or dropped it, unless it failed
    if (!stored) {
      pull_failed(agency, "store", hub_id, stored.error(), report);
      return;
    }
    if (*stored) {
      ++report.stored;
      ++packages_pulled;
    } else {
      ++report.already;
    }
    log_event("info", "hub_link.pulled",
              {{"agency", agency.code},
               {"hub_id", hub_id},
               {"kind", delivery.kind},
               {"sender", delivery.sender_code},
               {"new", *stored ? "true" : "false"}});
    auto acked = hub.ack(hub_id);
    if (!acked) {
      pull_failed(agency, "ack", hub_id, acked.error(), report);
      return;
    }
    ++report.acked;
    ++packages_acked;
    auto lease = database.acquire();
    Result<store::Rows> marked = lease ? (*lease)->execute(
                                             "UPDATE received_packages SET acked_at = now() "
                                             "WHERE agency_id = $1 AND hub_package_id = $2 "
                                             "AND acked_at IS NULL",
                                             {agency.id, hub_id})
                                       : Result<store::Rows>(std::move(lease).error());
    // The hub has the acknowledgement: only the office's note of it is missing.
    if (!marked) pull_failed(agency, "mark_acked", hub_id, marked.error(), report);
  }

  void pull_agency(const LinkedAgency& agency, PullReport& report) {
    auto hub = client_for(pull_clients, agency);
    if (!hub) {
      pull_failed(agency, "client", "", hub.error(), report);
      return;
    }
    for (std::string_view kind : {"edoc", "status"}) {
      agency::InboxQuery query{std::string(kind), kInboxPageSize, std::nullopt};
      while (!stopping->load()) {
        auto page = (*hub)->inbox(query);
        if (!page) {
          pull_failed(agency, "inbox", "", page.error(), report);
          break;
        }
        boost::system::error_code not_json;
        json::value answer = json::parse(*page, not_json);
        const json::object* object = not_json ? nullptr : answer.if_object();
        const json::value* items = object != nullptr ? object->if_contains("items") : nullptr;
        if (items == nullptr || !items->is_array()) {
          pull_failed(agency, "inbox", "",
                      {"client.protocol", "the hub's inbox page is not the documented object", ""},
                      report);
          break;
        }
        for (const auto& item : items->get_array()) {
          if (stopping->load()) break;
          if (item.is_object()) pull_package(agency, **hub, item.get_object(), kind, report);
        }
        const json::value* next = object->if_contains("next_cursor");
        if (next == nullptr || !next->is_string() || next->get_string().empty() ||
            (query.cursor && *query.cursor == next->get_string())) {
          break;
        }
        query.cursor = std::string(next->get_string());
      }
    }
  }

  PullReport reconcile() {
    std::lock_guard round(pull_mutex);
    PullReport report;
    std::vector<LinkedAgency> agencies;
    {
      auto lease = database.acquire();
      auto found = lease ? linked_agencies(**lease)
                         : Result<std::vector<LinkedAgency>>(std::move(lease).error());
      if (!found) {
        ++report.failures;
        ++pull_failures;
        log_event("warn", "hub_link.pull_failed",
                  {{"stage", "agencies"},
                   {"code", found.error().code},
                   {"message", found.error().message}});
        return report;
      }
      agencies = std::move(*found);
    }
    for (const auto& agency : agencies) {
      if (stopping->load()) break;
      pull_agency(agency, report);
    }
    return report;
  }

  // The status packet the row describes, written, signed with the agency's key and stored.
  Result<store::BlobRef> build_signed_status(const DueStatus& due) {
    auto code = edxml::parse_status_code(due.status_code);
    if (!code) {
      return Error{"hub_link.invalid_status", "the status code is not one edXML defines",
                   due.status_code};
    }
    edxml::StatusPacket packet;
    packet.from.organ_id = due.agency.code;
    packet.from.organ_name = due.agency.name;
    packet.response_for = {due.sender_code, due.code_number + "/" + due.code_notation,
                           sql_date(due.promulgation_date), due.document_id};
    if (!due.staff_name.empty() || !due.staff_department.empty()) {
      packet.staff_info = edxml::StaffInfo{due.staff_department, due.staff_name, {}, {}};
    }
    packet.status_code = *code;
    packet.description = due.description;
    packet.timestamp = vietnam_now();

    auto key = security::PrivateKey::load_pem_file(due.agency.key);
    if (!key) return std::move(key).error();
    auto certificates = security::Certificate::load_pem_file(due.agency.certificate);
    if (!certificates) return std::move(certificates).error();
    if (certificates->empty()) {
      return Error{"certificate.invalid", "no certificate in the agency's hub certificate file",
                   due.agency.certificate.string()};
    }
    // The unsigned packet in a temporary file of the blob store, never published: the signer
    // reads a file. It is removed when `draft` goes.
    auto draft = blobs.create();
    if (!draft) return std::move(draft).error();
    TRUC_TRY(edxml::write_status(packet, *draft));
    auto signed_packet = blobs.create();
    if (!signed_packet) return std::move(signed_packet).error();
    TRUC_TRY(security::sign_document(draft->temporary_path(), *key, certificates->front(), parser,
                                     *signed_packet));
    return signed_packet->commit();
  }

  std::chrono::seconds retry_delay(std::int64_t attempts) const {
    auto delay = settings.first_retry;
    for (std::int64_t n = 1; n < attempts && delay < settings.max_retry; ++n) delay *= 2;
    return std::min(delay, settings.max_retry);
  }

  // Records a failed attempt in the claiming transaction and commits it.
  void record_failure(store::Transaction& transaction, const DueStatus& due, const Error& error,
                      bool final, SendReport& report) {
    std::int64_t attempts = due.attempts + 1;
    Result<store::Rows> updated =
        final ? transaction.execute(
                    "UPDATE outgoing_statuses SET state = 'failed', attempts = $2, "
                    "last_error = $3 WHERE id = $1",
                    {due.id, std::to_string(attempts), error_text(error)})
              : transaction.execute(
                    "UPDATE outgoing_statuses SET attempts = $2, last_error = $3, "
                    "next_attempt_at = now() + $4::integer * interval '1 second' WHERE id = $1",
                    {due.id, std::to_string(attempts), error_text(error),
                     std::to_string(retry_delay(attempts).count())});
    Status committed = updated ? transaction.commit() : Status(updated.error());
    if (!committed) {
      log_event("warn", "hub_link.status_unrecorded",
                {{"agency", due.agency.code},
                 {"status_id", due.id},
                 {"code", committed.error().code},
                 {"message", committed.error().message}});
    }
    std::string attempt = std::to_string(attempts);
    if (final) {
      ++report.failed;
      ++statuses_failed;
      log_event("error", "hub_link.status_failed",
                {{"agency", due.agency.code},
                 {"status_id", due.id},
                 {"status_code", due.status_code},
                 {"attempt", attempt},
                 {"code", error.code},
                 {"message", error.message},
                 {"detail", error.detail}});
    } else {
      ++report.retried;
      ++status_retries;
      std::string delay = std::to_string(retry_delay(attempts).count());
      log_event("warn", "hub_link.status_retry",
                {{"agency", due.agency.code},
                 {"status_id", due.id},
                 {"status_code", due.status_code},
                 {"attempt", attempt},
                 {"retry_in_seconds", delay},
                 {"code", error.code},
                 {"message", error.message}});
    }
  }

  void database_failed(std::string_view stage, const Error& error) {
    log_event("warn", "hub_link.status_database_failed",
              {{"stage", stage}, {"code", error.code}, {"message", error.message}});
  }

  // Claims one due status and sends it. False when there was none (or the database failed).
  bool send_next(SendReport& report) {
    auto lease = database.acquire();
    if (!lease) {
      database_failed("acquire", lease.error());
      return false;
    }
    std::optional<store::Transaction> transaction;
    auto claim = [&](std::string_view sql,
                     const std::vector<store::Parameter>& parameters) -> std::optional<DueStatus> {
      transaction.reset();
      auto begun = store::Transaction::begin(**lease);
      if (!begun) {
        database_failed("begin", begun.error());
        return std::nullopt;
      }
      transaction.emplace(std::move(*begun));
      auto rows = transaction->execute(sql, parameters);
      if (!rows) {
        database_failed("claim", rows.error());
        return std::nullopt;
      }
      if (rows->empty()) return std::nullopt;
      return due_status_of(*rows);
    };
    const std::string next_due = std::string(kDueStatusColumns) +
                                 "AND s.next_attempt_at <= now() ORDER BY s.next_attempt_at, s.id "
                                 "LIMIT 1 FOR UPDATE OF s SKIP LOCKED";
    auto due = claim(next_due, {});
    if (!due) return false;

    if (!due->blob_sha256) {
      // Signed and kept before the first attempt: every retry, from any node, sends these bytes,
      // and the hub answers a repeat with its first receipt instead of recording it twice.
      auto blob = build_signed_status(*due);
      if (!blob) {
        record_failure(*transaction, *due, blob.error(), permanent_build_failure(blob.error()),
                       report);
        return true;
      }
      auto kept = transaction->execute(
          "UPDATE outgoing_statuses SET blob_sha256 = $2 WHERE id = $1", {due->id, blob->sha256});
      Status committed = kept ? transaction->commit() : Status(kept.error());
      if (!committed) {
        database_failed("keep_packet", committed.error());
        return false;
      }
      const std::string same_row = std::string(kDueStatusColumns) +
                                   "AND s.id = $1 AND s.blob_sha256 IS NOT NULL "
                                   "FOR UPDATE OF s SKIP LOCKED";
      due = claim(same_row, {due->id});
      if (!due) return true;  // another node took it meanwhile, or it changed
    }

    auto hub = client_for(send_clients, due->agency);
    if (!hub) {
      record_failure(*transaction, *due, hub.error(), false, report);
      return true;
    }
    auto receipt = (*hub)->send(blobs.path_of(*due->blob_sha256));
    if (!receipt) {
      record_failure(*transaction, *due, receipt.error(), refused_by_hub(receipt.error()), report);
      return true;
    }
    boost::system::error_code not_json;
    json::value answer = json::parse(receipt->json, not_json);
    std::string hub_id =
        !not_json && answer.is_object() ? string_field(answer.get_object(), "id") : "";
    auto sent = transaction->execute(
        "UPDATE outgoing_statuses SET state = 'sent', sent_at = now(), "
        "hub_package_id = NULLIF($2, ''), last_error = '' WHERE id = $1",
        {due->id, hub_id});
    Status committed = sent ? transaction->commit() : Status(sent.error());
    if (!committed) {
      // Sent but not recorded: the next attempt sends the same bytes and gets the same receipt.
      database_failed("record_sent", committed.error());
      return false;
    }
    ++report.sent;
    ++statuses_sent;
    log_event("info", "hub_link.status_sent",
              {{"agency", due->agency.code},
               {"status_id", due->id},
               {"status_code", due->status_code},
               {"hub_id", hub_id},
               {"to", due->sender_code},
               {"duplicate", receipt->duplicate() ? "true" : "false"}});
    return true;
  }

  SendReport send_due_statuses() {
    std::lock_guard round(send_mutex);
    SendReport report;
    for (int i = 0; i < kStatusesPerRound && !stopping->load(); ++i) {
      if (!send_next(report)) break;
    }
    return report;
  }

  // Until the earliest pending status is due, within [1 s, poll_interval].
  std::chrono::milliseconds until_next_status() {
    auto lease = database.acquire();
    if (!lease) return settings.poll_interval;
    auto rows = (*lease)->execute(
        "SELECT ceil(extract(epoch FROM min(s.next_attempt_at) - now()) * 1000)::bigint "
        "FROM outgoing_statuses s JOIN agencies a ON a.id = s.agency_id "
        "WHERE s.state = 'pending' AND a.hub_certificate_file IS NOT NULL");
    if (!rows || rows->empty() || rows->is_null(0, 0)) return settings.poll_interval;
    std::chrono::milliseconds wait{rows->integer(0, 0)};
    return std::clamp<std::chrono::milliseconds>(wait, 1s, settings.poll_interval);
  }
};

Result<std::unique_ptr<HubLink>> HubLink::create(HubLinkSettings settings, store::Pool& database,
                                                 const store::BlobStore& blobs,
                                                 const edxml::Parser& parser, Inbox& inbox) {
  auto url = parse_url(settings.hub_url);
  if (!url || !url->tls) {
    return Error{"hub_link.invalid_url", "the hub's agency API is an https URL", settings.hub_url};
  }
  if (settings.hub_ca.empty()) {
    return Error{"hub_link.no_ca", "the CA of the hub's TLS certificate is required", ""};
  }
  std::string ca_pem;
  for (const auto& file : settings.hub_ca) {
    auto text = read_small_file(file);
    if (!text) return std::move(text).error();
    ca_pem += *text + "\n";
  }
  if (settings.poll_interval < 1s) settings.poll_interval = 1s;
  auto impl = std::make_unique<Impl>(std::move(settings), std::move(*url), std::move(ca_pem),
                                     database, blobs, parser, inbox);
  return std::unique_ptr<HubLink>(new HubLink(std::move(impl)));
}

HubLink::HubLink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->stopping = &stopping_;
}

HubLink::~HubLink() { stop(); }

void HubLink::start() {
  assert(!puller_.thread.joinable() && !sender_.thread.joinable());
  const auto poll = impl_->settings.poll_interval;
  puller_.thread = std::thread([this, poll] {
    run(puller_, [this, poll] {
      impl_->reconcile();
      return std::chrono::milliseconds(poll);
    });
  });
  sender_.thread = std::thread([this] {
    run(sender_, [this] {
      impl_->send_due_statuses();
      return impl_->until_next_status();
    });
  });
  log_event("info", "hub_link.started", {{"hub", impl_->settings.hub_url}});
}

void HubLink::run(Loop& loop, const std::function<std::chrono::milliseconds()>& round) {
  while (!stopping_.load()) {
    auto wait = round();
    std::unique_lock lock(loop.mutex);
    loop.wakeup.wait_for(lock, wait, [&] { return loop.woken || stopping_.load(); });
    loop.woken = false;
  }
}

void HubLink::poke(Loop& loop) {
  {
    std::lock_guard lock(loop.mutex);
    loop.woken = true;
  }
  loop.wakeup.notify_all();
}

void HubLink::wake() {
  poke(puller_);
  poke(sender_);
}

void HubLink::wake_status_sender() { poke(sender_); }

void HubLink::stop() {
  bool running = puller_.thread.joinable() || sender_.thread.joinable();
  stopping_.store(true);
  poke(puller_);
  poke(sender_);
  if (puller_.thread.joinable()) puller_.thread.join();
  if (sender_.thread.joinable()) sender_.thread.join();
  if (running) log_event("info", "hub_link.stopped", {});
}

PullReport HubLink::reconcile() { return impl_->reconcile(); }

SendReport HubLink::send_due_statuses() { return impl_->send_due_statuses(); }

HubLinkStats HubLink::stats() const {
  return {impl_->packages_pulled.load(), impl_->packages_acked.load(),
          impl_->pull_failures.load(),   impl_->statuses_sent.load(),
          impl_->status_retries.load(),  impl_->statuses_failed.load()};
}

}  // namespace truc::office
