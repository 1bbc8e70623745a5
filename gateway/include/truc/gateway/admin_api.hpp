#pragma once

#include <string>

#include "truc/gateway/directory.hpp"
#include "truc/gateway/http.hpp"
#include "truc/gateway/hub.hpp"

namespace truc::gateway {

// The operators' API, /admin/v1, on the monitoring listener: the agency directory, traces by hub
// id or DocumentId, traffic per agency. Every request carries "Authorization: Bearer <token>".
void add_admin_api(Router& router, Hub& hub, Directory& directory, std::string token);

// `handler` behind the admin API's authentication: without "Authorization: Bearer <token>" the
// answer is 401 auth.admin_token_required. For the admin routes other files add.
Handler admin_only(std::string token, Handler handler);

}  // namespace truc::gateway
