// Arbitrary bytes through the parsers that read what HTTP clients send before any handler trusts
// it: multipart/form-data uploads, the national platform's HMAC headers, timestamps, hash-file
// values and small bodies (the compat face), request targets, and the URLs and targets the client
// side builds. The first byte selects the parser (kSelectors), the rest is its input. Every
// outcome must be a typed Error or a value; a crash, a leak, a sanitizer report, an escaping
// exception or a broken contract checked below is a bug (docs/fuzzing.md).

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compat_call.hpp"
#include "hmac_auth.hpp"
#include "truc/common/ascii.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/error.hpp"
#include "truc/common/url.hpp"
#include "truc/http/http.hpp"
#include "truc/http/multipart.hpp"
#include "truc/http/request_target.hpp"

namespace {

// A broken contract is a bug like a crash: abort so that libFuzzer keeps the input. Not
// assert(): the replay test also runs in builds with NDEBUG.
void require(bool condition, std::string_view what, const std::string& detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "http_parse_fuzz: contract broken: %.*s %s\n", static_cast<int>(what.size()),
               what.data(), detail.c_str());
  std::abort();
}

void require_error(const truc::Error& error, std::initializer_list<std::string_view> codes) {
  require(std::find(codes.begin(), codes.end(), error.code) != codes.end(),
          "error code outside the documented ones", error.to_string());
  require(!error.message.empty(), "error without a message", error.code);
}

bool is_lowercase(std::string_view text) { return truc::ascii_lowercase(text) == text; }

// --- multipart ---------------------------------------------------------------------------------

// Limits far below production so that mutations reach every one of them.
truc::http::MultipartLimits multipart_limits() {
  truc::http::MultipartLimits limits;
  limits.max_field_bytes = 256;
  limits.max_header_bytes = 128;
  limits.max_parts = 8;
  limits.max_preamble_bytes = 512;
  return limits;
}

// Hands out the body in reads whose sizes follow from `seed` (seed 0: one byte at a time), so
// that the input chooses where reads end.
class ChoppedSource final : public truc::ByteSource {
 public:
  ChoppedSource(std::string_view bytes, std::uint8_t seed)
      : remaining_(bytes), state_(seed), largest_(1u + 2u * seed) {}
  truc::Result<std::size_t> read(std::span<char> buffer) override {
    state_ = state_ * 1103515245u + 12345u;
    std::size_t step = 1 + (state_ >> 16) % largest_;
    std::size_t count = std::min({buffer.size(), remaining_.size(), step});
    std::copy_n(remaining_.data(), count, buffer.data());  // an empty view may hold null
    remaining_.remove_prefix(count);
    return count;
  }

 private:
  std::string_view remaining_;
  std::uint32_t state_;
  std::uint32_t largest_;
};

struct MultipartOutcome {
  std::string code;  // empty on success
  std::string detail;
  std::map<std::string, std::string> fields;
  bool has_file = false;
  std::string file;

  bool operator==(const MultipartOutcome&) const = default;
};

MultipartOutcome read_form(truc::ByteSource& body, std::string_view boundary) {
  const truc::http::MultipartLimits limits = multipart_limits();
  truc::StringSink file;
  auto form = truc::http::read_multipart(body, boundary, "File_Doc", file, limits);
  MultipartOutcome outcome;
  if (!form) {
    // The memory source and the string sink never fail: only the multipart codes remain.
    require_error(form.error(), {"request.multipart_invalid", "request.multipart_truncated"});
    outcome.code = form.error().code;
    outcome.detail = form.error().detail;
    return outcome;
  }
  require(form->file_size == file.text().size(), "file_size is not what the sink received");
  require(form->has_file || file.text().empty(), "file bytes without a file part");
  require(form->fields.size() <= limits.max_parts, "more fields than max_parts");
  for (const auto& [name, value] : form->fields) {
    require(!name.empty() && is_lowercase(name), "a field name is empty or not lowercase", name);
    require(name != "file_doc", "the file part became a field");
    require(value.size() <= limits.max_field_bytes, "a field over max_field_bytes", name);
  }
  outcome.fields = form->fields;
  outcome.has_file = form->has_file;
  outcome.file = file.text();
  return outcome;
}

