#pragma once

// adapters/https: the HTTPS client library the hub pushes with and the truc command talks to
// hubs with. Nothing of the hub core: any program that calls an HTTPS API can use it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/common/url.hpp"

namespace truc::https {

// Called as a body moves: `done` bytes so far out of `total` (0 when the size is not known).
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct ClientOptions {
  Url url;
  // What the server's certificate must be, for https (one at least): the CA(s) it chains to, as a
  // PEM file or PEM text; or the SHA-256 of its DER (lowercase hex) — a pinned certificate, then
  // the only one accepted, whatever its issuer and names.
  std::optional<std::filesystem::path> ca_file;
  std::optional<std::string> ca_pem;
  std::optional<std::string> pinned_sha256;
  // Client certificate (chain) and its unencrypted private key, PEM, for mutual TLS: both or
  // neither.
  std::optional<std::filesystem::path> certificate_file;
  std::optional<std::filesystem::path> key_file;
  // The longest one step may take: connecting, the TLS handshake, writing one chunk of a body,
  // reading one. A slow transfer that keeps moving is not cut off; a silent hub is.
  std::chrono::milliseconds operation_timeout = std::chrono::seconds(60);
  // A streamed answer (a downloaded package) larger than this is refused.
  std::uint64_t max_download_bytes = std::uint64_t{1} << 30;
};

struct Header {
  std::string name;
  std::string value;
};

// A 2xx answer of the hub.
struct Response {
  unsigned status = 0;
  std::vector<Header> headers;
  std::string body;  // empty when the body was streamed into a sink

  // The value of the header `name` (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

// A synchronous HTTP/1.1 client of one hub listener: TLS 1.2 or later with the server
// certificate and host name verified (and an optional client certificate), or plain HTTP for the
// loopback monitor. The connection is kept alive across requests and reopened when the hub
// closed it. Bodies stream in bounded chunks both ways, so memory does not grow with their size.
//
// Failures: an answer that is not 2xx becomes the hub's own error (error_from_response); the
// transport's are "client.connect_failed", "client.tls_failed", "client.timeout" and
// "client.protocol". Not thread-safe: one client per thread.
class HttpClient {
 public:
  // Loads the TLS files now, so a wrong path fails before any request ("certificate.invalid",
  // "key.invalid"); connects on the first request.
  static Result<HttpClient> create(const ClientOptions& options);

  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  // Sent with every request, e.g. Authorization.
  void add_default_header(std::string name, std::string value);

  // A request with a small body held in memory (possibly none); the answer's body is read into
  // memory (up to 32 MiB). `headers` are added to this request only.
  Result<Response> request(std::string_view method, const std::string& target,
                           std::string_view content_type = {}, std::string_view body = {},
                           const std::vector<Header>& headers = {});
  // A request whose body streams from `file`; `progress` follows the bytes sent; `headers` are
  // added to this request only.
  Result<Response> upload(std::string_view method, const std::string& target,
                          std::string_view content_type, const std::filesystem::path& file,
                          const ProgressCallback& progress = {},
                          const std::vector<Header>& headers = {});
  // A GET whose 2xx body streams into `sink` (finish() is left to the caller); `progress` follows
  // the bytes received. An error answer is read into memory and returned as an Error instead.
  Result<Response> download(const std::string& target, ByteSink& sink,
                            const ProgressCallback& progress = {});

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Error for an answer that is not 2xx: the hub's {"code", "message", "details"} when the body
// is one, otherwise "client.protocol" naming the HTTP status.
Error error_from_response(unsigned status, std::string_view body);

}  // namespace truc::https
