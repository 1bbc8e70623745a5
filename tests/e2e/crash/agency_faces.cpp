#include "agency_faces.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <regex>

#include "run_control.hpp"
#include "truc/common/base64.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/url.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::crash {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

https::ClientOptions client_options(const std::string& url, const testing::HubProcess& hub) {
  https::ClientOptions options;
  options.url = parse_url(url).value();
  options.ca_file = hub.ca().certificate;
  options.operation_timeout = 30s;
  return options;
}

}  // namespace

NativeFace::NativeFace(const testing::HubProcess& hub, const HubAddress& address,
                       const testing::TestAgency& agency, std::filesystem::path scratch)
    : hub_(hub), address_(address), agency_(agency), scratch_(std::move(scratch)) {}

Result<std::string> NativeFace::send(const std::filesystem::path& document, bool) {
  auto sent = client().send(document);
  if (!sent) return std::move(sent).error();
  return std::string(json::parse(sent->json).at("id").as_string());
}

Result<std::vector<Listed>> NativeFace::list(bool statuses) {
  auto page = client().inbox({.kind = statuses ? "status" : "edoc", .limit = 100});
  if (!page) return std::move(page).error();
  auto answer = json::parse(*page);
  std::vector<Listed> listed;
  for (const auto& item : answer.at("items").as_array())
    listed.push_back({std::string(item.at("id").as_string())});
  return listed;
}

Result<std::string> NativeFace::fetch(const std::string& id) {
  auto output = scratch_ / "fetched.edxml";
  auto fetched = client().fetch(id, output);
  if (!fetched) return std::move(fetched).error();
  return testing::read_file(output);
}

Result<bool> NativeFace::settle(const std::string& id) {
  auto acked = client().ack(id);
  if (!acked) return std::move(acked).error();
  return true;
}

agency::HubClient& NativeFace::client() {
  auto seen = address_.current();
  if (!client_ || generation_ != seen.generation) {
    auto options = client_options(seen.url, hub_);
    options.certificate_file = agency_.certificate.certificate;
    options.key_file = agency_.certificate.key;
    client_.emplace(agency::HubClient::create(options).value());
    generation_ = seen.generation;
  }
  return *client_;
}

PlatformFace::PlatformFace(const testing::HubProcess& hub, const HubAddress& address,
                           const testing::TestAgency& agency, std::filesystem::path scratch)
    : hub_(hub), address_(address), agency_(agency), scratch_(std::move(scratch)) {}

Result<std::string> PlatformFace::send(const std::filesystem::path& document, bool status) {
  std::string bytes = testing::read_file(document);
  const std::string boundary = "truc-crash-test-boundary";
  std::string body;
  auto field = [&](const std::string& name, const std::string& value) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  };
  field("from", agency_.system_id);
  field("servicetype", "eDoc");
  field("messagetype", status ? "status" : "edoc");
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_doc\"; filename=\"" +
          document.filename().string() + "\"\r\nContent-Type: application/xml\r\n\r\n" + bytes +
          "\r\n--" + boundary + "--\r\n";
  auto body_file = scratch_ / "multipart.body";
  std::ofstream(body_file, std::ios::binary) << body;
  auto answer = call([&](https::HttpClient& http) {
    return http.upload("POST", "/sendEdoc", "multipart/form-data; boundary=" + boundary, body_file,
                       {},
                       headers({{"hash-file", sha256_hex(bytes)},
                                {"from", agency_.system_id},
                                {"servicetype", "eDoc"},
                                {"messagetype", status ? "status" : "edoc"}}));
  });
  if (!answer) return std::move(answer).error();
  return std::string(answer->at("DocId").as_string());
}

Result<std::vector<Listed>> PlatformFace::list(bool statuses) {
  auto answer = form("/getReceivedEdocList",
                     {{"servicetype", "eDoc"}, {"messagetype", statuses ? "status" : "edoc"}});
  if (!answer) return std::move(answer).error();
  std::vector<Listed> listed;
  for (const auto& item : answer->at("data").as_array())
    listed.push_back({std::string(item.at("docId").as_string())});
  return listed;
}

Result<std::string> PlatformFace::fetch(const std::string& id) {
  auto answer = form("/getEdoc", {{"docId", id}});
  if (!answer) return std::move(answer).error();
  return base64_decode(answer->at("data").as_string());
}

Result<bool> PlatformFace::settle(const std::string& id) {
  auto answer = form("/updateStatus", {{"docId", id}, {"status", "done"}});
  if (!answer) return std::move(answer).error();
  return true;
}

std::vector<https::Header> PlatformFace::headers(const testing::HeaderList& call_headers) const {
  std::vector<https::Header> headers;
  for (auto& [name, value] :
       testing::platform_signed_headers(agency_.system_id, agency_.secret, call_headers))
    headers.push_back({name, value});
  return headers;
}

Result<json::object> PlatformFace::form(const std::string& path,
                                        const testing::HeaderList& parameters) {
  const std::string kForm = "application/x-www-form-urlencoded";
  testing::HeaderList signed_parameters{{"Content-Type", kForm}};
  std::string body;
  for (const auto& [name, value] : parameters) {
    signed_parameters.emplace_back(name, value);
    body += (body.empty() ? "" : "&") + name + "=" + value;
  }
  return call([&](https::HttpClient& http) {
    return http.request("POST", path, kForm, body, headers(signed_parameters));
  });
}

template <typename Send>
Result<json::object> PlatformFace::call(Send send) {
  auto seen = address_.current();
  if (!http_ || generation_ != seen.generation) {
    http_.emplace(https::HttpClient::create(client_options(seen.url, hub_)).value());
    generation_ = seen.generation;
  }
  auto answer = send(*http_);
  if (!answer) return platform_error(std::move(answer).error());
  auto body = json::parse(answer->body).as_object();
  if (body.at("status").as_string() != "OK")
    return Error{"test.platform_failure", "the face answered FAIL with 2xx", answer->body};
  return body;
}

Error PlatformFace::platform_error(Error error) {
  static const std::regex kDescription("\"ErrorDesc\":\"([a-z_]+\\.[a-z_]+)");
  std::smatch match;
  if (error.code == "client.protocol" && std::regex_search(error.detail, match, kDescription))
    return Error{match[1], error.message, error.detail};
  return error;
}

}  // namespace truc::crash
