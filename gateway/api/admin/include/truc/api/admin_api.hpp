#pragma once

// gateway/api/admin: the operators' API, /admin/v1, on the monitoring listener.

#include <string>

#include "truc/common/clock.hpp"
#include "truc/http/http.hpp"
#include "truc/hub/directory.hpp"
#include "truc/hub/hub.hpp"

namespace truc::api {

// The operators' API, /admin/v1, on the monitoring listener: the agency directory, traces by hub
// id or DocumentId, traffic per agency. Every request carries "Authorization: Bearer <token>".
// The traffic report's default period ends at `clock`'s now (which outlives the routes).
void add_admin_api(http::Router& router, hub::Hub& hub, hub::Directory& directory,
                   std::string token, const Clock& clock);

// The admin API's gate: without "Authorization: Bearer <token>" the answer is 401
// auth.admin_token_required, at the headers. For the admin routes other files add.
http::Gate admin_gate(std::string token);

}  // namespace truc::api
