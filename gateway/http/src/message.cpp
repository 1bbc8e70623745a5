#include "message.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/beast/core/file_base.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "truc/common/digest.hpp"
#include "truc/common/log.hpp"
#include "truc/common/random.hpp"

namespace truc::http {
namespace http = boost::beast::http;
namespace {

std::string lowercase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// RFC 9110 §5.6.2 tchar.
bool is_token(std::string_view text) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](unsigned char c) {
    return std::isalnum(c) != 0 || kSymbols.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool is_field_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Framing and identification are the transport's; a handler's own value would contradict them.
bool is_transport_header(std::string_view lowercase_name) {
  return lowercase_name == "content-length" || lowercase_name == "transfer-encoding" ||
         lowercase_name == "connection" || lowercase_name == "x-request-id";
}

Response handler_bug(const std::string& request_id, std::string_view what) {
  log_event("error", "invalid_response", {{"request_id", request_id}, {"reason", what}});
  return Response::error(
      Error{"server.internal", "the response could not be produced", "request " + request_id});
}

// RFC 9110 §15.3.5, §15.4.5: no content, and no Content-Length either.
bool carries_body(unsigned status) { return status != 204 && status != 304; }

std::optional<Response> check_response(const Response& response, const std::string& request_id) {
  if (response.status < 200 || response.status > 599) {
    return handler_bug(request_id, "status " + std::to_string(response.status));
  }
  if (!carries_body(response.status) && (!response.body.empty() || response.body_file)) {
    return handler_bug(request_id, "a body with status " + std::to_string(response.status));
  }
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_field_value(value)) {
      return handler_bug(request_id, "header not sendable: " + name);
    }
  }
  return std::nullopt;
}

template <typename Body>
void fill_head(http::response<Body>& message, const Response& response,
               const std::string& request_id, bool keep_alive) {
  message.version(11);
  message.result(response.status);
  bool has_content_type = false;
  for (const auto& [name, value] : response.headers) {
    std::string lowercase_name = lowercase(name);
    if (is_transport_header(lowercase_name)) continue;
    has_content_type = has_content_type || lowercase_name == "content-type";
    message.insert(name, value);
  }
  // Errors from the transport and Response::error are JSON; a bare error from a handler is too.
  if (!has_content_type && response.status >= 400) {
    message.set(http::field::content_type, "application/json");
  }
  message.set("X-Request-Id", request_id);
  message.keep_alive(keep_alive);
}

}  // namespace

std::string new_request_id() {
  // Unique, not secret: a random prefix per process (the process id and start time should the
  // generator fail) and a counter. No request ever fails for want of an id.
  static const std::string prefix = [] {
    if (auto random = random_hex(4)) return *random;
    char fallback[9];
    std::snprintf(fallback, sizeof fallback, "%08x",
                  static_cast<unsigned>(::getpid()) ^ static_cast<unsigned>(::time(nullptr)));
    return std::string(fallback);
  }();
  static std::atomic<std::uint32_t> counter{0};
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", counter.fetch_add(1));
  return prefix + suffix;
}

void copy_request_head(const http::request_header<>& head, Request& request) {
  request.method = std::string(head.method_string());
  request.headers.clear();
  for (const auto& field : head) {
    request.headers.emplace_back(lowercase(field.name_string()), std::string(field.value()));
  }
}

std::uint64_t body_limit(BodyMode mode, const ListenerSettings& settings) {
  switch (mode) {
    case BodyMode::none:
      return 0;
    case BodyMode::memory:
      return settings.max_memory_body_bytes;
    case BodyMode::spool:
      return settings.max_body_bytes;
  }
  return 0;
}

std::optional<Error> read_error_answer(const boost::system::error_code& error) {
  if (error.category() != http::make_error_code(http::error::end_of_stream).category()) {
    return std::nullopt;  // socket, timer or TLS: the peer cannot or will not read an answer
  }
  switch (static_cast<http::error>(error.value())) {
    case http::error::end_of_stream:
    case http::error::partial_message:
      return std::nullopt;
    case http::error::header_limit:
    case http::error::buffer_overflow:
      return Error{"request.headers_too_large", "the request headers are too large",
                   error.message()};
    case http::error::body_limit:
      return Error{"request.too_large", "the request body is too large", error.message()};
    default:
      return Error{"request.malformed", "the request is not valid HTTP/1.1", error.message()};
  }
}

Response transport_error_response(const Error& error) {
  Response response = Response::error(error);
  if (error.code == "request.headers_too_large") response.status = 431;
  return response;
}

namespace {

// Removes a body file made for one response when the response is on its way: once the file is
// open (an open file stays readable after unlink), or when it will not be sent at all.
struct TemporaryBodyFile {
  std::optional<std::filesystem::path> path;
  ~TemporaryBodyFile() {
    std::error_code ignored;
    if (path) std::filesystem::remove(*path, ignored);
  }
};

}  // namespace

WireResponse to_wire_response(Response response, const std::string& request_id, bool keep_alive) {
  TemporaryBodyFile temporary{response.body_file_temporary ? response.body_file : std::nullopt};
  if (auto replacement = check_response(response, request_id)) response = std::move(*replacement);

  if (response.body_file) {
    http::file_body::value_type file;
    boost::system::error_code error;
    file.open(response.body_file->c_str(), boost::beast::file_mode::scan, error);
    if (!error) {
      http::response<http::file_body> message;
      fill_head(message, response, request_id, keep_alive);
      message.body() = std::move(file);
      message.prepare_payload();
      return message;
    }
    response = handler_bug(request_id,
                           "body file " + response.body_file->string() + ": " + error.message());
  }
  http::response<http::string_body> message;
  fill_head(message, response, request_id, keep_alive);
  message.body() = std::move(response.body);
  if (carries_body(response.status)) message.prepare_payload();
  return message;
}

unsigned wire_status(const WireResponse& response) {
  return std::visit([](const auto& message) { return message.result_int(); }, response);
}

}  // namespace truc::http
