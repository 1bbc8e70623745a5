#include "truc/office/api.hpp"

#include "api_support.hpp"
#include "truc/office/static_site.hpp"

namespace truc::office {

std::vector<ApiRoute> api_routes(ApiServices services) {
  RouteTable routes(services.accounts);
  add_account_routes(routes, services);
  add_catalogue_routes(routes, services);
  add_incoming_routes(routes, services);
  add_task_routes(routes, services);
  return routes.take();
}

Result<http::Router> web_routes(ApiServices services,
                                const std::filesystem::path& static_directory) {
  auto site = static_site(static_directory);
  if (!site) return std::move(site).error();
  http::Router router;
  for (ApiRoute& route : api_routes(services)) router.add(std::move(route.route));
  router.add({"GET", "/{path...}", http::BodyMode::none, std::move(*site), {}});
  return router;
}

}  // namespace truc::office
