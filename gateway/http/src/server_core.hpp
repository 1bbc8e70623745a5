#pragma once

// What the accept loops, the connections and the drain share inside one HttpServer.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "truc/http/http.hpp"
#include "truc/http/server.hpp"
#include "worker_queue.hpp"

namespace truc::http {

// Who holds a listener's connections, so that nobody unauthenticated can take them all.
// Connections count from accept to the end of their coroutine: first as a handshake in progress
// (per client address, so one address cannot stall every handshake), then as authenticated (a
// client certificate that verified) or not. Unauthenticated connections share max_connections
// and a per-address cap; authenticated ones may also use the reserved slots.
class ConnectionCounts {
 public:
  explicit ConnectionCounts(const ListenerSettings& settings);

  // At accept. False: close the socket at once.
  bool start_handshake(const std::string& address);
  // After the handshake (at once for plain HTTP). False: the connection must close; its
  // handshake is counted off either way.
  bool finish_handshake(const std::string& address, bool authenticated);
  enum class Kind { handshaking, authenticated, unauthenticated };
  void release(const std::string& address, Kind kind);

 private:
  void release_handshake(const std::string& address);  // with mutex_ held

  const std::size_t max_unauthenticated_;
  const std::size_t max_total_;
  const std::size_t max_per_address_;  // 0: no cap
  mutable std::mutex mutex_;
  std::size_t handshaking_ = 0;
  std::size_t authenticated_ = 0;
  std::size_t unauthenticated_ = 0;
  std::unordered_map<std::string, std::size_t> handshaking_by_address_;
  std::unordered_map<std::string, std::size_t> unauthenticated_by_address_;
};

struct Listener {
  Listener(ListenerSettings listener_settings, Router listener_router,
           std::unique_ptr<boost::asio::ssl::context> tls_context,
           boost::asio::ip::tcp::acceptor listening_acceptor, std::uint16_t bound_port)
      : settings(std::move(listener_settings)),
        router(std::move(listener_router)),
        tls(std::move(tls_context)),
        acceptor(std::move(listening_acceptor)),
        port(bound_port),
        connections(settings) {}

  const ListenerSettings settings;
  const Router router;
  const std::unique_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  boost::asio::ip::tcp::acceptor acceptor;               // used on its own strand only
  const std::uint16_t port;                              // as bound: the kernel's choice for 0
  ConnectionCounts connections;
};

// One connection's place in its listener's ConnectionCounts, from accept to the end of its
// coroutine.
class ConnectionSlot {
 public:
  // Nothing when the listener has no place for another handshake from this address.
  static std::optional<ConnectionSlot> take(std::shared_ptr<Listener> listener,
                                            std::string address);
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : listener_(std::move(other.listener_)),
        address_(std::move(other.address_)),
        kind_(std::exchange(other.kind_, std::nullopt)) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (kind_) listener_->connections.release(address_, *kind_);
  }
  // After the handshake: false when an unauthenticated connection finds no place.
  bool settle(bool authenticated);
  const std::shared_ptr<Listener>& listener() const { return listener_; }
  const std::string& address() const { return address_; }

 private:
  ConnectionSlot(std::shared_ptr<Listener> listener, std::string address)
      : listener_(std::move(listener)), address_(std::move(address)) {}
  std::shared_ptr<Listener> listener_;
  std::string address_;
  // What the slot is counted as; nothing once it was refused after its handshake.
  std::optional<ConnectionCounts::Kind> kind_ = ConnectionCounts::Kind::handshaking;
};

// What the drain needs from a connection. Both post to the connection's strand, so they may be
// called from any thread.
class DrainableConnection {
 public:
  virtual ~DrainableConnection() = default;
  // Closes the connection if it is waiting for a next request; one busy with a request finishes
  // it and then closes because the server is draining.
  virtual void close_if_idle() = 0;
  // The grace period is over.
  virtual void close_now() = 0;
  // The connection's strand.
  virtual boost::asio::any_io_executor executor() = 0;
};

// Jobs this server handed to the worker pool that have not finished. A job posts its result to
// our io_context, so the io_context must outlive every job (see ~HttpServer).
class PendingJobs {
 public:
  class Token {
   public:
    explicit Token(PendingJobs& owner) : owner_(&owner) {}
    Token(Token&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Token& operator=(Token&&) = delete;
    ~Token() {
      if (owner_ != nullptr) owner_->release();
    }

   private:
    PendingJobs* owner_;
  };

  Token acquire() {
    std::lock_guard lock(mutex_);
    ++count_;
    return Token(*this);
  }
  void wait_until_none() {
    std::unique_lock lock(mutex_);
    none_left_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  void release() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) none_left_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable none_left_;
  std::size_t count_ = 0;
};

class ServerCore {
 public:
  ServerCore(WorkerQueue& worker_queue, std::size_t io_thread_count)
      : workers(worker_queue),
        io_threads(io_thread_count),
        io(static_cast<int>(io_thread_count)),
        control(boost::asio::make_strand(io)),
        drain_timer(control) {}

  // Connections register when they start and unregister from their destructor; during a drain
  // the last one to go ends the grace period early.
  void register_connection(const std::shared_ptr<DrainableConnection>& connection);
  void unregister_connection(const DrainableConnection* connection);
  std::vector<std::shared_ptr<DrainableConnection>> connections() const;
  std::size_t connection_count() const;

  WorkerQueue& workers;
  // One thread for writing spooled bodies: file I/O never runs on an I/O thread, and an upload
  // does not queue behind handlers on the worker pool. Unbounded: each connection has at most
  // one write in flight.
  WorkerQueue spool_writes{1, std::numeric_limits<std::size_t>::max() / 2};
  const std::size_t io_threads;
  std::function<void(const RequestRecord&)> observer;  // set before run()
  std::atomic<bool> draining{false};
  // Set by ~HttpServer: the io_context is going away and nothing may be posted to it.
  std::atomic<bool> stopping{false};
  PendingJobs pending_jobs;

 private:
  mutable std::mutex connections_mutex_;
  std::unordered_map<const DrainableConnection*, std::weak_ptr<DrainableConnection>> connections_;

 public:
  // Declared after everything a coroutine frame touches when the io_context destroys it.
  boost::asio::io_context io;
  boost::asio::strand<boost::asio::io_context::executor_type> control;  // the drain runs here
  boost::asio::steady_timer drain_timer;  // the grace period; cancelled by the last connection
  // The signals that start a drain (drain_on_signals); cancelled when a drain starts, so that
  // run() can return once the connections are gone.
  boost::asio::signal_set drain_signals{control};
  std::vector<std::shared_ptr<Listener>> listeners;
};

}  // namespace truc::http
