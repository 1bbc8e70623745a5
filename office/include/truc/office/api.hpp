#pragma once

// The office's HTTP face on its web listener: the JSON API under /office/api/v1
// (docs/api/office.yaml) and, for every other GET, the built web app. Each API route names the
// Action it needs; its gate finds the session behind the cookie, checks the CSRF token of
// requests that change something and asks role_may() before the handler runs.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "truc/http/http.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/assignments.hpp"
#include "truc/office/authorization.hpp"
#include "truc/office/catalogues.hpp"
#include "truc/office/delegations.hpp"
#include "truc/office/incoming.hpp"
#include "truc/office/oversight.hpp"
#include "truc/office/register_book.hpp"
#include "truc/office/uploads.hpp"

namespace truc::store {
class BlobStore;
}

namespace truc::office {

// The session cookie: HttpOnly, Secure, SameSite=Strict, Path=/.
inline constexpr const char* kSessionCookie = "truc_office_session";

struct ApiServices {
  Accounts& accounts;
  Catalogues& catalogues;
  IncomingDocuments& incoming;
  Assignments& assignments;
  RegisterBooks& register_books;
  Uploads& uploads;
  Oversight& oversight;
  Delegations& delegations;
  const store::BlobStore& blobs;  // attachments; its tmp/ spools the register books
};

struct ApiRoute {
  http::Route route;
  // What the caller must be allowed; nothing for the one open route, signing in.
  std::optional<Action> action;
};

// The API routes, in the order they are matched: what web_routes() serves and what the
// authorization test walks.
std::vector<ApiRoute> api_routes(ApiServices services);

// api_routes(), then GET /{path...} serving the web app from `static_directory`
// (config.invalid when it holds no built web app).
Result<http::Router> web_routes(ApiServices services,
                                const std::filesystem::path& static_directory);

}  // namespace truc::office
