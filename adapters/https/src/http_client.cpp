#include "truc/https/http_client.hpp"

#include <poll.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cassert>
#include <optional>
#include <span>
#include <type_traits>
#include <variant>

#include "transport.hpp"

namespace truc::https {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::size_t kChunkSize = 64 * 1024;
// JSON answers are read into memory; the largest legitimate one (the agency directory) is far
// smaller.
constexpr std::size_t kMaxBufferedBody = 32 * 1024 * 1024;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// A request as the exchange needs it; the body streams from `body`.
struct OutgoingRequest {
  http::verb method;
  const std::string& target;
  std::string_view content_type;
  ByteSource& body;
  std::uint64_t body_size;
  const ProgressCallback& progress;
  const std::vector<Header>& headers;  // besides the client's defaults
};

// Where the body of an answer goes: `sink` for a 2xx answer when there is one, memory otherwise.
struct AnswerDestination {
  ByteSink* sink;
  const ProgressCallback& progress;
};

// How sending a request ended. `hub_closed`: the hub stopped reading (reset, broken pipe), as it
// does after refusing a body early.
struct Sent {
  Status status = ok_status();
  bool hub_closed = false;
};

// An answer as read, before its status is judged.
struct Answer {
  Response response;
  bool keep_alive = false;
};

class BoundedStringSink final : public ByteSink {
 public:
  Status write(std::string_view bytes) override {
    if (text_.size() + bytes.size() > kMaxBufferedBody) {
      return Error{"client.protocol", "the hub's answer is larger than 32 MiB", {}};
    }
    text_.append(bytes);
    return ok_status();
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

// Server text goes to a terminal: control characters could rewrite what the operator sees.
std::string printable(std::string_view text) {
  std::string result(text);
  for (char& character : result) {
    if (static_cast<unsigned char>(character) < 0x20 || character == 0x7f) character = ' ';
  }
  return result;
}

const ProgressCallback kNoProgress;
const std::vector<Header> kNoHeaders;

template <typename T>
asio::awaitable<void> store_outcome(asio::awaitable<Result<T>> operation,
                                    std::optional<Result<T>>& outcome) {
  outcome.emplace(co_await std::move(operation));
}

}  // namespace

// The public API is synchronous, but Beast applies a stream's deadline to asynchronous
// operations only; each call therefore runs its coroutine on a private io_context to the end.
struct HttpClient::Impl {
  Impl(const ClientOptions& options_in, std::optional<ssl::context> tls_context_in)
      : options(options_in), tls_context(std::move(tls_context_in)) {}

  template <typename T>
  Result<T> run(asio::awaitable<Result<T>> operation) {
    std::optional<Result<T>> outcome;
    asio::co_spawn(io, store_outcome(std::move(operation), outcome),
                   [](std::exception_ptr failure) {
                     if (failure) std::rethrow_exception(failure);
                   });
    io.restart();
    io.run();
    assert(outcome);
    return std::move(*outcome);
  }

  asio::awaitable<Result<Response>> perform(const OutgoingRequest& request,
                                            const AnswerDestination& destination) {
    if (!std::holds_alternative<std::monostate>(connection) && idle_connection_closed()) {
      disconnect();
    }
    if (std::holds_alternative<std::monostate>(connection)) {
      Status opened = co_await connect();
      if (!opened) {
        disconnect();
        co_return std::move(opened).error();
      }
    }
    if (auto* tls = std::get_if<TlsStream>(&connection)) {
      co_return co_await exchange(*tls, request, destination);
    }
    co_return co_await exchange(std::get<PlainStream>(connection), request, destination);
  }

  asio::awaitable<Status> connect() {
    tcp::resolver resolver(io);
    // getaddrinfo cannot be cancelled; the system resolver's own timeout bounds this step.
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(
        options.url.host, std::to_string(options.url.port), kAsTuple);
    if (resolve_error) co_return failure(resolve_error, detail::Step::connect);
    if (tls_context) {
      auto& stream = connection.emplace<TlsStream>(io, *tls_context);
      Status identity = detail::expect_server_identity(stream.native_handle(), options.url);
      if (!identity) co_return identity;
      co_return co_await open(stream, endpoints);
    }
    co_return co_await open(connection.emplace<PlainStream>(io), endpoints);
  }

  template <typename Stream>
  asio::awaitable<Status> open(Stream& stream, const tcp::resolver::results_type& endpoints) {
    arm_deadline(stream);
    auto [connect_error, endpoint] =
        co_await beast::get_lowest_layer(stream).async_connect(endpoints, kAsTuple);
    if (connect_error) co_return failure(connect_error, detail::Step::connect);
    // A request goes out as its header, then its body: without this, the body waits for the
    // peer's delayed ACK of the header (40 ms on Linux) on every request.
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      arm_deadline(stream);
      auto [handshake_error] = co_await stream.async_handshake(ssl::stream_base::client, kAsTuple);
      if (handshake_error) co_return failure(handshake_error, detail::Step::handshake);
    }
    co_return ok_status();
  }

