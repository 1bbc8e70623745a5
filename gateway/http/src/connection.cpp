#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cassert>
#include <chrono>
#include <type_traits>
#include <vector>

#include "message.hpp"
#include "tls_context.hpp"
#include "truc/common/log.hpp"
#include "truc/http/request_target.hpp"
#include "truc/http/spool_file.hpp"

namespace truc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Body bytes move from the socket to their sink in pieces of this size, so memory does not grow
// with the body.
constexpr std::size_t kBodyChunkBytes = 64 * 1024;
// The first read of a request: enough for most request heads; the rest grows the buffer.
constexpr std::size_t kFirstReadBytes = 4 * 1024;
// How much of a body we refused we still read and drop before closing: closing with unread
// bytes makes the kernel send a reset, and the client may then lose our answer (RFC 9112 §9.6).
constexpr std::size_t kDiscardLimitBytes = 1 << 20;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using BodyParser = http::request_parser<http::buffer_body>;

// How a connection goes on after a response.
enum class Continuation {
  keep_alive,         // read the next request
  close,              // the exchange is complete: close cleanly
  discard_and_close,  // request bytes are left unread: drop a bounded amount, then close
  drop,               // nothing more can be said (timeout, peer gone, broken TLS): close at once
};

// One request and what the access record says about it.
struct Exchange {
  Exchange(const ListenerSettings& settings, const std::optional<PeerCertificate>& peer,
           const std::string& remote_address)
      : started(std::chrono::steady_clock::now()) {
    request.request_id = new_request_id();
    request.remote_address = remote_address;
    request.peer_certificate = peer;
    record.listener = settings.name;
    record.route = "unmatched";
    record.request_id = request.request_id;
    if (peer) record.peer = peer->sha256_fingerprint;
  }

  Request request;
  RequestRecord record;
  bool client_keeps_alive = false;
  std::chrono::steady_clock::time_point started;
};

class AppendToString final : public ByteSink {
 public:
  explicit AppendToString(std::string& target) : target_(target) {}
  Status write(std::string_view bytes) override {
    target_.append(bytes);
    return ok_status();
  }

 private:
  std::string& target_;
};

// Runs on a worker thread. A gate or handler that throws is a bug in it, not in the client's
// request: the client gets a 500, the server keeps serving, and the log says what happened.
template <typename Call>
auto call_route(const Route& route, Request& request, Call call) noexcept -> decltype(call()) {
  try {
    return call();
  } catch (const std::exception& error) {
    log_event("error", "handler_failed",
              {{"request_id", request.request_id},
               {"route", route.pattern},
               {"exception", error.what()}});
  } catch (...) {
    log_event("error", "handler_failed",
              {{"request_id", request.request_id},
               {"route", route.pattern},
               {"exception", "not derived from std::exception"}});
  }
  return Response::error(Error{"server.internal", "the request could not be handled",
                               "request " + request.request_id});
}

Response busy_response() {
  Response busy = Response::error(Error{"server.busy", "the hub is busy; retry later", ""});
  busy.headers.emplace_back("Retry-After", "1");
  return busy;
}

Response unrouted_response(const Router::Match& match, const Request& request) {
  if (match.status == 405) {
    Response response = Response::error(Error{"request.method_not_allowed",
                                              "this resource does not accept the method",
                                              request.method + " " + request.path});
    std::string allowed;
    for (const auto& method : match.allowed_methods) {
      allowed += (allowed.empty() ? "" : ", ") + method;
    }
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return Response::error(Error{"request.not_found", "no such resource", request.path});
}

Response internal_error_response(const Exchange& exchange) {
  return Response::error(Error{"server.internal", "the request could not be handled",
                               "request " + exchange.request.request_id});
}

template <typename Stream>
Stream make_stream(asio::ip::tcp::socket socket, const Listener& listener) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return TlsStream(std::move(socket), *listener.tls);
  } else {
    return PlainStream(std::move(socket));
  }
}

