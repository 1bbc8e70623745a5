#include "truc/http/http.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <set>

namespace truc::http {
namespace {

// "/v1/packages/{id}" -> {"v1", "packages", "{id}"}; "/" -> {""}. A trailing slash gives an empty
// last segment, so "/a/" and "/a" are different paths, as they are to a client.
std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

constexpr std::string_view kRestMarker = "...}";

// "{name...}": the rest of the path; only a pattern's last segment (Router::add checks).
bool is_rest_parameter(std::string_view segment) {
  return is_parameter(segment) && segment.size() >= kRestMarker.size() + 1 &&
         segment.ends_with(kRestMarker);
}

// "{id}" -> "id", "{path...}" -> "path".
std::string_view parameter_name(std::string_view segment) {
  const std::size_t closing = is_rest_parameter(segment) ? kRestMarker.size() : 1;
  return segment.substr(1, segment.size() - 1 - closing);
}

// Fills `parameters` when every segment matches; a parameter matches any non-empty segment, a
// rest parameter the remaining zero or more segments, joined again with '/'.
bool match_pattern(const std::vector<std::string_view>& pattern,
                   const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>& parameters) {
  const bool has_rest = !pattern.empty() && is_rest_parameter(pattern.back());
  const std::size_t fixed = has_rest ? pattern.size() - 1 : pattern.size();
  if (has_rest ? path.size() < fixed : path.size() != fixed) return false;
  std::map<std::string, std::string> found;
  for (std::size_t index = 0; index < fixed; ++index) {
    if (is_parameter(pattern[index])) {
      if (path[index].empty()) return false;
      found.emplace(std::string(parameter_name(pattern[index])), std::string(path[index]));
    } else if (pattern[index] != path[index]) {
      return false;
    }
  }
  if (has_rest) {
    // "/{path...}" on "/" splits to one empty segment: the rest is "", as for zero segments.
    std::string rest;
    for (std::size_t index = fixed; index < path.size(); ++index) {
      if (index > fixed) rest += '/';
      rest += path[index];
    }
    found.emplace(std::string(parameter_name(pattern.back())), std::move(rest));
  }
  parameters = std::move(found);
  return true;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (header_name == name) return std::string_view(value);
  }
  return std::nullopt;
}

Response Response::json(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

Response Response::error(const Error& error) {
  boost::json::object object;
  object["code"] = error.code;
  object["message"] = error.message;
  object["details"] = error.detail;
  return json(error_status(error.code), boost::json::serialize(object));
}

void Router::add(Route route) {
  // A malformed table is a programming error in the composition root, not input.
  assert(route.handler && "a route needs a handler");
  assert(!route.method.empty() && !route.pattern.empty() && route.pattern.front() == '/');
#ifndef NDEBUG
  std::set<std::string_view> names;
  const auto segments = split_segments(route.pattern);
  for (std::size_t index = 0; index < segments.size(); ++index) {
    if (is_parameter(segments[index])) {
      assert(!parameter_name(segments[index]).empty() && "a parameter needs a name");
      assert(names.insert(parameter_name(segments[index])).second &&
             "parameter names in a pattern must be unique");
    }
    assert((!is_rest_parameter(segments[index]) || index + 1 == segments.size()) &&
           "a rest parameter {name...} must be the pattern's last segment");
  }
#endif
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  const auto path_segments = split_segments(path);
  Match result;
  result.status = 404;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> parameters;
    if (!match_pattern(split_segments(route.pattern), path_segments, parameters)) continue;
    if (route.method == method) {
      return Match{&route, std::move(parameters), 200, {}};
    }
    result.status = 405;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
        result.allowed_methods.end()) {
      result.allowed_methods.push_back(route.method);
    }
  }
  return result;
}

}  // namespace truc::http
