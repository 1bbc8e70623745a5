#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "server_core.hpp"

namespace truc::http {

// Serves one accepted connection in a coroutine on the socket's strand: the TLS handshake when
// the listener has TLS, then requests until either side closes, a deadline passes or the server
// drains. The socket must have been accepted on a strand of core.io.
void start_connection(ServerCore& core, ConnectionSlot slot, boost::asio::ip::tcp::socket socket);

}  // namespace truc::http
