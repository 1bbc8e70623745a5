#pragma once

// Conversions between Beast's messages and the hub's Request/Response, and the decisions that
// do not depend on the stream: body limits, what a read error means for the client, and what a
// handler's response may carry on the wire.

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "truc/http/http.hpp"
#include "truc/http/server.hpp"

namespace truc::http {

// 16 lowercase hex digits from the OpenSSL random generator.
std::string new_request_id();

// Method and headers (names lowercased, in order) into `request`.
void copy_request_head(const boost::beast::http::request_header<>& head, Request& request);

// The most body bytes a route accepts on this listener.
std::uint64_t body_limit(BodyMode mode, const ListenerSettings& settings);

// What a failed read means for the client: an error to answer, or nothing when only closing
// the connection makes sense (the peer went away, timed out, or broke TLS).
std::optional<Error> read_error_answer(const boost::system::error_code& error);

// Response::error, except that request.headers_too_large is 431 (RFC 6585 §5), which the shared
// error_status table does not know.
Response transport_error_response(const Error& error);

using WireResponse = std::variant<boost::beast::http::response<boost::beast::http::string_body>,
                                  boost::beast::http::response<boost::beast::http::file_body>>;

// The handler's response as it goes on the wire, with X-Request-Id, Content-Length and
// Connection set by the transport. A response the transport cannot send as given (a header with
// a line break, a status out of range, a body file that does not open) becomes a 500 and is
// logged: it is a handler bug, and the client must not receive half of it.
WireResponse to_wire_response(Response response, const std::string& request_id, bool keep_alive);

unsigned wire_status(const WireResponse& response);

}  // namespace truc::http
