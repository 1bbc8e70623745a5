#pragma once

// HTTP/1.1 listeners on Boost.Beast with C++20 coroutines: TLS 1.2+ (optionally requesting client
// certificates), a deadline on every read and write, header and body limits, keep-alive, request
// handling on a bounded worker pool, and a graceful drain.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/http/http.hpp"

namespace truc::security {
class CurrentCrls;
}

namespace truc::http {

struct TlsSettings {
  std::filesystem::path certificate;  // PEM, the server's certificate (chain)
  std::filesystem::path private_key;  // PEM
  // When not empty, clients are asked for a certificate and one they present must chain to
  // these CAs (the handshake fails otherwise). A client without a certificate is let in; the
  // handlers decide (Request::peer_certificate is empty).
  std::vector<std::filesystem::path> client_ca;
  // When set, a client certificate's whole chain must also be covered by current CRLs from
  // here and not be listed in them; read at each handshake, so a new CRL applies at once.
  std::shared_ptr<const security::CurrentCrls> client_crls;
};

struct ListenerSettings {
  std::string name;  // "agency" or "monitor": in logs and metrics
  std::string host;
  std::uint16_t port = 0;                       // 0: the kernel chooses; see HttpServer::port()
  std::optional<TlsSettings> tls;               // plain HTTP when absent (loopback monitor, tests)
  std::uint64_t max_body_bytes = 150ull << 20;  // for BodyMode::spool routes
  std::uint64_t max_memory_body_bytes = 1 << 20;  // for BodyMode::memory routes
  std::uint32_t max_header_bytes = 16 * 1024;
  std::chrono::seconds io_timeout{30};
  std::chrono::seconds idle_timeout{60};
  // From accept to the first byte of the first request, TLS handshake included: a connection
  // that has not said anything by then is closed.
  std::chrono::seconds first_request_timeout{10};
  // Connections without a verified client certificate (all of them on a listener that asks for
  // none), and from any one address (0: no cap; handshakes in progress count apart).
  std::size_t max_connections = 512;
  std::size_t max_connections_per_address = 64;
  // More places that only connections with a verified client certificate may take: agencies
  // still get in while anonymous connections hold all of max_connections.
  std::size_t reserved_connections = 0;
  std::filesystem::path spool_directory;  // where BodyMode::spool bodies are written
};

// What happened to one request, for metrics and the access log.
struct RequestRecord {
  std::string listener;
  std::string method;
  std::string route;  // the matched pattern, or "unmatched"
  unsigned status = 0;
  std::chrono::microseconds duration{0};
  std::uint64_t request_bytes = 0;
  std::string request_id;
  std::string peer;  // certificate fingerprint, when one was presented
};

struct WorkerPoolStats {
  std::size_t threads = 0;
  std::size_t busy = 0;
  std::size_t queued = 0;
  std::uint64_t rejected = 0;  // requests answered 503 because the queue was full
};

// Threads for blocking work with a bounded queue. Shared by all listeners.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  WorkerPoolStats stats() const;

 private:
  friend class HttpServer;
  struct State;
  std::unique_ptr<State> state_;
};

// All listeners of one process, run by `io_threads` threads.
class HttpServer {
 public:
  HttpServer(WorkerPool& workers, std::size_t io_threads);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts listening (before run()). Errors: server.listen_failed, server.tls_invalid.
  Status listen(const ListenerSettings& settings, Router router);
  // The bound port of the listener with this name (useful with port 0).
  std::uint16_t port(const std::string& listener) const;

  void on_request(std::function<void(const RequestRecord&)> observer);

  // Serves until stop() or a drain completes; returns when every thread is done.
  void run();
  // Stops accepting, lets in-flight requests finish for up to `grace`, closes idle connections,
  // then stops. Safe to call from a signal-handling thread or another thread.
  void drain(std::chrono::seconds grace);
  // Drains (as drain(grace)) when one of `signals` arrives, after telling `announce` which; on
  // the server's own threads, so nothing outlives run(). Call before run().
  void drain_on_signals(std::initializer_list<int> signals, std::chrono::seconds grace,
                        std::function<void(int)> announce);
  std::size_t open_connections() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace truc::http
