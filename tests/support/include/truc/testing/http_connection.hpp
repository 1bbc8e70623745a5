#pragma once

// Test-side helpers for end-to-end tests of HTTP servers: a blocking HTTP/1.1 client on one
// connection (plain or TLS, with knobs to offer what the server must refuse), a collector for
// RequestRecords, and a server running on its own thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "truc/http/server.hpp"

namespace truc::http::testing {

struct ClientTls {
  std::filesystem::path server_ca;  // verifies the server's certificate
  std::optional<std::filesystem::path> certificate;
  std::optional<std::filesystem::path> private_key;
  // Protocol bounds and TLS 1.2 cipher list the client offers (0 / empty: OpenSSL's defaults).
  int min_version = 0;
  int max_version = 0;
  std::string tls12_ciphers;
  // Security level 0, so that the client is willing to offer what the server must refuse
  // (OpenSSL 3 only speaks TLS 1.1 at level 0).
  bool allow_legacy = false;
};

struct Reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  bool keep_alive = false;

  std::string header(const std::string& name) const;
};

// One connection, used from one thread. Constructors throw std::runtime_error when the
// connection or the TLS handshake fails (the message says why).
class Connection {
 public:
  explicit Connection(std::uint16_t port);
  Connection(std::uint16_t port, const ClientTls& tls);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Reply request(const std::string& method, const std::string& target, const std::string& body = "",
                const std::vector<std::pair<std::string, std::string>>& headers = {});
  void send_raw(const std::string& bytes);
  Reply read_reply();
  // True when the server closes the connection (EOF or reset) within `limit`; reads and drops
  // whatever comes before.
  bool closed_by_server_within(std::chrono::milliseconds limit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RequestRecords as the server reports them, for tests to wait on.
class RecordLog {
 public:
  std::function<void(const RequestRecord&)> observer();
  // Waits until at least `count` records arrived (up to 10 s) and returns them all.
  std::vector<RequestRecord> wait_for(std::size_t count);

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<RequestRecord> records_;
};

// run() on a thread of its own; the destructor drains with no grace and joins.
class RunningServer {
 public:
  explicit RunningServer(HttpServer& server);
  ~RunningServer();
  // True when run() returned within `limit`.
  bool stopped_within(std::chrono::milliseconds limit);

 private:
  HttpServer& server_;
  std::future<void> finished_;
  std::thread thread_;
};

// Polls `condition` every millisecond for up to 10 s: for states no event announces, such as a
// request waiting in the worker queue.
bool eventually(const std::function<bool()>& condition);

std::string sha256_file_hex(const std::filesystem::path& path);
// `size` bytes of a repeating pattern, written in pieces.
void write_pattern_file(const std::filesystem::path& path, std::uint64_t size);
// An argument vector for curl with the options every test wants (silent, errors shown, no
// proxy from the environment).
std::vector<std::string> curl_command(std::vector<std::string> arguments);

}  // namespace truc::http::testing
