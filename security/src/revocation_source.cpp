#include "truc/security/revocation_source.hpp"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "truc/common/digest.hpp"
#include "truc/common/file.hpp"
#include "truc/security/http_exchange.hpp"

namespace truc::security {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::size_t kMaxCrlBytes = 64u << 20;

Error fetch_failed(const std::string& url, std::string reason) {
  return Error{"revocation.fetch_failed", "a CRL could not be fetched", url + ": " + reason};
}

Result<std::string> http_get(const std::string& url, std::chrono::seconds timeout) {
  auto answer = http_exchange(url, {}, {}, timeout, kMaxCrlBytes);
  if (!answer) return fetch_failed(url, answer.error().detail);
  return answer;
}

std::optional<Clock::time_point> crl_time(const ASN1_TIME* time) {
  if (time == nullptr) return std::nullopt;
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  return Clock::from_time_t(timegm(&parts));
}

// What a URL serves: its CRL and when to ask again.
struct Entry {
  std::shared_ptr<const CrlSet> crl;  // null until one is had
  std::optional<Clock::time_point> this_update, next_update;
  Clock::time_point due{};
};

X509_CRL* only_crl(const CrlSet& set) { return sk_X509_CRL_value(set.native(), 0); }

}  // namespace

std::vector<std::string> crl_distribution_points(const Certificate& certificate) {
  std::vector<std::string> urls;
  auto* points = static_cast<STACK_OF(DIST_POINT)*>(
      X509_get_ext_d2i(certificate.native(), NID_crl_distribution_points, nullptr, nullptr));
  if (points == nullptr) return urls;
  for (int index = 0; index < sk_DIST_POINT_num(points); ++index) {
    DIST_POINT* point = sk_DIST_POINT_value(points, index);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;  // not fullName
    GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int name_index = 0; name_index < sk_GENERAL_NAME_num(names); ++name_index) {
      GENERAL_NAME* name = sk_GENERAL_NAME_value(names, name_index);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<std::size_t>(ASN1_STRING_length(uri)));
      // LDAP distribution points are common beside HTTP ones; only HTTP is fetched.
      if (url.starts_with("http://")) urls.push_back(std::move(url));
    }
  }
  sk_DIST_POINT_pop_free(points, DIST_POINT_free);
  return urls;
}

struct RevocationSource::State {
  RevocationSourceOptions options;
  std::shared_ptr<const CrlSet> files;
  std::shared_ptr<CurrentCrls> current = std::make_shared<CurrentCrls>();

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::map<std::string, Entry> entries;  // by URL
  RevocationSourceStats stats;
  bool stopping = false;
  bool refresh_requested = false;
  std::thread thread;

  std::filesystem::path cache_file(const std::string& url) const {
    return options.cache_directory / (sha256_hex(url) + ".crl");
  }

  // Whether one of the known CAs issued the CRL. Anyone on the path can answer a plain HTTP GET,
  // and a CRL that OpenSSL refuses when it uses it would displace the good one held and make
  // every verification under that CA fail.
  bool from_known_ca(const CrlSet& crl) const {
    return std::ranges::any_of(options.certificates,
                               [&](const Certificate& ca) { return crl.issued_by(ca); });
  }

  // Takes a CRL unless it is older than the one held: over plain HTTP an old (validly signed)
  // CRL could be replayed to hide a later revocation.
  bool accept(Entry& entry, std::shared_ptr<const CrlSet> crl) {
    X509_CRL* native = only_crl(*crl);
    auto this_update = crl_time(X509_CRL_get0_lastUpdate(native));
    if (entry.this_update && this_update && *this_update < *entry.this_update) return false;
    entry.crl = std::move(crl);
    entry.this_update = this_update;
    entry.next_update = crl_time(X509_CRL_get0_nextUpdate(native));
    return true;
  }

  // When to fetch again after a success: halfway to nextUpdate, so that a failed attempt still
  // leaves time for retries before the CRL lapses, and no later than the refresh interval.
  Clock::time_point due_after_success(const Entry& entry, Clock::time_point now) const {
    Clock::time_point due = now + options.refresh_interval;
    if (entry.next_update && *entry.next_update > now)
      due = std::min(due, now + (*entry.next_update - now) / 2);
    else if (entry.next_update)
      due = std::min(due, now + options.retry_interval);
    return std::max(due, now + std::chrono::seconds(1));
  }

  void load_cache() {
    if (options.cache_directory.empty()) return;
    for (auto& [url, entry] : entries) {
      auto bytes = read_small_file(cache_file(url), kMaxCrlBytes);
      if (!bytes) continue;
      // Checked like a fetch: whoever can write the directory could have put any file there.
      if (auto crl = CrlSet::parse(*bytes); crl && from_known_ca(**crl))
        accept(entry, std::move(*crl));
    }
  }

