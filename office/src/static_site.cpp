#include "truc/office/static_site.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace truc::office {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kApiRoot = "office/api";
constexpr std::string_view kApiFolder = "office/api/";
constexpr std::string_view kAssetsPrefix = "assets/";

std::string_view content_type_for(std::string_view extension) {
  // RFC 9239 for JavaScript; text types say their charset so that no browser guesses it.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  }};
  std::string lowered(extension);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (auto [known, type] : kTypes) {
    if (lowered == known) return type;
  }
  return "application/octet-stream";
}

void add_common_headers(http::Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

http::Response not_found(const http::Request& request) {
  http::Response response =
      http::Response::error(Error{"request.not_found", "no such resource", request.path});
  response.headers.emplace_back("Cache-Control", "no-cache");
  add_common_headers(response);
  return response;
}

http::Response file_response(const fs::path& file, bool immutable) {
  http::Response response;
  const std::string_view type = content_type_for(file.extension().string());
  response.headers.emplace_back("Content-Type", std::string(type));
  response.headers.emplace_back("Cache-Control",
                                immutable ? "public, max-age=31536000, immutable" : "no-cache");
  add_common_headers(response);
  if (type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", kAppContentSecurityPolicy);
  }
  response.body_file = file;
  return response;
}

// The path's segments when each is one a file under the root may have; nothing otherwise. The
// transport already refuses dot segments and encoded slashes and NULs in the target (see
// request_target); this does not rely on it.
std::optional<std::vector<std::string_view>> safe_segments(std::string_view relative) {
  std::vector<std::string_view> segments;
  while (true) {
    const auto slash = relative.find('/');
    const std::string_view segment = relative.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    // An empty last segment ("", "documents/") is a directory-like route, not a file name.
    if (segment.empty() && !last) return std::nullopt;
    if (segment.starts_with('.')) return std::nullopt;
    if (segment.find('\0') != std::string_view::npos) return std::nullopt;
    if (segment.find('\\') != std::string_view::npos) return std::nullopt;
    segments.push_back(segment);
    if (last) break;
    relative.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_within(const fs::path& root, const fs::path& resolved) {
  // By components, so that /srv/site-old is not taken for a folder of /srv/site.
  return std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end()).first ==
         root.end();
}

// Without throwing: a name that cannot be looked at is no file to serve.
bool names_regular_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

class StaticSite {
 public:
  explicit StaticSite(fs::path root) : root_(std::move(root)), index_(root_ / "index.html") {}

  http::Response operator()(http::Request& request) const {
    std::string_view relative = request.path;
    if (relative.starts_with('/')) relative.remove_prefix(1);
    if (relative == kApiRoot || relative.starts_with(kApiFolder)) {
      return not_found(request);
    }
    const auto segments = safe_segments(relative);
    if (!segments) return not_found(request);

    const std::string_view last = segments->back();
    if (!last.empty()) {
      fs::path candidate = root_;
      for (auto segment : *segments) candidate /= fs::path(std::string(segment));
      std::error_code error;
      const fs::path resolved = fs::weakly_canonical(candidate, error);
      // A symlink (of the file or of a folder on the way) out of the root is refused, whatever
      // it points at: the root is the whole of what this handler may show.
      if (error || !is_within(root_, resolved)) return not_found(request);
      if (names_regular_file(resolved)) {
        // The resolved name, so that the file streamed is the one checked.
        return file_response(resolved, relative.starts_with(kAssetsPrefix));
      }
      if (fs::path(std::string(last)).has_extension()) return not_found(request);
    }
    if (!names_regular_file(index_)) return not_found(request);
    return file_response(index_, false);
  }

 private:
  fs::path root_;  // canonical: symlinks resolved, so that is_within compares like with like
  fs::path index_;
};

}  // namespace

Result<http::Handler> static_site(const fs::path& root) {
  std::error_code error;
  fs::path canonical = fs::canonical(root, error);
  if (error || !fs::is_directory(canonical, error)) {
    return Error{"config.invalid", "the web app's folder does not exist", root.string()};
  }
  if (!names_regular_file(canonical / "index.html")) {
    return Error{"config.invalid",
                 "the web app's folder has no index.html (build it: cd office/web && npm ci && "
                 "npm run build)",
                 root.string()};
  }
  return http::Handler(StaticSite(std::move(canonical)));
}

}  // namespace truc::office
