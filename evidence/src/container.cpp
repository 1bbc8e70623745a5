#include "truc/evidence/container.hpp"

#include <boost/json.hpp>

#include "truc/common/base64.hpp"
#include "truc/common/digest.hpp"

namespace truc::evidence {
namespace {

namespace json = boost::json;

Error container_invalid(std::string member) {
  return Error{"evidence.container_invalid", "this is not a readable evidence container",
               std::move(member)};
}

json::object entry_json(const Entry& entry) {
  return {{"seq", entry.seq},
          {"kind", entry.kind},
          {"message_id", entry.message_id},
          {"actor", entry.actor},
          {"recipient_code", entry.recipient_code},
          {"package_sha256", entry.package_sha256},
          {"recorded_at", format_iso8601(entry.recorded_at)},
          {"previous_hash", entry.previous_hash},
          {"entry_hash", entry.entry_hash}};
}

// Reads members of one JSON object, remembering the first that is missing or mistyped.
class Reader {
 public:
  Reader(const json::value* value, std::string path, std::optional<std::string>& failed)
      : object_(value != nullptr ? value->if_object() : nullptr),
        path_(std::move(path)),
        failed_(failed) {
    if (object_ == nullptr) fail("");
  }

  std::string text(std::string_view key) {
    const json::value* value = find(key);
    if (value == nullptr || !value->is_string()) return fail(key), std::string();
    return std::string(value->as_string());
  }
  std::optional<std::string> optional_bytes(std::string_view key) {
    const json::value* value = find(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return bytes(key);
  }
  // Only the canonical base64 of the bytes: another spelling of the same bytes (unused bits
  // set, line breaks) is a changed container too.
  std::string bytes(std::string_view key) {
    std::string encoded = text(key);
    auto decoded = base64_decode(encoded);
    if (!decoded || base64_encode(*decoded) != encoded) return fail(key), std::string();
    return std::move(*decoded);
  }
  std::int64_t integer(std::string_view key) {
    const json::value* value = find(key);
    if (value == nullptr || !value->is_int64()) return fail(key), 0;
    return value->as_int64();
  }
  Instant instant(std::string_view key) {
    std::string value = text(key);
    // "YYYY-MM-DDTHH:MM:SS.mmmZ": the seconds part parses as ISO 8601, the milliseconds follow.
    if (value.size() != 24 || value[19] != '.' || value[23] != 'Z') return fail(key), Instant();
    auto seconds = parse_iso8601(value.substr(0, 19) + "Z");
    int milliseconds = 0;
    for (std::size_t index = 20; index < 23; ++index) {
      if (value[index] < '0' || value[index] > '9') return fail(key), Instant();
      milliseconds = milliseconds * 10 + (value[index] - '0');
    }
    if (!seconds) return fail(key), Instant();
    return Instant(*seconds) + std::chrono::milliseconds(milliseconds);
  }
  const json::array* array(std::string_view key) {
    const json::value* value = find(key);
    if (value == nullptr || !value->is_array()) return fail(key), nullptr;
    return &value->as_array();
  }
  const json::value* member(std::string_view key) { return find(key); }
  std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

 private:
  const json::value* find(std::string_view key) const {
    return object_ == nullptr ? nullptr : object_->if_contains(key);
  }
  void fail(std::string_view key) {
    if (!failed_) failed_ = key.empty() ? path_ : path_of(key);
  }

  const json::object* object_;
  std::string path_;
  std::optional<std::string>& failed_;
};

}  // namespace

std::string encode_container(const Container& container) {
  json::array packages;
  for (const auto& package : container.packages) {
    packages.push_back(json::object{{"message_id", package.message_id},
                                    {"kind", package.kind},
                                    {"bytes", base64_encode(package.bytes)}});
  }
  json::array entries;
  for (const auto& entry : container.entries) entries.push_back(entry_json(entry));
  const ContainedBatch& batch = container.batch;
  json::object sealed{{"first_seq", batch.first_seq},
                      {"last_seq", batch.last_seq},
                      {"last_entry_hash", batch.last_entry_hash},
                      {"seal_signature", base64_encode(batch.seal_signature)},
                      {"seal_certificate", batch.seal_certificate},
                      {"tsa_token", batch.tsa_token ? json::value(base64_encode(*batch.tsa_token))
                                                    : json::value(nullptr)}};
  json::object document{{"format", kContainerFormat},
                        {"message_id", container.message_id},
                        {"packages", std::move(packages)},
                        {"entries", std::move(entries)},
                        {"batch", std::move(sealed)}};
  return json::serialize(document) + "\n";
}

Result<Container> decode_container(std::string_view text) {
  boost::system::error_code error;
  json::value document = json::parse(text, error);
  if (error) return container_invalid("not JSON: " + error.message());
  std::optional<std::string> failed;
  Reader root(&document, "", failed);
  if (root.text("format") != kContainerFormat && !failed) return container_invalid("format");
  Container container;
  container.message_id = root.text("message_id");
  if (const auto* packages = root.array("packages")) {
    for (std::size_t index = 0; index < packages->size(); ++index) {
      Reader package(&(*packages)[index], "packages[" + std::to_string(index) + "]", failed);
      container.packages.push_back(
          {package.text("message_id"), package.text("kind"), package.bytes("bytes")});
    }
  }
  if (const auto* entries = root.array("entries")) {
    for (std::size_t index = 0; index < entries->size(); ++index) {
      Reader entry(&(*entries)[index], "entries[" + std::to_string(index) + "]", failed);
      container.entries.push_back(
          {entry.integer("seq"), entry.text("kind"), entry.text("message_id"), entry.text("actor"),
           entry.text("recipient_code"), entry.text("package_sha256"), entry.instant("recorded_at"),
           entry.text("previous_hash"), entry.text("entry_hash")});
    }
  }
  Reader batch(root.member("batch"), "batch", failed);
  container.batch.first_seq = batch.integer("first_seq");
  container.batch.last_seq = batch.integer("last_seq");
  container.batch.last_entry_hash = batch.text("last_entry_hash");
  container.batch.seal_signature = batch.bytes("seal_signature");
  container.batch.seal_certificate = batch.text("seal_certificate");
  container.batch.tsa_token = batch.optional_bytes("tsa_token");
  if (failed) return container_invalid(*failed);
  // A container is about a package and ends in a sealed batch: it has one of each at least.
  if (container.packages.empty()) return container_invalid("packages: none");
  if (container.entries.empty()) return container_invalid("entries: none");
  return container;
}

}  // namespace truc::evidence
