#pragma once

// What trucd's two listeners answer, assembled in one place: the daemon serves these tables, and
// the authorization test walks the very same ones.

#include <optional>
#include <string>

#include "truc/api/compat_api.hpp"
#include "truc/api/monitor.hpp"
#include "truc/common/clock.hpp"
#include "truc/http/http.hpp"
#include "truc/hub/directory.hpp"
#include "truc/hub/hub.hpp"

namespace truc::trucd {

struct RouteSources {
  hub::Hub& hub;
  hub::Directory& directory;
  api::MonitorSources monitor;
  std::string admin_token;
  const Clock& clock;  // the admin traffic report's default period
  // The national platform's face and its systems API, when configured.
  std::optional<api::CompatSettings> compat;
};

struct Routes {
  http::Router agency;   // /v1 and, when configured, the compatible face
  http::Router monitor;  // /live, /ready, /metrics and /admin/v1
};

Routes make_routes(RouteSources sources);

}  // namespace truc::trucd