  void store_cache(const std::string& url, const std::string& bytes) const {
    if (options.cache_directory.empty()) return;
    auto path = cache_file(url);
    auto temporary = path;
    temporary += ".tmp";
    {
      std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
      stream << bytes;
      if (!stream) return;  // the cache is an aid; the CRL is in force in memory all the same
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
  }

  // Fetches one URL (without the lock held) and records the outcome.
  Status fetch(const std::string& url) {
    auto bytes = http_get(url, options.fetch_timeout);
    std::shared_ptr<const CrlSet> crl;
    Status outcome = ok_status();
    if (!bytes) {
      outcome = std::move(bytes).error();
    } else if (auto parsed = CrlSet::parse(*bytes); !parsed) {
      outcome = fetch_failed(url, "the answer is not a CRL");
    } else if (!from_known_ca(**parsed)) {
      outcome = fetch_failed(url, "the CRL is not signed by a known CA");
    } else {
      crl = std::move(*parsed);
    }
    std::lock_guard lock(mutex);
    Entry& entry = entries[url];
    auto now = Clock::now();
    if (crl != nullptr && accept(entry, crl)) {
      ++stats.fetches;
      entry.due = due_after_success(entry, now);
      store_cache(url, *bytes);
      return ok_status();
    }
    if (crl != nullptr) outcome = fetch_failed(url, "the CRL is older than the one held");
    ++stats.fetch_failures;
    entry.due = now + std::min(options.retry_interval, options.refresh_interval);
    return outcome;
  }

  // Puts the files and every CRL held in force as one new set.
  void publish() {
    std::vector<std::shared_ptr<const CrlSet>> parts{files};
    std::size_t without = 0;
    {
      std::lock_guard lock(mutex);
      for (const auto& [url, entry] : entries) {
        if (entry.crl != nullptr) {
          parts.push_back(entry.crl);
        } else {
          ++without;
        }
      }
      stats.urls = entries.size();
      stats.urls_without_crl = without;
    }
    auto merged = CrlSet::merge(parts);
    std::size_t count = merged->size();
    current->replace(std::move(merged));
    std::lock_guard lock(mutex);
    stats.crls = count;
  }

  std::vector<std::string> urls() const {
    std::lock_guard lock(mutex);
    std::vector<std::string> all;
    for (const auto& [url, entry] : entries) all.push_back(url);
    return all;
  }

  Status fetch_all() {
    Status first = ok_status();
    for (const auto& url : urls()) {
      Status fetched = fetch(url);
      if (!fetched && first) first = fetched;
    }
    publish();
    return first;
  }

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      Clock::time_point next = Clock::time_point::max();
      for (const auto& [url, entry] : entries) next = std::min(next, entry.due);
      if (!refresh_requested) {
        if (next == Clock::time_point::max()) {
          wake.wait(lock);
        } else {
          wake.wait_until(lock, next);
        }
      }
      if (stopping) break;
      bool everything = std::exchange(refresh_requested, false);
      auto now = Clock::now();
      std::vector<std::string> due;
      for (const auto& [url, entry] : entries)
        if (everything || entry.due <= now) due.push_back(url);
      if (due.empty()) continue;
      lock.unlock();
      for (const auto& url : due) (void)fetch(url);  // counted in stats; retried when due
      publish();
      lock.lock();
    }
  }
};

RevocationSource::RevocationSource(std::unique_ptr<State> state) : state_(std::move(state)) {}

RevocationSource::~RevocationSource() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

Result<std::unique_ptr<RevocationSource>> RevocationSource::open(RevocationSourceOptions options) {
  auto state = std::make_unique<State>();
  auto files = CrlSet::load_files(options.crl_files);
  if (!files) return std::move(files).error();
  state->files = std::move(*files);
  std::set<std::string> urls(options.crl_urls.begin(), options.crl_urls.end());
  for (const auto& certificate : options.certificates) {
    for (auto& url : crl_distribution_points(certificate)) urls.insert(std::move(url));
  }
  for (const auto& url : urls) {
    if (!url.starts_with("http://"))
      return Error{"config.invalid", "CRL URLs must be http:// URLs", url};
    state->entries[url];
  }
  if (!options.cache_directory.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.cache_directory, error);
    if (error) return Error{"io.open", error.message(), options.cache_directory.string()};
  }
  state->options = std::move(options);
  state->load_cache();
  (void)state->fetch_all();  // failures are in stats(); the cached CRLs stand meanwhile
  return std::unique_ptr<RevocationSource>(new RevocationSource(std::move(state)));
}

std::shared_ptr<const CurrentCrls> RevocationSource::crls() const { return state_->current; }

Status RevocationSource::refresh() { return state_->fetch_all(); }

void RevocationSource::start() {
  if (state_->thread.joinable()) return;
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

void RevocationSource::refresh_soon() {
  {
    std::lock_guard lock(state_->mutex);
    state_->refresh_requested = true;
  }
  state_->wake.notify_all();
}

RevocationSourceStats RevocationSource::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace truc::security
