#include "agency_connection.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace truc::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Receipts and error answers are small JSON documents.
constexpr std::uint64_t kMaxAnswerBytes = 1 << 20;

}  // namespace

Result<ssl::context> make_agency_tls(const https::ClientOptions& options) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  boost::system::error_code error;
  if (options.ca_file) context.load_verify_file(options.ca_file->string(), error);
  if (!error && options.certificate_file)
    context.use_certificate_chain_file(options.certificate_file->string(), error);
  if (!error && options.key_file)
    context.use_private_key_file(options.key_file->string(), ssl::context::pem, error);
  if (error) return Error{"bench.tls", "cannot load the agency's TLS files", error.message()};
  return context;
}

AgencyConnection::AgencyConnection(asio::any_io_executor executor, ssl::context& tls, Url url)
    : executor_(std::move(executor)), tls_(tls), url_(std::move(url)) {}

Error AgencyConnection::broken(std::string_view step, const boost::system::error_code& error) {
  stream_.reset();
  buffer_.clear();
  return Error{"bench.connection", "the connection to the hub failed while " + std::string(step),
               error.message()};
}

asio::awaitable<Status> AgencyConnection::connect() {
  tcp::resolver resolver(executor_);
  auto [resolve_error, endpoints] =
      co_await resolver.async_resolve(url_.host, std::to_string(url_.port), kAsTuple);
  if (resolve_error) co_return broken("resolving", resolve_error);
  stream_.emplace(executor_, tls_);
  // SNI, and the host name the hub's certificate must carry.
  if (SSL_set_tlsext_host_name(stream_->native_handle(), url_.host.c_str()) != 1 ||
      SSL_set1_host(stream_->native_handle(), url_.host.c_str()) != 1) {
    co_return broken("setting the expected host name", {});
  }
  auto& socket = beast::get_lowest_layer(*stream_);
  socket.expires_after(timeout_);
  auto [connect_error, endpoint] = co_await socket.async_connect(endpoints, kAsTuple);
  if (connect_error) co_return broken("connecting", connect_error);
  socket.socket().set_option(tcp::no_delay(true));
  socket.expires_after(timeout_);
  auto [handshake_error] = co_await stream_->async_handshake(ssl::stream_base::client, kAsTuple);
  if (handshake_error) co_return broken("negotiating TLS", handshake_error);
  co_return ok_status();
}

asio::awaitable<Result<AgencyConnection::Answer>> AgencyConnection::post(
    const std::string& target, std::string_view content_type, std::string_view body) {
  if (!stream_) {
    if (Status connected = co_await connect(); !connected) co_return std::move(connected).error();
  }
  http::request<http::span_body<const char>> request{http::verb::post, target, 11};
  request.set(http::field::host, url_.authority());
  request.set(http::field::content_type, content_type);
  request.body() = {body.data(), body.size()};
  request.prepare_payload();
  beast::get_lowest_layer(*stream_).expires_after(timeout_);
  auto [write_error, written] = co_await http::async_write(*stream_, request, kAsTuple);
  if (write_error) co_return broken("sending the request", write_error);

  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  beast::get_lowest_layer(*stream_).expires_after(timeout_);
  auto [read_error, read] = co_await http::async_read(*stream_, buffer_, parser, kAsTuple);
  if (read_error) co_return broken("reading the answer", read_error);
  auto response = parser.release();
  if (!response.keep_alive()) stream_.reset();
  co_return Answer{response.result_int(), std::move(response.body())};
}

}  // namespace truc::bench
