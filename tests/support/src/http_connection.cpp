#include "truc/testing/http_connection.hpp"

#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <stdexcept>

#include "truc/common/digest.hpp"

namespace truc::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

std::string Reply::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

struct Connection::Impl {
  asio::io_context io;
  asio::ssl::context tls_context{asio::ssl::context::tls_client};
  std::optional<tcp::socket> plain;
  std::optional<asio::ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;

  template <typename Operation>
  decltype(auto) with_stream(Operation&& operation) {
    if (tls) return operation(*tls);
    return operation(*plain);
  }
  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
};

namespace {

tcp::endpoint loopback(std::uint16_t port) {
  return tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
}

void configure(SSL_CTX* context, const ClientTls& settings) {
  auto require = [](bool done, const std::string& what) {
    if (!done) throw std::runtime_error("test TLS client: " + what);
  };
  if (settings.allow_legacy) SSL_CTX_set_security_level(context, 0);
  if (settings.min_version != 0) {
    require(SSL_CTX_set_min_proto_version(context, settings.min_version) == 1, "min version");
  }
  if (settings.max_version != 0) {
    require(SSL_CTX_set_max_proto_version(context, settings.max_version) == 1, "max version");
  }
  std::string ciphers = settings.tls12_ciphers;
  if (ciphers.empty() && settings.allow_legacy) ciphers = "DEFAULT:@SECLEVEL=0";
  if (!ciphers.empty()) {
    require(SSL_CTX_set_cipher_list(context, ciphers.c_str()) == 1, "cipher list " + ciphers);
  }
}

Reply to_reply(http::response<http::string_body>& response) {
  Reply reply;
  reply.status = response.result_int();
  reply.keep_alive = response.keep_alive();
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    reply.headers[name] = std::string(field.value());
  }
  reply.body = std::move(response.body());
  return reply;
}

}  // namespace

Connection::Connection(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->plain.emplace(impl_->io);
  impl_->plain->connect(loopback(port));
}

Connection::Connection(std::uint16_t port, const ClientTls& settings)
    : impl_(std::make_unique<Impl>()) {
  impl_->tls_context.load_verify_file(settings.server_ca.string());
  impl_->tls_context.set_verify_mode(asio::ssl::verify_peer);
  if (settings.certificate) {
    impl_->tls_context.use_certificate_chain_file(settings.certificate->string());
    impl_->tls_context.use_private_key_file(settings.private_key->string(),
                                            asio::ssl::context::pem);
  }
  configure(impl_->tls_context.native_handle(), settings);
  impl_->tls.emplace(impl_->io, impl_->tls_context);
  SSL_set_tlsext_host_name(impl_->tls->native_handle(), "localhost");
  SSL_set1_host(impl_->tls->native_handle(), "localhost");
  impl_->tls->next_layer().connect(loopback(port));
  boost::system::error_code error;
  impl_->tls->handshake(asio::ssl::stream_base::client, error);
  if (error) throw std::runtime_error("TLS handshake failed: " + error.message());
}

Connection::~Connection() = default;

Reply Connection::request(const std::string& method, const std::string& target,
                          const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> message;
  message.method_string(method);
  message.target(target);
  message.version(11);
  message.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) message.set(name, value);
  message.body() = body;
  if (!body.empty()) message.prepare_payload();
  impl_->with_stream([&](auto& stream) { http::write(stream, message); });
  return read_reply();
}

void Connection::send_raw(const std::string& bytes) {
  impl_->with_stream([&](auto& stream) { asio::write(stream, asio::buffer(bytes)); });
}

Reply Connection::read_reply() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  impl_->with_stream([&](auto& stream) { http::read(stream, impl_->buffer, parser); });
  auto message = parser.release();
  return to_reply(message);
}

bool Connection::closed_by_server_within(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd descriptor{impl_->socket().native_handle(), POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(left.count())) == 0) return false;
    char scratch[4096];
    boost::system::error_code error;
    impl_->with_stream(
        [&](auto& stream) { stream.read_some(asio::buffer(scratch, sizeof scratch), error); });
    if (error) return true;
  }
}

std::function<void(const RequestRecord&)> RecordLog::observer() {
  return [this](const RequestRecord& record) {
    std::lock_guard lock(mutex_);
    records_.push_back(record);
    arrived_.notify_all();
  };
}

std::vector<RequestRecord> RecordLog::wait_for(std::size_t count) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return records_.size() >= count; });
  return records_;
}

RunningServer::RunningServer(HttpServer& server) : server_(server) {
  std::promise<void> finished;
  finished_ = finished.get_future();
  thread_ = std::thread([&server, finished = std::move(finished)]() mutable {
    server.run();
    finished.set_value();
  });
}

RunningServer::~RunningServer() {
  server_.drain(std::chrono::seconds(0));
  thread_.join();
}

bool RunningServer::stopped_within(std::chrono::milliseconds limit) {
  return finished_.wait_for(limit) == std::future_status::ready;
}

bool eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) throw std::runtime_error("cannot read " + path.string());
  Digest digest(DigestAlgorithm::sha256);
  std::vector<char> chunk(1 << 16);
  while (input) {
    input.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    digest.update(std::string_view(chunk.data(), static_cast<std::size_t>(input.gcount())));
  }
  return to_hex(digest.finish());
}

void write_pattern_file(const std::filesystem::path& path, std::uint64_t size) {
  std::ofstream output(path, std::ios::binary);
  std::vector<char> chunk(1 << 20);
  for (std::uint64_t written = 0; written < size;) {
    for (std::size_t index = 0; index < chunk.size(); ++index) {
      chunk[index] = static_cast<char>((written + index) * 31 + (written + index) / 4093);
    }
    auto count = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - written));
    output.write(chunk.data(), static_cast<std::streamsize>(count));
    written += count;
  }
  if (!output) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> curl_command(std::vector<std::string> arguments) {
  std::vector<std::string> command{"/usr/bin/curl", "--silent", "--show-error", "--noproxy", "*",
                                   "--max-time",    "120"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return command;
}

}  // namespace truc::http::testing
