#include "truc/http/request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
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
  // Segment by segment from the encoded path, not url.segments(), which hides a leading "/." as
  // a prefix: "/././x" must not read as "/./x". Each segment is decoded on its own: "%2F" inside
  // an identifier would otherwise become a separator and route the request somewhere its sender
  // did not mean. Dot segments are refused rather than resolved, so that a proxy in front which
  // resolves them cannot route a request elsewhere than this server does.
  std::string_view rest = url.encoded_path();  // origin-form: starts with '/'
  while (!rest.empty()) {
    rest.remove_prefix(1);
    std::string_view raw = rest.substr(0, rest.find('/'));
    rest.remove_prefix(raw.size());
    auto encoded = boost::urls::make_pct_string_view(raw);
    if (!encoded) {  // parse_origin_form checked the escapes; this is belt and braces
      return Error{"request.malformed", "a path segment has a bad escape", std::string(raw)};
    }
    std::string segment = encoded->decode();
    if (segment.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
      return Error{"request.malformed", "a path segment contains an encoded '/' or NUL",
                   std::string(url.encoded_path())};
    }
    if (segment == "." || segment == "..") {
      return Error{"request.malformed", "the path has a '.' or '..' segment",
                   std::string(url.encoded_path())};
    }
    result.path += '/';
    result.path += segment;
  }
  if (result.path.empty()) result.path = "/";
  // params() decodes '+' as a space, as HTML forms and most HTTP clients encode it.
  for (auto parameter : url.params()) {
    result.query[std::string(parameter.key)] = std::string(parameter.value);
  }
  return result;
}

}  // namespace truc::http
