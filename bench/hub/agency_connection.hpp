#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"
#include "truc/https/http_client.hpp"

namespace truc::bench {

// TLS for an agency system: the hub's CA trusted, the agency's certificate and key presented.
Result<boost::asio::ssl::context> make_agency_tls(const https::ClientOptions& options);

// An agency system's keep-alive HTTPS connection to the hub, as curl, browsers and most HTTP
// libraries open one: with TCP_NODELAY. Without it, a request written as a header and then a
// body waits, after the header, for the hub's acknowledgement, which Linux delays by up to 40 ms
// because the hub has nothing to send yet (Nagle's algorithm against delayed ACKs): that would
// measure the client, not the hub. Reconnects after a failure or a "Connection: close".
class AgencyConnection {
 public:
  struct Answer {
    unsigned status = 0;
    std::string body;
  };

  AgencyConnection(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, Url url);

  // POSTs `body` to `target`: connecting (when not connected), the handshake, the write and the
  // read each have 30 s.
  boost::asio::awaitable<Result<Answer>> post(const std::string& target,
                                              std::string_view content_type, std::string_view body);

 private:
  using Stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  boost::asio::awaitable<Status> connect();
  Error broken(std::string_view step, const boost::system::error_code& error);

  boost::asio::any_io_executor executor_;
  boost::asio::ssl::context& tls_;
  Url url_;
  std::chrono::seconds timeout_{30};
  std::optional<Stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace truc::bench
