#include "idle_connections.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "agency_connection.hpp"
#include "truc/common/url.hpp"

namespace truc::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using namespace std::chrono_literals;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Each step of opening one connection, and opening them all.
constexpr auto kStepTimeout = 30s;
constexpr auto kOpeningTimeout = 300s;
// Time for trucd to finish with the last answers before its memory is read.
constexpr auto kSettle = 1s;

struct Opener {
  tcp::endpoint endpoint;
  ssl::context& tls;
  std::string host;
  std::string authority;
  std::string target;
  std::chrono::steady_clock::time_point deadline;
  std::vector<std::unique_ptr<Stream>>& open;
  std::size_t& next;
  std::size_t count;
  std::size_t& failed;
  std::string& first_failure;

  void fail(const std::string& step, const boost::system::error_code& error) {
    if (failed++ == 0) first_failure = step + ": " + error.message();
  }

  asio::awaitable<void> run() {
    auto executor = co_await asio::this_coro::executor;
    while (next < count && std::chrono::steady_clock::now() < deadline) {
      ++next;
      auto stream = std::make_unique<Stream>(executor, tls);
      if (SSL_set_tlsext_host_name(stream->native_handle(), host.c_str()) != 1 ||
          SSL_set1_host(stream->native_handle(), host.c_str()) != 1) {
        fail("setting the host name", {});
        continue;
      }
      auto& socket = beast::get_lowest_layer(*stream);
      socket.expires_after(kStepTimeout);
      auto [connect_error] = co_await socket.async_connect(endpoint, kAsTuple);
      if (connect_error) {
        fail("connecting", connect_error);
        continue;
      }
      socket.expires_after(kStepTimeout);
      auto [handshake_error] = co_await stream->async_handshake(ssl::stream_base::client, kAsTuple);
      if (handshake_error) {
        fail("the TLS handshake", handshake_error);
        continue;
      }
      http::request<http::empty_body> request{http::verb::get, target, 11};
      request.set(http::field::host, authority);
      socket.expires_after(kStepTimeout);
      auto [write_error, written] = co_await http::async_write(*stream, request, kAsTuple);
      if (write_error) {
        fail("sending the request", write_error);
        continue;
      }
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      auto [read_error, read] = co_await http::async_read(*stream, buffer, response, kAsTuple);
      if (read_error) {
        fail("reading the answer", read_error);
        continue;
      }
      if (response.result_int() != 200 || !response.keep_alive()) {
        fail("the inbox answer", {});
        if (failed == 1) first_failure += " (status " + std::to_string(response.result_int()) + ")";
        continue;
      }
      // Idle from now on: no timer, no pending operation, just the open connection.
      socket.expires_never();
      open.push_back(std::move(stream));
    }
  }
};

}  // namespace

IdleConnectionsPass run_idle_connections_pass(HubUnderTest& under_test, std::size_t count) {
  IdleConnectionsPass pass;
  pass.requested = count;
  https::ClientOptions client = under_test.client_options(kSenderAgency);
  auto tls = make_agency_tls(client);
  if (!tls) throw std::runtime_error(tls.error().to_string());
  asio::io_context io;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(client.url.host, std::to_string(client.url.port));
  if (endpoints.empty()) throw std::runtime_error("cannot resolve " + client.url.host);

  pass.rss_before_bytes = under_test.trucd_memory().resident_bytes;
  std::vector<std::unique_ptr<Stream>> open;
  open.reserve(count);
  std::size_t next = 0;
  std::size_t failed = 0;
  auto started = std::chrono::steady_clock::now();
  std::vector<Opener> openers;
  openers.reserve(kIdleOpeningAtOnce);
  for (std::size_t index = 0; index < kIdleOpeningAtOnce; ++index) {
    openers.push_back({endpoints.begin()->endpoint(), *tls, client.url.host, client.url.authority(),
                       make_target(client.url, {"v1", "inbox"}, {{"limit", "1"}}),
                       started + kOpeningTimeout, open, next, count, failed, pass.first_failure});
    asio::co_spawn(io, openers.back().run(), asio::detached);
  }
  io.run();
  pass.seconds_to_open =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  pass.opened = open.size();
  std::this_thread::sleep_for(kSettle);
  pass.rss_with_bytes = under_test.trucd_memory().resident_bytes;
  if (pass.opened < count && pass.first_failure.empty())
    pass.first_failure = "opening took longer than the time allowed";
  // Closing them is the destructors' (the hub sees each end of stream).
  return pass;
}

}  // namespace truc::bench
