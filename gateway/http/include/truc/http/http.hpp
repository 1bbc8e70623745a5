#pragma once

// The hub's HTTP vocabulary, independent of the transport: what a handler receives and returns.
// Handlers are plain functions run on the blocking worker pool; transport code (http_server)
// stays thin.

#include <any>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::http {

// The TLS client certificate the peer presented, already verified against the listener's
// client CAs.
struct PeerCertificate {
  std::string sha256_fingerprint;  // lowercase hex of the DER
  std::string subject;
  std::string pem;
};

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // percent-decoded, without the query
  std::map<std::string, std::string> query;                  // percent-decoded
  std::map<std::string, std::string> path_parameters;        // from the route pattern, e.g. {id}
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in order
  // A body the route keeps in memory, or nothing.
  std::string body;
  // A body the route spools to disk (large uploads). The server removes the file after the
  // handler returns, unless the handler moved it elsewhere.
  std::optional<std::filesystem::path> body_file;
  std::uint64_t body_size = 0;
  std::optional<PeerCertificate> peer_certificate;
  std::string remote_address;
  std::string request_id;  // unique per request, echoed as X-Request-Id and in logs
  // What the route's gate established about the caller (e.g. the agencies a certificate acts
  // for), for its handler; empty when the route has no gate.
  std::any credentials;

  // The first header with this (lowercase) name.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Streamed from this file instead of `body` (e.g. a stored package).
  std::optional<std::filesystem::path> body_file;
  // The handler made body_file for this response alone: the transport removes it once it is
  // open (or when the response cannot be sent).
  bool body_file_temporary = false;

  static Response json(unsigned status, std::string body);
  // {"code", "message", "details"} with the HTTP status the code maps to (see error_status).
  static Response error(const Error& error);
};

// The HTTP status for an error code, by its area and reason: the one mapping the API faces share.
unsigned error_status(std::string_view code);

using Handler = std::function<Response(Request&)>;

// Decides from the request's head alone (method, path, query, headers, peer certificate) whether
// the caller may go on, and may leave what it found in Request::credentials. Runs on a worker
// thread before any body byte is read or `100 Continue` is sent, so an unauthenticated caller
// costs the hub no upload: a refusal is the response, sent at once.
using Gate = std::function<std::optional<Response>(Request&)>;

enum class BodyMode {
  none,    // the request must not have a body (a non-empty one is refused with 413)
  memory,  // kept in Request::body, up to the small-body limit
  spool,   // written to a file, up to the listener's max_body_bytes
};

struct Route {
  std::string method;
  // "/v1/packages/{id}/ack": literal segments and {name} parameters, each matching one non-empty
  // segment. A last segment {name...} matches the rest of the path, zero or more segments joined
  // with '/' ("/{path...}" gives path "assets/app.js" on "/assets/app.js" and "" on "/"); it is
  // allowed nowhere else.
  std::string pattern;
  BodyMode body = BodyMode::none;
  Handler handler;
  Gate gate;  // empty: the route is open to anyone who reaches the listener
};

// Matches method and path against the routes in order. A path that matches no pattern is 404;
// one that matches with another method is 405.
class Router {
 public:
  void add(Route route);
  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> parameters;
    unsigned status = 200;                     // 404 or 405 when route is null
    std::vector<std::string> allowed_methods;  // for a 405: the methods the path accepts (Allow)
  };
  Match match(std::string_view method, std::string_view path) const;
  // In the order added: what an authorization test walks.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace truc::http
