#include "truc/office/push_endpoint.hpp"

#include <boost/json.hpp>

namespace truc::office {
namespace {

using http::Request;
using http::Response;

std::string header_or_empty(const Request& request, std::string_view name) {
  auto value = request.header(name);
  return value ? std::string(*value) : std::string();
}

}  // namespace

http::Router push_routes(Inbox& inbox, std::string hub_certificate_sha256) {
  http::Router router;
  auto only_the_hub =
      [pinned = std::move(hub_certificate_sha256)](Request& request) -> std::optional<Response> {
    if (!request.peer_certificate) {
      return Response::error({"auth.certificate_required",
                              "the push endpoint needs the hub's client certificate", ""});
    }
    if (request.peer_certificate->sha256_fingerprint != pinned) {
      return Response::error({"auth.unknown_certificate", "only the hub may push here",
                              request.peer_certificate->subject});
    }
    return std::nullopt;
  };
  router.add(
      {"POST", "/push", http::BodyMode::spool,
       [&inbox](Request& request) {
         if (!request.body_file || request.body_size == 0) {
           return Response::error({"request.empty_body", "the body must be an edXML document", ""});
         }
         Delivery delivery{header_or_empty(request, "x-truc-package-id"),
                           header_or_empty(request, "x-truc-kind"),
                           header_or_empty(request, "x-truc-sender"),
                           header_or_empty(request, "x-truc-recipient"),
                           header_or_empty(request, "x-truc-sha256"),
                           "push"};
         auto stored = inbox.receive(delivery, *request.body_file);
         if (!stored) return Response::error(stored.error());
         return Response::json(*stored ? 201 : 200, boost::json::serialize(boost::json::object{
                                                        {"hub_package_id", delivery.hub_package_id},
                                                        {"stored", *stored ? "new" : "already"}}));
       },
       only_the_hub});
  return router;
}

}  // namespace truc::office
