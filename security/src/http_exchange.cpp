#include "truc/security/http_exchange.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace truc::security {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Result<std::string> http_exchange(const std::string& url, const std::string& body,
                                  const std::string& content_type, std::chrono::seconds timeout,
                                  std::size_t max_bytes) {
  auto failed = [&](std::string reason) {
    return Error{"revocation.http_failed", "an HTTP request failed", std::move(reason)};
  };
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty())
    return failed("not an http:// URL");
  std::string host = parsed->host();
  std::string port = parsed->has_port() ? std::string(parsed->port()) : "80";
  std::string target =
      parsed->encoded_target().empty() ? "/" : std::string(parsed->encoded_target());
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    asio::ip::tcp::resolver resolver(io);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> request{body.empty() ? http::verb::get : http::verb::post,
                                             target, 11};
    request.set(http::field::host, host);
    request.set(http::field::user_agent, "trucd");
    if (!body.empty()) {
      request.set(http::field::content_type, content_type);
      request.body() = body;
    }
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_bytes);
    http::read(stream, buffer, parser);
    if (parser.get().result_int() != 200)
      return failed("HTTP status " + std::to_string(parser.get().result_int()));
    return std::move(parser.get().body());
  } catch (const boost::system::system_error& error) {
    return failed(error.code().message());
  }
}

}  // namespace truc::security
