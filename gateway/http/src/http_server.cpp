#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <thread>

#include "connection.hpp"
#include "server_core.hpp"
#include "tls_context.hpp"
#include "truc/common/log.hpp"
#include "truc/http/server.hpp"

namespace truc::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// After a failed accept (out of descriptors, most likely) wait before the next one instead of
// spinning; connections closing meanwhile free descriptors.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

Error listen_failed(const ListenerSettings& settings, std::string message,
                    const boost::system::error_code& error = {}) {
  std::string detail =
      "listener " + settings.name + " on " + settings.host + ":" + std::to_string(settings.port);
  if (error) detail += ": " + error.message();
  return Error{"server.listen_failed", std::move(message), std::move(detail)};
}

Result<tcp::acceptor> bind_acceptor(ServerCore& core, const ListenerSettings& settings) {
  boost::system::error_code error;
  tcp::resolver resolver(core.io);
  auto endpoints = resolver.resolve(settings.host, std::to_string(settings.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) {
    return listen_failed(settings, "the listener's host does not resolve", error);
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  // The acceptor lives on its own strand: the drain closes it from another thread.
  tcp::acceptor acceptor(asio::make_strand(core.io));
  if (acceptor.open(endpoint.protocol(), error) ||
      acceptor.set_option(asio::socket_base::reuse_address(true), error) ||
      acceptor.bind(endpoint, error) ||
      acceptor.listen(asio::socket_base::max_listen_connections, error)) {
    return listen_failed(settings, "the listener cannot bind its address", error);
  }
  return acceptor;
}

Status check_spool_directory(const ListenerSettings& settings) {
  std::error_code error;
  if (!std::filesystem::is_directory(settings.spool_directory, error)) {
    return Error{"server.listen_failed", "the spool directory does not exist",
                 "listener " + settings.name + ": " + settings.spool_directory.string()};
  }
  return ok_status();
}

asio::awaitable<void> accept_connections(ServerCore& core, std::shared_ptr<Listener> listener) {
  asio::steady_timer retry_timer(co_await asio::this_coro::executor);
  while (listener->acceptor.is_open()) {
    auto [error, socket] =
        co_await listener->acceptor.async_accept(asio::make_strand(core.io), kUseTuple);
    if (error == asio::error::operation_aborted || !listener->acceptor.is_open()) co_return;
    if (error) {
      log_event("warn", "accept_failed",
                {{"listener", listener->settings.name}, {"error", error.message()}});
      retry_timer.expires_after(kAcceptRetryDelay);
      co_await retry_timer.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    std::string address = socket.remote_endpoint(ignored).address().to_string();
    auto slot = ConnectionSlot::take(listener, std::move(address));
    if (!slot) {
      // Over a limit: closed at once, before any byte is read, so an overload costs us a
      // descriptor for microseconds rather than a buffer and a coroutine.
      socket.close(ignored);
      continue;
    }
    start_connection(core, std::move(*slot), std::move(socket));
  }
}

// Stop accepting, close idle connections, give busy ones `grace` to finish their request, then
// close whatever is left and stop the io_context.
asio::awaitable<void> drain_connections(ServerCore& core, std::chrono::seconds grace) {
  if (core.draining.exchange(true)) co_return;  // a drain is already under way
  boost::system::error_code ignored_cancel;
  core.drain_signals.cancel(ignored_cancel);
  for (const auto& listener : core.listeners) {
    asio::post(listener->acceptor.get_executor(), [listener] {
      boost::system::error_code ignored;
      listener->acceptor.close(ignored);
    });
  }
  for (const auto& connection : core.connections()) connection->close_if_idle();

  // The last connection to go cancels this wait (ServerCore::unregister_connection). Both run
  // on the control strand and the count is checked after arming, so the cancel cannot be lost.
  core.drain_timer.expires_after(grace);
  if (core.connection_count() > 0) co_await core.drain_timer.async_wait(kUseTuple);

  if (std::size_t left = core.connection_count(); left > 0) {
    log_event("warn", "drain_grace_exceeded", {{"connections", std::to_string(left)}});
    for (const auto& connection : core.connections()) {
      connection->close_now();
      // A round trip through the connection's strand: the close has run once we are back, so
      // the stop below cannot leave the socket open.
      co_await asio::post(connection->executor(), asio::use_awaitable);
    }
    core.io.stop();
  }
}

}  // namespace

void ServerCore::register_connection(const std::shared_ptr<DrainableConnection>& connection) {
  std::lock_guard lock(connections_mutex_);
  connections_.emplace(connection.get(), connection);
}

void ServerCore::unregister_connection(const DrainableConnection* connection) {
  std::size_t remaining = 0;
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(connection);
    remaining = connections_.size();
  }
  if (remaining == 0 && draining && !stopping) {
    asio::post(control, [this] { drain_timer.cancel(); });
  }
}

std::vector<std::shared_ptr<DrainableConnection>> ServerCore::connections() const {
  std::vector<std::shared_ptr<DrainableConnection>> result;
  std::lock_guard lock(connections_mutex_);
  for (const auto& [address, connection] : connections_) {
    if (auto alive = connection.lock()) result.push_back(std::move(alive));
  }
  return result;
}

std::size_t ServerCore::connection_count() const {
  std::lock_guard lock(connections_mutex_);
  return connections_.size();
}

struct HttpServer::State : ServerCore {
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(WorkerPool& workers, std::size_t io_threads)
    : state_(std::make_unique<State>(*workers.state_, io_threads)) {
  assert(io_threads > 0 && "an HTTP server needs at least one I/O thread");
}

HttpServer::~HttpServer() {
  state_->stopping = true;
  state_->io.stop();
  // A handler still running after the grace period will post its result to our io_context;
  // it must find it alive.
  state_->pending_jobs.wait_until_none();
}

Status HttpServer::listen(const ListenerSettings& settings, Router router) {
  assert(port(settings.name) == 0 && "listener names must be unique");
  ListenerSettings effective = settings;
  // A listener without upload routes (the monitor) need not name a spool directory.
  if (effective.spool_directory.empty()) {
    effective.spool_directory = std::filesystem::temp_directory_path();
  }
  std::unique_ptr<asio::ssl::context> tls;
  if (effective.tls) {
    auto context = make_server_tls_context(*effective.tls);
    if (!context) return std::move(context).error();
    tls = std::move(*context);
  }
  TRUC_TRY(check_spool_directory(effective));
  auto acceptor = bind_acceptor(*state_, effective);
  if (!acceptor) return std::move(acceptor).error();

  boost::system::error_code error;
  const std::uint16_t bound_port = acceptor->local_endpoint(error).port();
  if (error) return listen_failed(effective, "the listener's address is unknown", error);
  auto listener = std::make_shared<Listener>(std::move(effective), std::move(router),
                                             std::move(tls), std::move(*acceptor), bound_port);
  state_->listeners.push_back(listener);
  auto executor = listener->acceptor.get_executor();
  asio::co_spawn(executor, accept_connections(*state_, std::move(listener)),
                 [](std::exception_ptr failure) { log_if_failed("accept_loop_failed", failure); });
  return ok_status();
}

std::uint16_t HttpServer::port(const std::string& listener) const {
  for (const auto& candidate : state_->listeners) {
    if (candidate->settings.name == listener) return candidate->port;
  }
  return 0;
}

void HttpServer::on_request(std::function<void(const RequestRecord&)> observer) {
  state_->observer = std::move(observer);
}

void HttpServer::run() {
  std::vector<std::thread> threads;
  for (std::size_t index = 1; index < state_->io_threads; ++index) {
    threads.emplace_back([this] { state_->io.run(); });
  }
  state_->io.run();
  for (auto& thread : threads) thread.join();
}

void HttpServer::drain(std::chrono::seconds grace) {
  asio::co_spawn(state_->control, drain_connections(*state_, grace),
                 [](std::exception_ptr failure) { log_if_failed("drain_failed", failure); });
}

void HttpServer::drain_on_signals(std::initializer_list<int> signals, std::chrono::seconds grace,
                                  std::function<void(int)> announce) {
  for (int signal : signals) state_->drain_signals.add(signal);
  state_->drain_signals.async_wait([this, grace, announce = std::move(announce)](
                                       const boost::system::error_code& error, int signal) {
    if (error) return;  // cancelled: another drain started
    announce(signal);
    drain(grace);
  });
}

std::size_t HttpServer::open_connections() const { return state_->connection_count(); }

}  // namespace truc::http
