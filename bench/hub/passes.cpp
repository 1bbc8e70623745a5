#include "passes.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace truc::bench {
namespace {

using namespace std::chrono_literals;

// How long a push may take to come before it counts as failed.
constexpr auto kPushTimeout = 60s;
// Pushes of a package of 134 MB: the hub reads it from disk and sends it over TLS.
constexpr auto kLargePushTimeout = 600s;

double milliseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

CpuShare share_of(const CpuTimes& before, const CpuTimes& after, std::uint64_t items,
                  Seconds elapsed) {
  double per_item = items > 0 ? 1000.0 / static_cast<double>(items) : 0;
  double total = (after.trucd_seconds - before.trucd_seconds) +
                 (after.postgres_seconds - before.postgres_seconds) +
                 (after.benchmark_seconds - before.benchmark_seconds);
  return {(after.trucd_seconds - before.trucd_seconds) * per_item,
          (after.postgres_seconds - before.postgres_seconds) * per_item,
          (after.benchmark_seconds - before.benchmark_seconds) * per_item, total / elapsed.count(),
          (after.trucd_waiting_seconds - before.trucd_waiting_seconds) * per_item};
}

std::string json_text(const std::string& body, const char* key) {
  boost::system::error_code error;
  auto value = boost::json::parse(body, error);
  const auto* object = error ? nullptr : value.if_object();
  const auto* field = object != nullptr ? object->if_contains(key) : nullptr;
  if (field == nullptr || !field->is_string())
    throw std::runtime_error(std::string("no \"") + key + "\" in the receipt: " + body);
  return std::string(field->get_string());
}

// A pass of `run` (one of the load runners), with the CPU each process spent meanwhile.
AcceptPass measure_accepts(HubUnderTest& under_test, PackageQueue& packages,
                           const LoadSettings& settings, std::size_t backlog, auto&& run) {
  under_test.settle_pull_backlog();
  if (backlog > 0) under_test.add_pull_backlog(backlog);
  under_test.reset_statement_times();
  CpuTimes before = under_test.cpu_times();
  Clock::time_point started = Clock::now();
  LoadResult load = run(under_test.client_options(kSenderAgency));
  Seconds elapsed = Clock::now() - started;
  CpuShare cpu = share_of(before, under_test.cpu_times(), load.accepted_in_all, elapsed);
  StatementTimes statements = under_test.statement_times();
  Percentiles latency = latency_of(load.submissions);
  packages.drop_used();
  return {settings, backlog, std::move(load), latency, cpu, std::move(statements)};
}

}  // namespace

AcceptPass run_accept_pass(HubUnderTest& under_test, PackageQueue& packages,
                           const LoadSettings& settings, std::size_t backlog) {
  return measure_accepts(
      under_test, packages, settings, backlog,
      [&](const https::ClientOptions& client) { return run_load(client, packages, settings); });
}

AcceptPass run_truc_client_pass(HubUnderTest& under_test, PackageQueue& packages,
                                const LoadSettings& settings) {
  return measure_accepts(
      under_test, packages, settings, 0, [&](const https::ClientOptions& client) {
        return run_load_with_truc_client(client, packages, settings.warm_up, settings.duration);
      });
}

ReferencePass run_reference_pass(HubUnderTest& under_test, const PgbenchReference& reference,
                                 std::size_t clients, int seconds) {
  CpuTimes before = under_test.cpu_times();
  Clock::time_point started = Clock::now();
  auto measured = reference.measure(clients, seconds);
  if (!measured) throw std::runtime_error(measured.error().to_string());
  Seconds elapsed = Clock::now() - started;
  CpuTimes after = under_test.cpu_times();
  // pgbench is a child of this process, measured apart: this process only waited meanwhile.
  after.benchmark_seconds = before.benchmark_seconds + measured->pgbench_cpu_seconds;
  return {clients, *measured, share_of(before, after, measured->latency.count, elapsed)};
}

PushPass run_push_pass(HubUnderTest& under_test, PackageFactory& to_push, Seconds duration,
                       double rate) {
  LoadSettings settings{.clients = 1, .warm_up = 1s, .duration = duration, .rate = rate};
  PackageQueue packages;
  auto count = static_cast<std::size_t>(rate * (settings.warm_up + duration).count()) + 1;
  auto made = to_push.make_signed(count, kSmallAttachmentBytes, 2);
  if (!made) throw std::runtime_error(made.error().to_string());
  packages.add(std::move(*made));
  LoadResult load = run_load(under_test.client_options(kSenderAgency), packages, settings);

  PushPass pass{rate, latency_of(load.submissions), 0, {}, {}, load.failed, load.first_failure};
  std::vector<double> end_to_end;
  std::vector<double> after_receipt;
  for (const auto& submission : load.submissions) {
    auto arrival = under_test.push_endpoint().wait_for(submission.package_id, kPushTimeout);
    if (!arrival) {
      if (pass.failed++ == 0) pass.first_failure = "no push of " + submission.package_id;
      continue;
    }
    ++pass.pushed;
    end_to_end.push_back(milliseconds(arrival->at - submission.started));
    after_receipt.push_back(milliseconds(arrival->at - submission.answered));
  }
  pass.end_to_end = percentiles(std::move(end_to_end));
  pass.after_receipt = percentiles(std::move(after_receipt));
  return pass;
}

LargePackagePass run_large_package_pass(HubUnderTest& under_test, PackageFactory& to_push,
                                        std::uint64_t attachment_bytes) {
  auto file = to_push.write_signed_file(attachment_bytes);
  if (!file) throw std::runtime_error(file.error().to_string());
  LargePackagePass pass;
  pass.document_bytes = std::filesystem::file_size(*file);
  auto http = https::HttpClient::create(under_test.client_options(kSenderAgency));
  if (!http) throw std::runtime_error(http.error().to_string());
  const std::string target =
      make_target(under_test.client_options(kSenderAgency).url, {"v1", "packages"});

  under_test.reset_trucd_peak_memory();
  pass.rss_before_bytes = under_test.trucd_memory().resident_bytes;
  Clock::time_point started = Clock::now();
  auto answer = http->upload("POST", target, "application/xml", *file);
  Clock::time_point answered = Clock::now();
  if (!answer) throw std::runtime_error("the large package: " + answer.error().to_string());
  std::string id = json_text(answer->body, "id");
  auto arrival = under_test.push_endpoint().wait_for(id, kLargePushTimeout);
  if (!arrival) throw std::runtime_error("the large package was not pushed");
  MemoryUsage after = under_test.trucd_memory();

  pass.seconds_to_receipt = Seconds(answered - started).count();
  pass.seconds_to_push = Seconds(arrival->at - started).count();
  pass.peak_rss_growth_bytes = after.peak_resident_bytes > pass.rss_before_bytes
                                   ? after.peak_resident_bytes - pass.rss_before_bytes
                                   : 0;
  pass.push_intact = arrival->sha256 == json_text(answer->body, "sha256");
  std::filesystem::remove(*file);
  return pass;
}

}  // namespace truc::bench