template <typename Stream>
class Connection final : public DrainableConnection,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(ServerCore& core, ConnectionSlot slot, asio::ip::tcp::socket socket)
      : core_(core),
        slot_(std::move(slot)),
        listener_(*slot_.listener()),
        settings_(listener_.settings),
        stream_(make_stream<Stream>(std::move(socket), listener_)),
        buffer_(settings_.max_header_bytes + kBodyChunkBytes) {}
  ~Connection() override { core_.unregister_connection(this); }

  void close_if_idle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) self->socket_layer().close();
    });
  }
  void close_now() override {
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this()] { self->socket_layer().close(); });
  }

  asio::any_io_executor executor() override { return stream_.get_executor(); }

  asio::awaitable<void> serve() {
    first_request_deadline_ = std::chrono::steady_clock::now() + settings_.first_request_timeout;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      socket_layer().expires_at(first_request_deadline_);
      auto [error] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
      // A certificate that does not verify, a protocol below TLS 1.2, a port scanner: there is
      // nobody to answer.
      if (error) co_return;
      peer_ = verified_peer_certificate(stream_.native_handle());
    }
    // Anonymous connections beyond their share are closed without a word: answering would cost
    // what the limit is there to save.
    if (!slot_.settle(peer_.has_value())) co_return;
    Continuation next = Continuation::keep_alive;
    for (bool first = true; next == Continuation::keep_alive; first = false) {
      if (!co_await wait_for_request(first)) {
        next = Continuation::drop;
        break;
      }
      next = co_await serve_request();
    }
    co_await close(next);
  }

 private:
  beast::tcp_stream& socket_layer() { return beast::get_lowest_layer(stream_); }

  // Waits for the first byte of a request under the idle deadline; the drain may close the
  // connection meanwhile. False when the connection is over.
  asio::awaitable<bool> wait_for_request(bool first) {
    if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
    // An idle connection holds no large buffer: thousands of agencies keep one open.
    buffer_.shrink_to_fit();
    if (core_.draining) co_return false;
    idle_ = true;
    if (first) {
      socket_layer().expires_at(first_request_deadline_);
    } else {
      socket_layer().expires_after(settings_.idle_timeout);
    }
    auto [error, received] =
        co_await stream_.async_read_some(buffer_.prepare(kFirstReadBytes), kUseTuple);
    idle_ = false;
    if (error) co_return false;
    buffer_.commit(received);
    co_return true;
  }

  asio::awaitable<Continuation> serve_request() {
    Exchange exchange(settings_, peer_, slot_.address());
    Request& request = exchange.request;

    BodyParser parser;
    parser.header_limit(settings_.max_header_bytes);
    // The limit depends on the route, known only once the header is in (receive_body sets it);
    // left at Beast's default, a declared length over 1 MiB would fail the header read itself.
    parser.body_limit(boost::none);
    socket_layer().expires_after(settings_.io_timeout);
    auto [header_error, header_bytes] =
        co_await http::async_read_header(stream_, buffer_, parser, kUseTuple);
    exchange.record.request_bytes = header_bytes;
    if (header_error) co_return co_await answer_read_error(exchange, header_error);

    copy_request_head(parser.get(), request);
    exchange.record.method = request.method;
    exchange.client_keeps_alive = parser.get().keep_alive();
    // Answering before the body was read leaves its bytes in the way of the next request.
    const Continuation after_early_answer =
        parser.is_done() ? Continuation::keep_alive : Continuation::discard_and_close;

    auto target = parse_request_target(parser.get().target());
    if (!target) {
      co_return co_await respond(exchange, transport_error_response(target.error()),
                                 after_early_answer);
    }
    request.path = std::move(target->path);
    request.query = std::move(target->query);

    Router::Match match = listener_.router.match(request.method, request.path);
    if (match.route == nullptr) {
      co_return co_await respond(exchange, unrouted_response(match, request), after_early_answer);
    }
    const Route& route = *match.route;
    exchange.record.route = route.pattern;
    request.path_parameters = std::move(match.parameters);

    if (route.gate) {
      auto place = core_.workers.try_reserve();
      if (!place) co_return co_await respond(exchange, busy_response(), after_early_answer);
      // Named, not a temporary in the co_await expression: GCC 12 runs the destructor of a
      // lambda's init-captures twice when the lambda is a temporary there, which would release
      // the pending-job token twice.
      auto check = [&route, &request, pending = core_.pending_jobs.acquire()]() noexcept {
        return call_route(route, request,
                          [&]() -> std::optional<Response> { return route.gate(request); });
      };
      std::optional<Response> refusal =
          co_await core_.workers.run_reserved(std::move(*place), std::move(check));
      if (refusal) co_return co_await respond(exchange, std::move(*refusal), after_early_answer);
    }
    // A place on the worker pool before the body: a busy hub answers 503 at the headers
    // rather than after taking a 150 MB upload it cannot handle.
    auto reservation = core_.workers.try_reserve();
    if (!reservation) co_return co_await respond(exchange, busy_response(), after_early_answer);
    std::optional<SpoolFile> spool;
    if (auto refusal = co_await receive_body(exchange, parser, route.body, spool)) {
      co_return *refusal;
    }
    // Named for the same GCC 12 reason as the gate's check above.
    auto handle = [&route, &request, pending = core_.pending_jobs.acquire()]() noexcept {
      return call_route(route, request, [&] { return route.handler(request); });
    };
    Response response =
        co_await core_.workers.run_reserved(std::move(*reservation), std::move(handle));
    spool.reset();  // the handler had its chance to move the body file somewhere to keep it
    co_return co_await respond(exchange, std::move(response), Continuation::keep_alive);
  }

  // Streams the body into Request::body or a spool file, within the route's limit. Returns how
  // the connection continues when the request was refused or the read failed; nothing when the
  // request is ready for its handler.
  asio::awaitable<std::optional<Continuation>> receive_body(Exchange& exchange, BodyParser& parser,
                                                            BodyMode mode,
                                                            std::optional<SpoolFile>& spool) {
    Request& request = exchange.request;
    const std::uint64_t limit = body_limit(mode, settings_);
    const auto declared = parser.content_length();
    // A route without a body refuses a chunked one at once rather than after 100 Continue.
    const bool refused = declared ? *declared > limit : limit == 0 && !parser.is_done();
    if (refused) {
      co_return co_await respond(exchange, too_large_response(limit),
                                 Continuation::discard_and_close);
    }
    // Chunked bodies are held to the limit by the parser as the chunk sizes arrive.
    parser.body_limit(limit);

    std::optional<AppendToString> memory;
    ByteSink* sink = nullptr;
    if (mode == BodyMode::spool) {
      auto created = SpoolFile::create(settings_.spool_directory, request.request_id);
      if (!created) co_return co_await refuse_for_storage(exchange, created.error());
      spool.emplace(std::move(*created));
      request.body_file = spool->path();
      sink = &*spool;
    } else {
      memory.emplace(request.body);
      sink = &*memory;
    }
    if (!parser.is_done()) {
      // RFC 9110 §10.1.1: a client that asked may be waiting for this before it sends the body.
      auto expect = parser.get()[http::field::expect];
      if (beast::iequals(expect, "100-continue") && !co_await send_continue()) {
        co_return Continuation::drop;
      }
    }

    std::vector<char> chunk;
    while (!parser.is_done()) {
      chunk.resize(kBodyChunkBytes);
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      socket_layer().expires_after(settings_.io_timeout);
      auto [error, ignored] = co_await http::async_read(stream_, buffer_, parser, kUseTuple);
      std::size_t received = chunk.size() - parser.get().body().size;
      if (received > 0) {
        if (auto written =
                co_await write_body(*sink, mode, std::string_view(chunk.data(), received));
            !written) {
          co_return co_await refuse_for_storage(exchange, written.error());
        }
        request.body_size += received;
        exchange.record.request_bytes += received;
      }
      if (error == http::error::need_buffer) continue;  // our chunk is full; go round
      if (error) co_return co_await answer_read_error(exchange, error);
    }
    if (auto finished = co_await finish_body(*sink, mode); !finished) {
      co_return co_await refuse_for_storage(exchange, finished.error());
    }
    co_return std::nullopt;
  }

  // A spooled body is written on the spool writer's thread, never on this I/O thread.
  asio::awaitable<Status> write_body(ByteSink& sink, BodyMode mode, std::string_view bytes) {
    if (mode != BodyMode::spool) co_return sink.write(bytes);
    co_return co_await on_spool_writer([&sink, bytes]() noexcept { return sink.write(bytes); });
  }

  asio::awaitable<Status> finish_body(ByteSink& sink, BodyMode mode) {
    if (mode != BodyMode::spool) co_return sink.finish();
    co_return co_await on_spool_writer([&sink]() noexcept { return sink.finish(); });
  }

  template <typename Write>
  asio::awaitable<Status> on_spool_writer(Write write) {
    auto place = core_.spool_writes.try_reserve();
    assert(place && "the spool writer's queue is unbounded");
    // Named for the same GCC 12 reason as the gate's check in serve_request.
    auto job = [write = std::move(write), pending = core_.pending_jobs.acquire()]() noexcept {
      return write();
    };
    co_return co_await core_.spool_writes.run_reserved(std::move(*place), std::move(job));
  }

  Response too_large_response(std::uint64_t limit) {
    return Response::error(Error{"request.too_large", "the request body is too large",
                                 "limit " + std::to_string(limit) + " bytes"});
  }

  // The spool directory is full or unwritable: the operator's problem, not the client's.
  asio::awaitable<Continuation> refuse_for_storage(Exchange& exchange, const Error& error) {
    log_event("error", "spool_failed",
              {{"request_id", exchange.request.request_id},
               {"code", error.code},
               {"message", error.message},
               {"detail", error.detail}});
    co_return co_await respond(exchange, internal_error_response(exchange),
                               Continuation::discard_and_close);
  }

  asio::awaitable<bool> send_continue() {
    http::response<http::empty_body> interim{http::status::continue_, 11};
    socket_layer().expires_after(settings_.io_timeout);
    auto [error, written] = co_await http::async_write(stream_, interim, kUseTuple);
    co_return !error;
  }

  asio::awaitable<Continuation> answer_read_error(Exchange& exchange, beast::error_code error) {
    std::optional<Error> answer = read_error_answer(error);
    if (!answer) co_return Continuation::drop;
    co_return co_await respond(exchange, transport_error_response(*answer),
                               Continuation::discard_and_close);
  }

  // Writes the response, records the exchange, and says how the connection goes on: closed when
  // the client asked, when the server drains, or when `after` already said so.
  asio::awaitable<Continuation> respond(Exchange& exchange, Response response, Continuation after) {
    const bool keep_alive =
        after == Continuation::keep_alive && exchange.client_keeps_alive && !core_.draining;
    if (after == Continuation::keep_alive && !keep_alive) after = Continuation::close;

    WireResponse wire =
        to_wire_response(std::move(response), exchange.request.request_id, keep_alive);
    exchange.record.status = wire_status(wire);
    beast::error_code error;
    if (auto* file = std::get_if<http::response<http::file_body>>(&wire)) {
      error = co_await write_message(*file);
    } else {
      error = co_await write_message(std::get<http::response<http::string_body>>(wire));
    }
    exchange.record.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - exchange.started);
    if (core_.observer) core_.observer(exchange.record);
    co_return error ? Continuation::drop : after;
  }

  // Piece by piece so that each write has its own deadline: a large file may take longer than
  // io_timeout in total, but no single write may.
  template <typename Body>
  asio::awaitable<beast::error_code> write_message(http::response<Body>& message) {
    http::response_serializer<Body> serializer(message);
    while (!serializer.is_done()) {
      socket_layer().expires_after(settings_.io_timeout);
      auto [error, written] = co_await http::async_write_some(stream_, serializer, kUseTuple);
      if (error) co_return error;
    }
    co_return beast::error_code{};
  }

  asio::awaitable<void> close(Continuation how) {
    beast::error_code ignored;
    switch (how) {
      case Continuation::keep_alive:
      case Continuation::close:
        if constexpr (std::is_same_v<Stream, TlsStream>) {
          socket_layer().expires_after(settings_.io_timeout);
          co_await stream_.async_shutdown(kUseTuple);
        } else {
          socket_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        }
        break;
      case Continuation::discard_and_close:
        co_await discard_unread_input();
        break;
      case Continuation::drop:
        break;
    }
    socket_layer().close();
  }

  // Below TLS on purpose: we are done with this connection and only want the peer to read our
  // answer before the socket goes. One deadline for the whole discard, so a trickling client
  // cannot stretch it.
  asio::awaitable<void> discard_unread_input() {
    beast::error_code ignored;
    socket_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    socket_layer().expires_after(settings_.io_timeout);
    std::vector<char> scratch(kBodyChunkBytes);
    for (std::size_t discarded = 0; discarded < kDiscardLimitBytes;) {
      auto [error, received] =
          co_await socket_layer().async_read_some(asio::buffer(scratch), kUseTuple);
      if (error) break;
      discarded += received;
    }
  }

  ServerCore& core_;
  ConnectionSlot slot_;
  const Listener& listener_;
  const ListenerSettings& settings_;
  Stream stream_;
  beast::flat_buffer buffer_;
  bool idle_ = false;  // waiting for a request; touched on the connection's strand only
  std::optional<PeerCertificate> peer_;
  std::chrono::steady_clock::time_point first_request_deadline_;
};

// A free function, not a lambda: the frame owns the connection (a capturing lambda coroutine
// would leave the frame pointing into a destroyed closure).
template <typename Stream>
asio::awaitable<void> serve_connection(std::shared_ptr<Connection<Stream>> connection) {
  co_await connection->serve();
}

template <typename Stream>
void spawn_connection(ServerCore& core, ConnectionSlot slot, asio::ip::tcp::socket socket) {
  auto connection = std::make_shared<Connection<Stream>>(core, std::move(slot), std::move(socket));
  core.register_connection(connection);
  auto executor = connection->executor();
  asio::co_spawn(executor, serve_connection(std::move(connection)),
                 [](std::exception_ptr failure) { log_if_failed("connection_failed", failure); });
}

}  // namespace

void start_connection(ServerCore& core, ConnectionSlot slot, asio::ip::tcp::socket socket) {
  if (slot.listener()->tls) {
    spawn_connection<TlsStream>(core, std::move(slot), std::move(socket));
  } else {
    spawn_connection<PlainStream>(core, std::move(slot), std::move(socket));
  }
}

}  // namespace truc::http