// Input: one byte choosing the read sizes, the Content-Type value up to the first '\n', the body.
void fuzz_multipart(std::string_view input) {
  if (input.empty()) return;
  const auto seed = static_cast<std::uint8_t>(input.front());
  input.remove_prefix(1);
  auto newline = input.find('\n');
  std::string_view content_type = input.substr(0, newline);
  std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto boundary = truc::http::multipart_boundary(content_type);
  if (boundary) {
    require(!boundary->empty() && boundary->size() <= 70, "a boundary of 0 or over 70 characters",
            *boundary);
  }
  // Without a valid boundary the body is still worth reading: under the seeds' boundary.
  const std::string used = boundary.value_or("b");

  truc::MemorySource whole(body);
  ChoppedSource chopped(body, seed);
  MultipartOutcome at_once = read_form(whole, used);
  MultipartOutcome in_pieces = read_form(chopped, used);
  // The outcome is the body's, not the network's: where reads end must not change it.
  require(at_once == in_pieces, "the outcome depends on where reads end",
          "at once: " + (at_once.code.empty() ? "ok" : at_once.code + " " + at_once.detail) +
              "; in pieces: " +
              (in_pieces.code.empty() ? "ok" : in_pieces.code + " " + in_pieces.detail));
}

// --- compat face -------------------------------------------------------------------------------

constexpr std::string_view kSecret = "http-parse-fuzz-secret";

// "name: value" lines; names lowercased as http::Request keeps them.
std::vector<std::pair<std::string, std::string>> header_lines(std::string_view input) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!input.empty()) {
    auto newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(truc::ascii_lowercase(line.substr(0, colon)),
                         std::string(truc::trim_blanks(line.substr(colon + 1))));
  }
  return headers;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  require(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
               reinterpret_cast<const unsigned char*>(message.data()), message.size(),
               digest.data(), &length) != nullptr,
          "HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

void check_timestamp_of(std::string_view timestamp);

void fuzz_signed_headers(std::string_view input) {
  const auto headers = header_lines(input);
  auto signed_headers = truc::api::read_signed_headers(headers);
  if (!signed_headers) {
    require_error(signed_headers.error(), {"auth.hmac_missing", "auth.hmac_invalid"});
    return;
  }
  require(signed_headers->hash_header.size() == 32, "a hash header that is not 32 bytes");
  require(signed_headers->value("SystemId") == signed_headers->system_id,
          "system_id is not the signed systemid");
  require(signed_headers->value("Timestamp") == signed_headers->timestamp,
          "timestamp is not the signed timestamp");
  for (const auto& signed_header : signed_headers->values) {
    // Named references, not a structured binding: clang-14 cannot capture those in a lambda.
    const std::string& name = signed_header.first;
    const std::string& value = signed_header.second;
    require(is_lowercase(name), "a signed name is not lowercase", name);
    bool sent = std::any_of(headers.begin(), headers.end(), [&](const auto& header) {
      return header.first == "xroadvnpt-" + name && header.second == value;
    });
    require(sent, "a signed header the request does not carry", name);
  }

  // The input's HMAC is almost never right; the true one must be, and a flipped bit not.
  auto verified = truc::api::verify_hmac(*signed_headers, kSecret);
  if (!verified) require_error(verified.error(), {"auth.hmac_invalid"});
  truc::api::SignedHeaders honest = *signed_headers;
  honest.hash_header = hmac_sha256(kSecret, honest.sign_header);
  require(static_cast<bool>(truc::api::verify_hmac(honest, kSecret)), "the true HMAC is refused");
  require(verified.ok() == (honest.hash_header == signed_headers->hash_header),
          "verify_hmac disagrees with HMAC-SHA256");
  honest.hash_header[honest.hash_header.size() / 2] ^= 0x01;
  auto forged = truc::api::verify_hmac(honest, kSecret);
  require(!forged, "a forged HMAC is accepted");
  require(forged.error().to_string() == truc::api::hmac_refusal().to_string(),
          "a wrong HMAC is refused in other words than hmac_refusal()", forged.error().to_string());

  check_timestamp_of(signed_headers->timestamp);
}

