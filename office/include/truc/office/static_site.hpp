#pragma once

// The office web app (office/web, built to office/web/dist) as truc-office serves it: the files
// of the build, and index.html for every client-side route, so that a bookmarked or reloaded
// /documents/42 opens the app at that page.

#include <filesystem>

#include "truc/common/error.hpp"
#include "truc/http/http.hpp"

namespace truc::office {

// A handler for `GET /{path...}`, the last route of the table (the API's routes come first). It
// answers for the whole request path:
//   - a regular file under `root` is streamed, typed by its extension;
//   - office/api and anything under it is never the app: request.not_found (JSON 404), so that a
//     mistyped API call fails as an API call rather than answering with HTML;
//   - a path whose last segment has no extension (or is empty) and names no file is a
//     client-side route: index.html;
//   - anything else is request.not_found (JSON 404), as is any path with a segment that is
//     empty, starts with '.' (so "..", "." and dotfiles), or holds a NUL or a backslash, and any
//     path that resolves, through symlinks, to outside `root`.
// Files under assets/ are named by a hash of their content (Vite), so they are cached for a year
// as immutable; everything else, index.html first, is revalidated each time (no-cache). Every
// answer carries nosniff, X-Frame-Options: DENY and Referrer-Policy: no-referrer; HTML also
// carries the Content-Security-Policy below.
//
// Error code: config.invalid when `root` is not a directory holding index.html.
Result<http::Handler> static_site(const std::filesystem::path& root);

// The policy for the app's HTML. Ant Design (through its CSS-in-JS) injects <style> elements at
// run time, hence style-src 'unsafe-inline'; the build has no inline script, so scripts stay
// 'self' only.
inline constexpr const char* kAppContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

}  // namespace truc::office
