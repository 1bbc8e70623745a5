#include "truc/agency/hub_client.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "truc/common/digest.hpp"
#include "truc/common/file.hpp"

namespace truc::agency {

using https::ClientOptions;
using https::HttpClient;
using https::ProgressCallback;
using https::Response;

namespace {

// Writes the package and hashes it on the way, so that it is verified without reading it again.
class HashingFileSink final : public ByteSink {
 public:
  explicit HashingFileSink(AtomicFileWriter& file) : file_(file) {}
  Status write(std::string_view bytes) override {
    digest_.update(bytes);
    size_ += bytes.size();
    return file_.write(bytes);
  }
  std::uint64_t size() const { return size_; }
  std::string sha256() { return to_hex(digest_.finish()); }

 private:
  AtomicFileWriter& file_;
  Digest digest_{DigestAlgorithm::sha256};
  std::uint64_t size_ = 0;
};

Result<std::string> body_of(Result<Response> response) {
  if (!response) return std::move(response).error();
  return std::move(response->body);
}

}  // namespace

Result<HubClient> HubClient::create(const ClientOptions& options) {
  if (!options.url.tls) {
    return Error{"client.invalid_url", "the agency API is served over https only",
                 options.url.authority()};
  }
  auto http = HttpClient::create(options);
  if (!http) return std::move(http).error();
  return HubClient(options.url, std::move(*http));
}

Result<SendReceipt> HubClient::send(const std::filesystem::path& file,
                                    const ProgressCallback& progress) {
  auto response = http_.upload("POST", make_target(url_, {"v1", "packages"}), "application/xml",
                               file, progress);
  if (!response) return std::move(response).error();
  return SendReceipt{response->status, std::move(response->body)};
}

Result<std::string> HubClient::inbox(const InboxQuery& query) {
  QueryParameters parameters{{"kind", query.kind}};
  if (query.limit) parameters.emplace_back("limit", std::to_string(*query.limit));
  if (query.cursor) parameters.emplace_back("cursor", *query.cursor);
  return body_of(http_.request("GET", make_target(url_, {"v1", "inbox"}, parameters)));
}

Result<FetchedPackage> HubClient::fetch(std::string_view id, const std::filesystem::path& output,
                                        const ProgressCallback& progress) {
  auto file = AtomicFileWriter::create(output);
  if (!file) return std::move(file).error();
  HashingFileSink sink(*file);
  auto response =
      http_.download(make_target(url_, {"v1", "packages", std::string(id)}), sink, progress);
  if (!response) return std::move(response).error();
  FetchedPackage fetched{sink.size(), sink.sha256(), response->header("X-Truc-Kind")};
  std::string announced = response->header("X-Truc-Sha256");
  if (!announced.empty() && !boost::beast::iequals(announced, fetched.sha256)) {
    return Error{"client.digest_mismatch",
                 "the package received differs from the one the hub announced; fetch it again",
                 "SHA-256 announced " + announced + ", received " + fetched.sha256};
  }
  TRUC_TRY(file->commit());
  return fetched;
}

Result<std::string> HubClient::ack(std::string_view id) {
  return body_of(
      http_.request("POST", make_target(url_, {"v1", "packages", std::string(id), "ack"})));
}

Result<std::string> HubClient::nack(std::string_view id, std::string_view reason) {
  boost::json::object body{{"reason", reason}};
  return body_of(http_.request("POST",
                               make_target(url_, {"v1", "packages", std::string(id), "nack"}),
                               "application/json", boost::json::serialize(body)));
}

Result<std::string> HubClient::trace(std::string_view id) {
  return body_of(
      http_.request("GET", make_target(url_, {"v1", "packages", std::string(id), "trace"})));
}

}  // namespace truc::agency