// ddMMyyyy'T'HHmmss+0SSS, the platform SDK's form: Vietnam wall-clock time and milliseconds.
std::string platform_timestamp(std::chrono::system_clock::time_point instant) {
  using namespace std::chrono;
  auto local = time_point_cast<milliseconds>(instant) + hours(7);
  auto day = floor<days>(local);
  year_month_day date(day);
  hh_mm_ss<milliseconds> time(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%02u%02u%04dT%02d%02d%02d+%04d",
                static_cast<unsigned>(date.day()), static_cast<unsigned>(date.month()),
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

void check_timestamp_of(std::string_view timestamp) {
  using namespace std::chrono;
  constexpr seconds kSkew{300};
  auto parsed = truc::api::parse_platform_timestamp(timestamp);
  // A fixed clock: an outcome depends on the input alone, so every crash replays.
  const auto now = sys_days(year(2027) / January / 1);
  auto checked = truc::api::check_timestamp(timestamp, now, kSkew);
  if (!parsed) {
    require_error(parsed.error(), {"auth.timestamp_invalid"});
    require(parsed.error().detail == timestamp, "the detail is not the timestamp");
    require(!checked && checked.error().code == "auth.timestamp_invalid",
            "check_timestamp accepts what parse_platform_timestamp refuses");
    return;
  }
  if (!checked) require_error(checked.error(), {"auth.timestamp_stale"});
  require(timestamp.size() == 20, "a timestamp that is not 20 characters is accepted");
  // Years 2000 to 2199 in local time, offsets of at most 14 hours.
  const auto earliest = sys_days(year(2000) / January / 1) - hours(15);
  const auto latest = sys_days(year(2200) / January / 1) + hours(15);
  require(*parsed >= earliest && *parsed < latest, "an instant outside 2000-2199",
          std::string(timestamp));

  const auto instant = *parsed;
  require(static_cast<bool>(truc::api::check_timestamp(timestamp, instant + kSkew, kSkew)) &&
              static_cast<bool>(truc::api::check_timestamp(timestamp, instant - kSkew, kSkew)),
          "a timestamp max_skew away is stale", std::string(timestamp));
  auto old = truc::api::check_timestamp(timestamp, instant + kSkew + seconds(1), kSkew);
  auto ahead = truc::api::check_timestamp(timestamp, instant - kSkew - seconds(1), kSkew);
  require(!old && old.error().code == "auth.timestamp_stale" && !ahead &&
              ahead.error().code == "auth.timestamp_stale",
          "a timestamp beyond max_skew is not stale", std::string(timestamp));

  // What the SDK would write for that instant reads back as the same instant (when its Vietnam
  // date is still in 2000-2199: an offset can move it out).
  const auto vietnam_year = year_month_day(floor<days>(instant + hours(7))).year();
  if (vietnam_year < year(2000) || vietnam_year > year(2199)) return;
  std::string rewritten = platform_timestamp(instant);
  auto reread = truc::api::parse_platform_timestamp(rewritten);
  require(reread && *reread == time_point_cast<milliseconds>(instant),
          "the SDK's form of an instant does not read back", rewritten);
}

void fuzz_timestamp(std::string_view input) { check_timestamp_of(input); }

// Input: the 32-byte digest (zero-padded when shorter), then the signed value.
void fuzz_file_hash(std::string_view input) {
  std::string digest(input.substr(0, 32));
  digest.resize(32, '\0');
  std::string_view signed_value = input.size() > 32 ? input.substr(32) : std::string_view();

  const std::string hex = truc::to_hex(digest);
  require(truc::api::file_hash_matches(hex, digest), "the hex digest does not match");
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char character) {
    return static_cast<char>(std::toupper(character));
  });
  require(truc::api::file_hash_matches(" " + upper + "\t", digest),
          "the uppercase hex digest with blanks does not match");

  if (truc::api::file_hash_matches(signed_value, digest)) {
    std::string value = truc::ascii_lowercase(truc::trim_blanks(signed_value));
    require(value.size() >= 32 && value.size() <= 64 &&
                value.find_first_not_of("0123456789abcdef") == std::string::npos,
            "a value that is not 32 to 64 hex digits matches", value);
  }
}

