#include "truc/cli/admin_client.hpp"

#include <sys/stat.h>

#include <boost/json.hpp>

#include "truc/common/file.hpp"

namespace truc::cli {

using https::HttpClient;
using https::Response;

namespace {

Result<std::string> body_of(Result<Response> response) {
  if (!response) return std::move(response).error();
  return std::move(response->body);
}

Status no_body(Result<Response> response) {
  if (!response) return std::move(response).error();
  return ok_status();
}

}  // namespace

Result<std::string> read_token_file(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    return Error{"config.invalid", "cannot read the admin token file", path.string()};
  }
  if ((status.st_mode & 077) != 0) {
    return Error{"config.insecure_permissions",
                 "the admin token file is readable by others; chmod 600 it", path.string()};
  }
  auto token = read_small_file(path, 64 * 1024);
  if (!token) return std::move(token).error();
  while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();
  if (token->empty())
    return Error{"config.invalid", "the admin token file is empty", path.string()};
  return token;
}

Result<AdminClient> AdminClient::create(const AdminClientOptions& options) {
  const Url& url = options.connection.url;
  if (!url.tls && !url.is_loopback()) {
    return Error{"client.insecure_url",
                 "the admin token would cross the network unencrypted; use https or a loopback "
                 "address",
                 url.authority()};
  }
  auto token = read_token_file(options.token_file);
  if (!token) return std::move(token).error();
  auto http = HttpClient::create(options.connection);
  if (!http) return std::move(http).error();
  http->add_default_header("Authorization", "Bearer " + *token);
  return AdminClient(url, std::move(*http));
}

Result<std::string> AdminClient::list_agencies() {
  return body_of(http_.request("GET", make_target(url_, {"admin", "v1", "agencies"})));
}

Result<std::string> AdminClient::get_agency(std::string_view code) {
  return body_of(
      http_.request("GET", make_target(url_, {"admin", "v1", "agencies", std::string(code)})));
}

Result<std::string> AdminClient::create_agency(std::string_view agency_json) {
  return body_of(http_.request("POST", make_target(url_, {"admin", "v1", "agencies"}),
                               "application/json", agency_json));
}

Result<std::string> AdminClient::replace_agency(std::string_view code,
                                                std::string_view agency_json) {
  return body_of(http_.request("PUT",
                               make_target(url_, {"admin", "v1", "agencies", std::string(code)}),
                               "application/json", agency_json));
}

Status AdminClient::remove_agency(std::string_view code) {
  return no_body(
      http_.request("DELETE", make_target(url_, {"admin", "v1", "agencies", std::string(code)})));
}

Result<std::string> AdminClient::import_agencies(const std::filesystem::path& csv_file) {
  return body_of(http_.upload("POST", make_target(url_, {"admin", "v1", "agencies", "import"}),
                              "text/csv", csv_file));
}

Result<std::string> AdminClient::list_certificates(std::string_view code) {
  return body_of(http_.request(
      "GET", make_target(url_, {"admin", "v1", "agencies", std::string(code), "certificates"})));
}

Result<std::string> AdminClient::add_certificate(std::string_view code,
                                                 const std::filesystem::path& pem_file) {
  return body_of(http_.upload(
      "POST", make_target(url_, {"admin", "v1", "agencies", std::string(code), "certificates"}),
      "application/x-pem-file", pem_file));
}

Status AdminClient::remove_certificate(std::string_view code, std::string_view fingerprint) {
  return no_body(
      http_.request("DELETE", make_target(url_, {"admin", "v1", "agencies", std::string(code),
                                                 "certificates", std::string(fingerprint)})));
}

Result<std::string> AdminClient::trace(std::string_view id) {
  return body_of(http_.request(
      "GET", make_target(url_, {"admin", "v1", "packages", std::string(id), "trace"})));
}

Result<std::string> AdminClient::trace_document(std::string_view document_id) {
  return body_of(http_.request("GET", make_target(url_, {"admin", "v1", "trace"},
                                                  {{"document_id", std::string(document_id)}})));
}

Status AdminClient::evidence(std::string_view id, ByteSink& sink) {
  return no_body(
      http_.download(make_target(url_, {"admin", "v1", "evidence", std::string(id)}), sink));
}

Result<std::string> AdminClient::dead_letters(const std::optional<std::string>& collector) {
  QueryParameters parameters;
  if (collector) parameters.emplace_back("collector", *collector);
  return body_of(
      http_.request("GET", make_target(url_, {"admin", "v1", "deadletters"}, parameters)));
}

Result<std::string> AdminClient::replay_dead_letters(const std::optional<std::string>& collector,
                                                     const std::optional<std::string>& package_id) {
  boost::json::object body;
  if (collector) body["collector"] = *collector;
  if (package_id) body["id"] = *package_id;
  return body_of(http_.request("POST", make_target(url_, {"admin", "v1", "deadletters", "replay"}),
                               "application/json", boost::json::serialize(body)));
}

Result<std::string> AdminClient::add_system(std::string_view system_id) {
  return body_of(http_.request(
      "POST", make_target(url_, {"admin", "v1", "systems"}), "application/json",
      boost::json::serialize(boost::json::object{{"system_id", std::string(system_id)}})));
}

Result<std::string> AdminClient::list_systems() {
  return body_of(http_.request("GET", make_target(url_, {"admin", "v1", "systems"})));
}

Status AdminClient::remove_system(std::string_view system_id) {
  return no_body(http_.request(
      "DELETE", make_target(url_, {"admin", "v1", "systems", std::string(system_id)})));
}

Result<std::string> AdminClient::traffic(const std::optional<std::string>& since,
                                         const std::optional<std::string>& until) {
  QueryParameters parameters;
  if (since) parameters.emplace_back("since", *since);
  if (until) parameters.emplace_back("until", *until);
  return body_of(http_.request("GET", make_target(url_, {"admin", "v1", "traffic"}, parameters)));
}

}  // namespace truc::cli
