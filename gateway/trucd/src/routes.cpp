#include "truc/trucd/routes.hpp"

#include "truc/api/admin_api.hpp"
#include "truc/api/native_api.hpp"
#include "truc/api/systems_api.hpp"

namespace truc::trucd {

Routes make_routes(RouteSources sources) {
  Routes routes;
  api::add_native_api(routes.agency, sources.hub);
  api::add_monitor_routes(routes.monitor, std::move(sources.monitor));
  api::add_admin_api(routes.monitor, sources.hub, sources.directory, sources.admin_token,
                     sources.clock);
  if (sources.compat) {
    api::add_systems_api(routes.monitor, sources.directory, sources.compat->secret_key,
                         sources.admin_token);
    api::add_compat_api(routes.agency, sources.hub, sources.directory, std::move(*sources.compat));
  }
  return routes;
}

}  // namespace truc::trucd