  template <typename Stream>
  asio::awaitable<Result<Response>> exchange(Stream& stream, const OutgoingRequest& request,
                                             const AnswerDestination& destination) {
    Sent sent = co_await write_request(stream, request);
    if (!sent.status) {
      // A hub refusing a body early (413) answers and closes while the body is still being
      // sent; its answer says more than the broken pipe, so read it when there is one.
      std::optional<Error> refusal;
      if (sent.hub_closed) {
        auto early = co_await read_answer(stream, {nullptr, kNoProgress});
        if (early && early->response.status >= 400) {
          refusal = error_from_response(early->response.status, early->response.body);
        }
      }
      disconnect();
      co_return refusal ? std::move(*refusal) : std::move(sent.status).error();
    }
    auto answer = co_await read_answer(stream, destination);
    if (!answer || !answer->keep_alive) disconnect();
    if (!answer) co_return std::move(answer).error();
    unsigned status = answer->response.status;
    if (status < 200 || status >= 300) co_return error_from_response(status, answer->response.body);
    co_return std::move(answer->response);
  }

  template <typename Stream>
  asio::awaitable<Sent> write_request(Stream& stream, const OutgoingRequest& outgoing) {
    http::request<http::buffer_body> request{outgoing.method, outgoing.target, 11};
    request.set(http::field::host, options.url.authority());
    request.set(http::field::user_agent, "truc");
    for (const auto& header : default_headers) request.set(header.name, header.value);
    for (const auto& header : outgoing.headers) request.set(header.name, header.value);
    if (!outgoing.content_type.empty()) {
      request.set(http::field::content_type, outgoing.content_type);
    }
    if (outgoing.body_size > 0 || outgoing.method == http::verb::post ||
        outgoing.method == http::verb::put) {
      request.content_length(outgoing.body_size);
    }
    http::request_serializer<http::buffer_body> serializer{request};
    arm_deadline(stream);
    auto [header_error, header_size] =
        co_await http::async_write_header(stream, serializer, kAsTuple);
    if (header_error) co_return sending_failure(header_error);

    std::uint64_t sent = 0;
    while (!serializer.is_done()) {
      std::size_t count = 0;
      if (sent < outgoing.body_size) {
        auto wanted = static_cast<std::size_t>(
            std::min<std::uint64_t>(chunk.size(), outgoing.body_size - sent));
        auto read = outgoing.body.read(std::span(chunk).first(wanted));
        if (!read) co_return Sent{std::move(read).error()};
        if (*read == 0) {
          co_return Sent{Error{"io.read", "the file became shorter while it was being sent", {}}};
        }
        count = *read;
      }
      request.body().data = count > 0 ? chunk.data() : nullptr;
      request.body().size = count;
      request.body().more = sent + count < outgoing.body_size;
      arm_deadline(stream);
      auto [write_error, written] = co_await http::async_write(stream, serializer, kAsTuple);
      if (write_error && write_error != http::error::need_buffer) {
        co_return sending_failure(write_error);
      }
      sent += count;
      if (outgoing.progress && count > 0) outgoing.progress(sent, outgoing.body_size);
    }
    co_return Sent{};
  }

  template <typename Stream>
  asio::awaitable<Result<Answer>> read_answer(Stream& stream,
                                              const AnswerDestination& destination) {
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(options.max_download_bytes);
    arm_deadline(stream);
    auto [header_error, header_size] =
        co_await http::async_read_header(stream, read_buffer, parser, kAsTuple);
    if (header_error) co_return failure(header_error, detail::Step::receive);

    Answer answer;
    answer.response.status = parser.get().result_int();
    for (const auto& field : parser.get()) {
      answer.response.headers.push_back(
          {std::string(field.name_string()), std::string(field.value())});
    }
    bool to_sink = destination.sink != nullptr && answer.response.status / 100 == 2;
    BoundedStringSink in_memory;
    ByteSink& target = to_sink ? *destination.sink : in_memory;
    std::uint64_t total = parser.content_length().value_or(0);
    std::uint64_t received = 0;
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      arm_deadline(stream);
      auto [read_error, read_size] =
          co_await http::async_read(stream, read_buffer, parser, kAsTuple);
      if (read_error && read_error != http::error::need_buffer) {
        co_return failure(read_error, detail::Step::receive);
      }
      std::size_t count = chunk.size() - parser.get().body().size;
      Status stored = target.write({chunk.data(), count});
      if (!stored) co_return std::move(stored).error();
      received += count;
      if (to_sink && destination.progress && count > 0) destination.progress(received, total);
    }
    answer.keep_alive = parser.keep_alive();
    if (!to_sink) answer.response.body = in_memory.take();
    co_return answer;
  }

