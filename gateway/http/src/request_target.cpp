#include "truc/http/request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace truc::http {

Result<RequestTarget> parse_request_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    return Error{"request.malformed", "the request target is not a valid origin-form path",
                 parsed.error().message()};
  }
  const boost::urls::url_view& url = *parsed;
  RequestTarget result;
  // Decoded segment by segment: "%2F" inside an identifier would otherwise become a separator
  // and route the request somewhere its sender did not mean.
  for (std::string segment : url.segments()) {
    if (segment.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
      return Error{"request.malformed", "a path segment contains an encoded '/' or NUL",
                   std::string(url.encoded_path())};
    }
    result.path.insert(result.path.end(), '/');
    result.path.insert(result.path.end(), segment.begin(), segment.end());
  }
  if (result.path.empty()) result.path = "/";
  // params() decodes '+' as a space, as HTML forms and most HTTP clients encode it.
  for (auto parameter : url.params()) {
    result.query[std::string(parameter.key)] = std::string(parameter.value);
  }
  return result;
}

}  // namespace truc::http
