#include "testing/fake_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <span>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/common/digest.hpp"

namespace truc::cli::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kChunkSize = 64 * 1024;
constexpr std::uint64_t kKeptBodySize = 1024 * 1024;

std::string lower_case(std::string text) {
  for (char& character : text) {
    character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  }
  return text;
}

void rethrow(std::exception_ptr failure) {
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::string RecordedRequest::header(const std::string& lower_case_name) const {
  auto found = headers.find(lower_case_name);
  return found == headers.end() ? std::string() : found->second;
}

CannedResponse error_response(unsigned status, const std::string& code, const std::string& message,
                              const std::string& details) {
  boost::json::object body{{"code", code}, {"message", message}};
  if (!details.empty()) body["details"] = details;
  CannedResponse response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

struct FakeHub::Server {
  Server(FakeHub& hub_in, std::optional<FakeHubTls> tls, Handler handler_in)
      : hub(hub_in), handler(std::move(handler_in)) {
    if (tls) {
      tls_context.emplace(ssl::context::tls_server);
      tls_context->use_certificate_chain_file(tls->certificate.string());
      tls_context->use_private_key_file(tls->key.string(), ssl::context::pem);
      tls_context->load_verify_file(tls->client_ca.string());
      tls_context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor.listen();
    port = acceptor.local_endpoint().port();
  }

  asio::awaitable<void> accept_connections() {
    std::size_t accepted = 0;
    for (;;) {
      auto [error, socket] = co_await acceptor.async_accept(kAsTuple);
      if (error) co_return;
      ++accepted;
      if (tls_context) {
        asio::co_spawn(io, serve_tls(std::move(socket), accepted), rethrow);
      } else {
        asio::co_spawn(io, serve(beast::tcp_stream(std::move(socket)), accepted), rethrow);
      }
    }
  }

  asio::awaitable<void> serve_tls(tcp::socket socket, std::size_t connection) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_context);
    auto [error] = co_await stream.async_handshake(ssl::stream_base::server, kAsTuple);
    if (error) {
      hub.connection_closed();
      co_return;
    }
    co_await serve(std::move(stream), connection);
  }

  template <typename Stream>
  asio::awaitable<void> serve(Stream stream, std::size_t connection) {
    beast::flat_buffer buffer;
    for (;;) {
      auto request = co_await read_request(stream, buffer, connection);
      if (!request) break;
      CannedResponse response = handler(*request);
      hub.record(std::move(*request));
      if (response.never_answer) {
        // Wait for whatever comes next: nothing, until the client gives up and closes.
        http::request<http::string_body> ignored;
        co_await http::async_read(stream, buffer, ignored, kAsTuple);
        break;
      }
      if (!co_await write_response(stream, response)) break;
      if (response.after != AfterAnswer::keep_open) break;
    }
    beast::get_lowest_layer(stream).close();
    hub.connection_closed();
  }

  template <typename Stream>
  asio::awaitable<std::optional<RecordedRequest>> read_request(Stream& stream,
                                                               beast::flat_buffer& buffer,
                                                               std::size_t connection) {
    http::request_parser<http::buffer_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);
    auto [header_error, header_size] =
        co_await http::async_read_header(stream, buffer, parser, kAsTuple);
    if (header_error) co_return std::nullopt;
    RecordedRequest request;
    request.method = std::string(parser.get().method_string());
    request.target = std::string(parser.get().target());
    request.connection = connection;
    for (const auto& field : parser.get()) {
      request.headers[lower_case(std::string(field.name_string()))] = std::string(field.value());
    }
    Digest digest(DigestAlgorithm::sha256);
    std::vector<char> chunk(kChunkSize);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      auto [error, size] = co_await http::async_read(stream, buffer, parser, kAsTuple);
      if (error && error != http::error::need_buffer) co_return std::nullopt;
      std::string_view bytes(chunk.data(), chunk.size() - parser.get().body().size);
      digest.update(bytes);
      request.body_size += bytes.size();
      if (request.body_size <= kKeptBodySize) request.body.append(bytes);
    }
    if (request.body_size > kKeptBodySize) request.body.clear();
    request.body_sha256 = to_hex(digest.finish());
    co_return request;
  }

  template <typename Stream>
  asio::awaitable<bool> write_response(Stream& stream, const CannedResponse& canned) {
    http::response<http::buffer_body> response{static_cast<http::status>(canned.status), 11};
    response.set(http::field::content_type, canned.content_type);
    for (const auto& [name, value] : canned.headers) response.set(name, value);
    response.keep_alive(canned.after != AfterAnswer::close_announced);
    std::optional<FileSource> file;
    std::uint64_t size = canned.body.size();
    if (canned.body_file) {
      auto opened = FileSource::open(*canned.body_file);
      if (!opened) throw std::runtime_error(opened.error().to_string());
      file.emplace(std::move(*opened));
      size = std::filesystem::file_size(*canned.body_file);
    }
    response.content_length(size);
    MemorySource memory(canned.body);
    ByteSource& source = file ? static_cast<ByteSource&>(*file) : memory;
    http::response_serializer<http::buffer_body> serializer{response};
    std::vector<char> chunk(kChunkSize);
    auto [header_error, header_size] =
        co_await http::async_write_header(stream, serializer, kAsTuple);
    if (header_error) co_return false;
    std::uint64_t sent = 0;
    while (!serializer.is_done()) {
      auto count = source.read(std::span(chunk));
      if (!count) throw std::runtime_error(count.error().to_string());
      response.body().data = *count > 0 ? chunk.data() : nullptr;
      response.body().size = *count;
      response.body().more = sent + *count < size;
      auto [error, written] = co_await http::async_write(stream, serializer, kAsTuple);
      if (error && error != http::error::need_buffer) co_return false;
      sent += *count;
    }
    co_return true;
  }

  // The io_context is destroyed, with its pending coroutines, before what they use: the handler and
  // TLS context.
  FakeHub& hub;
  Handler handler;
  std::optional<ssl::context> tls_context;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
};

FakeHub::FakeHub(std::optional<FakeHubTls> tls, Handler handler)
    : server_(std::make_unique<Server>(*this, std::move(tls), std::move(handler))) {
  asio::co_spawn(server_->io, server_->accept_connections(), rethrow);
  thread_ = std::thread([this] { server_->io.run(); });
}

FakeHub::~FakeHub() {
  server_->io.stop();
  thread_.join();
}

std::string FakeHub::url() const {
  std::string port = std::to_string(server_->port);
  return server_->tls_context ? "https://localhost:" + port : "http://127.0.0.1:" + port;
}

std::vector<RecordedRequest> FakeHub::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakeHub::wait_for_closed_connections(std::size_t count) {
  std::unique_lock lock(mutex_);
  return closed_changed_.wait_for(lock, std::chrono::seconds(30),
                                  [&] { return closed_connections_ >= count; });
}

void FakeHub::record(RecordedRequest request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
}

void FakeHub::connection_closed() {
  {
    std::lock_guard lock(mutex_);
    ++closed_connections_;
  }
  closed_changed_.notify_all();
}

}  // namespace truc::cli::testing
