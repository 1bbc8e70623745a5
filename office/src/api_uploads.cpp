#include "api_support.hpp"
#include "truc/office/uploads.hpp"

namespace truc::office {

using http::BodyMode;
using http::Request;

void add_upload_routes(RouteTable& routes, ApiServices services) {
  Uploads& uploads = services.uploads;
  // The raw file as the body, its name in ?name= (percent-encoded UTF-8): a scan is sent as it
  // is, streamed to disk, never held whole in memory.
  routes.add("POST", "/uploads", BodyMode::spool, Action::upload_files,
             [&uploads](Request& request) {
               if (!request.body_file) return error_response({"upload.empty", "no file", ""});
               auto name = request.query.find("name");
               auto type = request.header("content-type");
               auto upload = uploads.receive(
                   session_of(request).account, name == request.query.end() ? "" : name->second,
                   type ? std::string(*type) : "", *request.body_file, actor_of(request));
               if (!upload) return error_response(upload.error());
               return json_response(201, json::object{{"id", upload->id},
                                                      {"name", upload->name},
                                                      {"content_type", upload->content_type},
                                                      {"size", upload->size}});
             });
}

}  // namespace truc::office
