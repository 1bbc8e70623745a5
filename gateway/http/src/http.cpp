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

// Fills `parameters` when every segment matches; a parameter matches any non-empty segment.
bool match_pattern(const std::vector<std::string_view>& pattern,
                   const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>& parameters) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t index = 0; index < pattern.size(); ++index) {
    if (is_parameter(pattern[index])) {
      if (path[index].empty()) return false;
      std::string_view name = pattern[index].substr(1, pattern[index].size() - 2);
      found.emplace(std::string(name), std::string(path[index]));
    } else if (pattern[index] != path[index]) {
      return false;
    }
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
  for (auto segment : split_segments(route.pattern)) {
    if (is_parameter(segment)) {
      assert(names.insert(segment).second && "parameter names in a pattern must be unique");
    }
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