  template <typename Stream>
  void arm_deadline(Stream& stream) {
    beast::get_lowest_layer(stream).expires_after(options.operation_timeout);
  }

  Error failure(const boost::system::error_code& error, detail::Step step) {
    auto* tls = std::get_if<TlsStream>(&connection);
    return detail::transport_error(error, step, options.url, options.operation_timeout,
                                   tls != nullptr ? tls->native_handle() : nullptr);
  }

  Sent sending_failure(const boost::system::error_code& error) {
    bool hub_closed = error == asio::error::broken_pipe || error == asio::error::connection_reset;
    return Sent{failure(error, detail::Step::send), hub_closed};
  }

  // An idle keep-alive connection has nothing to read; when it is readable the hub has closed it
  // (its idle timeout) or sent something unasked for. Either way a new connection is needed.
  bool idle_connection_closed() {
    int descriptor = -1;
    std::visit(
        [&](auto& stream) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(stream)>, std::monostate>) {
            descriptor = beast::get_lowest_layer(stream).socket().native_handle();
          }
        },
        connection);
    pollfd watch{descriptor, POLLIN, 0};
    return ::poll(&watch, 1, 0) != 0;
  }

  void disconnect() {
    connection.emplace<std::monostate>();
    read_buffer.clear();
  }

  ClientOptions options;
  asio::io_context io;
  std::optional<ssl::context> tls_context;
  std::variant<std::monostate, PlainStream, TlsStream> connection;
  beast::flat_buffer read_buffer;
  std::vector<char> chunk = std::vector<char>(kChunkSize);
  std::vector<Header> default_headers;
};

std::string Response::header(std::string_view name) const {
  for (const auto& header : headers) {
    if (beast::iequals(header.name, name)) return header.value;
  }
  return {};
}

Result<HttpClient> HttpClient::create(const ClientOptions& options) {
  std::optional<ssl::context> tls_context;
  if (options.url.tls) {
    auto context = detail::make_tls_context(options);
    if (!context) return std::move(context).error();
    tls_context.emplace(std::move(*context));
  }
  return HttpClient(std::make_unique<Impl>(options, std::move(tls_context)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

void HttpClient::add_default_header(std::string name, std::string value) {
  impl_->default_headers.push_back({std::move(name), std::move(value)});
}

Result<Response> HttpClient::request(std::string_view method, const std::string& target,
                                     std::string_view content_type, std::string_view body,
                                     const std::vector<Header>& headers) {
  http::verb verb = http::string_to_verb(method);
  assert(verb != http::verb::unknown);
  MemorySource source(body);
  return impl_->run(
      impl_->perform({verb, target, content_type, source, body.size(), kNoProgress, headers},
                     {nullptr, kNoProgress}));
}

Result<Response> HttpClient::upload(std::string_view method, const std::string& target,
                                    std::string_view content_type,
                                    const std::filesystem::path& file,
                                    const ProgressCallback& progress,
                                    const std::vector<Header>& headers) {
  http::verb verb = http::string_to_verb(method);
  assert(verb != http::verb::unknown);
  auto source = FileSource::open(file);
  if (!source) return std::move(source).error();
  std::error_code size_error;
  std::uint64_t size = std::filesystem::file_size(file, size_error);
  if (size_error) return Error{"io.stat", size_error.message(), file.string()};
  return impl_->run(impl_->perform({verb, target, content_type, *source, size, progress, headers},
                                   {nullptr, kNoProgress}));
}

Result<Response> HttpClient::download(const std::string& target, ByteSink& sink,
                                      const ProgressCallback& progress) {
  MemorySource no_body({});
  return impl_->run(impl_->perform(
      {http::verb::get, target, {}, no_body, 0, kNoProgress, kNoHeaders}, {&sink, progress}));
}

Error error_from_response(unsigned status, std::string_view body) {
  boost::system::error_code not_json;
  auto value = boost::json::parse(body, not_json);
  const auto* object = !not_json ? value.if_object() : nullptr;
  const auto* code = object != nullptr ? object->if_contains("code") : nullptr;
  const auto* message = object != nullptr ? object->if_contains("message") : nullptr;
  if (code != nullptr && code->is_string() && !code->get_string().empty() && message != nullptr &&
      message->is_string()) {
    Error error{printable(code->get_string()), printable(message->get_string()), {}};
    const auto* details = object->if_contains("details");
    if (details != nullptr && details->is_string()) {
      error.detail = printable(details->get_string());
    } else if (details != nullptr && !details->is_null()) {
      error.detail = printable(boost::json::serialize(*details));
    }
    return error;
  }
  return Error{"client.protocol",
               "the hub answered HTTP " + std::to_string(status) + " without an error code",
               printable(body.substr(0, 200))};
}

}  // namespace truc::https
