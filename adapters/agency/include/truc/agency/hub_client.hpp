#pragma once

// agency: the agency side of the hub's agency API (/v1), as any agency system calls it. The truc
// command, the document office's hub link and the end-to-end tests use it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"
#include "truc/https/http_client.hpp"

namespace truc::agency {

// What the hub answered to a package sent (docs/api/openapi.yaml, Receipt).
struct SendReceipt {
  unsigned http_status = 0;
  std::string json;

  // 200 instead of 201: the hub had these bytes already and repeated the first receipt.
  bool duplicate() const { return http_status == 200; }
};

struct InboxQuery {
  std::string kind = "edoc";          // or "status"
  std::optional<unsigned> limit;      // the hub's default (50) when absent
  std::optional<std::string> cursor;  // next_cursor of the previous page
};

struct FetchedPackage {
  std::uint64_t size = 0;
  std::string sha256;  // of the bytes written, checked against the hub's X-Truc-Sha256
  std::string kind;    // X-Truc-Kind: "edoc" or "status"
};

// The agency side of the hub API (/v1): HTTPS with the agency's client certificate. Methods
// return the hub's JSON answers as text; docs/api/openapi.yaml describes them.
class HubClient {
 public:
  // The agency API is HTTPS only ("client.invalid_url" otherwise).
  static Result<HubClient> create(const https::ClientOptions& options);

  // Streams the edXML document in `file` to POST /v1/packages.
  Result<SendReceipt> send(const std::filesystem::path& file,
                           const https::ProgressCallback& progress = {});
  // One page of GET /v1/inbox: {"items": [...], "next_cursor": ...}.
  Result<std::string> inbox(const InboxQuery& query);
  // Streams the package into `output`, which appears only once complete and verified (error
  // "client.digest_mismatch" when the bytes differ from the hub's SHA-256). Replaces an existing
  // file: refusing to is the caller's choice.
  Result<FetchedPackage> fetch(std::string_view id, const std::filesystem::path& output,
                               const https::ProgressCallback& progress = {});
  // {"id", "state": "acked"}; idempotent.
  Result<std::string> ack(std::string_view id);
  // {"id", "state": "nacked"}; final.
  Result<std::string> nack(std::string_view id, std::string_view reason);
  // {"package", "deliveries", "events"}.
  Result<std::string> trace(std::string_view id);

 private:
  HubClient(Url url, https::HttpClient http) : url_(std::move(url)), http_(std::move(http)) {}
  Url url_;
  https::HttpClient http_;
};

}  // namespace truc::agency