void fuzz_body_fields(std::string_view input) {
  truc::http::Request request;
  request.method = "POST";
  request.body = std::string(input);
  auto fields = truc::api::body_fields(request);
  if (!fields) {
    require_error(fields.error(), {"request.invalid_body"});
    return;
  }
  for (const auto& [name, value] : *fields) {
    require(is_lowercase(name), "a body field name is not lowercase", name);
  }
}

// --- request targets and URLs ------------------------------------------------------------------

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> segments;
  path.remove_prefix(1);  // parse_request_target's paths start with '/'
  while (true) {
    auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

void fuzz_request_target(std::string_view input) {
  auto target = truc::http::parse_request_target(input);
  if (!target) {
    require_error(target.error(), {"request.malformed"});
    return;
  }
  require(!target->path.empty() && target->path.front() == '/', "a path without a leading '/'",
          target->path);
  require(target->path.find('\0') == std::string::npos, "a NUL in a decoded path");

  // What the client side (make_target) builds from the decoded path and query reads back the
  // same: segments and parameters travel as data, whatever bytes they hold.
  truc::Url url;
  truc::QueryParameters query(target->query.begin(), target->query.end());
  std::string rebuilt = truc::make_target(url, path_segments(target->path), query);
  auto reread = truc::http::parse_request_target(rebuilt);
  require(static_cast<bool>(reread), "make_target built a target the server refuses", rebuilt);
  require(reread->path == target->path && reread->query == target->query,
          "a target made from a parsed one reads back differently", rebuilt);
}

void fuzz_url(std::string_view input) {
  auto url = truc::parse_url(input);
  if (!url) {
    require_error(url.error(), {"client.invalid_url"});
    return;
  }
  require(!url->host.empty() && url->port != 0, "a URL without a host or port");
  require(url->base_path.empty() || url->base_path.back() != '/', "a base path ending in '/'",
          url->base_path);
  require(!url->authority().empty(), "an empty authority");
  std::string target = truc::make_target(*url, {"a/b", "c d+"}, {{"k&", "v="}});
  require(target == url->base_path + "/a%2Fb/c%20d%2B?k%26=v%3D",
          "make_target does not encode below the base path", target);
}

// The selector byte: a letter for the committed seeds' sake, any other byte by its value.
struct Selector {
  char letter;
  void (*fuzz)(std::string_view);
};
constexpr std::array<Selector, 7> kSelectors{{{'m', fuzz_multipart},
                                              {'h', fuzz_signed_headers},
                                              {'t', fuzz_timestamp},
                                              {'f', fuzz_file_hash},
                                              {'b', fuzz_body_fields},
                                              {'r', fuzz_request_target},
                                              {'u', fuzz_url}}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto selector = static_cast<char>(data[0]);
  auto chosen = std::find_if(kSelectors.begin(), kSelectors.end(),
                             [&](const Selector& entry) { return entry.letter == selector; });
  if (chosen == kSelectors.end()) chosen = kSelectors.begin() + data[0] % kSelectors.size();
  chosen->fuzz(input);
  return 0;
}
