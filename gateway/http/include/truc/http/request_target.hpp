#pragma once

// The request-target of an HTTP/1.1 request (RFC 9112 §3.2, origin-form) split into the
// percent-decoded path the router matches and the decoded query parameters.

#include <map>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc::http {

struct RequestTarget {
  std::string path;
  std::map<std::string, std::string> query;  // a repeated key keeps its last value
};

// Error code: request.malformed (the target is not origin-form, or a path segment decodes to
// something the router would misread: a '/' or a NUL byte).
Result<RequestTarget> parse_request_target(std::string_view target);

}  // namespace truc::http
