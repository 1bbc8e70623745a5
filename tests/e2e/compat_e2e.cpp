// The national platform's face (docs/api/compat.md) as deployed agency software uses it: a real
// trucd, and a client written here from the platform's description (shared/docs/edxml.md): HMAC
// headers signed by the test support's own platform_auth, requests sent by curl. Packages cross
// between this face and the native /v1 face both ways.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "json_answer.hpp"
#include "truc/common/base64.hpp"
#include "truc/common/digest.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc {
namespace {

using ::testing::HasSubstr;
using testing::HttpResult;
using testing::HubProcess;
using testing::json_object_of;
using ::testing::StartsWith;
namespace json = boost::json;
using Clock = std::chrono::system_clock;

std::string str(const json::value& value) { return std::string(value.as_string()); }

// Every secret a client of this suite signed with and every signature (XroadVnpt-hash-header)
// it sent: what the hub's log must never show.
struct Sent {
  std::vector<std::string> secrets;
  std::vector<std::string> signatures;
};

Sent& sent() {
  static Sent everything;
  return everything;
}

struct Signing {
  std::optional<std::string> system_id;  // default: the client's
  std::optional<std::string> secret;     // default: the client's
  Clock::time_point when = Clock::now();
};

// A platform client: every call carries XroadVnpt-timestamp and XroadVnpt-systemid and the
// call's own signed headers, the compact JSON of them in XroadVnpt-sign-header, their names in
// XroadVnpt-sign-header-key and the HMAC of the JSON in XroadVnpt-hash-header.
class PlatformClient {
 public:
  PlatformClient(HubProcess& hub, std::string system_id, std::string secret)
      : hub_(hub), system_id_(std::move(system_id)), secret_(std::move(secret)) {}

  // curl arguments for the signed headers.
  std::vector<std::string> signed_headers(const testing::HeaderList& call_headers,
                                          const Signing& signing = {}) const {
    std::vector<std::string> arguments;
    std::string secret = signing.secret.value_or(secret_);
    sent().secrets.push_back(secret);
    for (const auto& [name, value] : testing::platform_signed_headers(
             signing.system_id.value_or(system_id_), secret, call_headers, signing.when)) {
      if (name == "XroadVnpt-hash-header") sent().signatures.push_back(value);
      arguments.insert(arguments.end(), {"-H", name + ": " + value});
    }
    return arguments;
  }

  HttpResult request(const std::string& method, const std::string& path,
                     std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"--cacert", hub_.ca().certificate.string(), "-X", method});
    arguments.push_back(hub_.agency_url() + path);
    return testing::curl(arguments);
  }

  // A form post: the parameters signed, as the platform's SDK sends them, and in the body too.
  HttpResult post(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& form = {},
                  const Signing& signing = {}) const {
    testing::HeaderList signed_parameters{{"Content-Type", "application/x-www-form-urlencoded"}};
    signed_parameters.insert(signed_parameters.end(), form.begin(), form.end());
    auto arguments = signed_headers(signed_parameters, signing);
    for (const auto& [name, value] : form) {
      arguments.insert(arguments.end(), {"--data-urlencode", name + "=" + value});
    }
    if (form.empty()) arguments.insert(arguments.end(), {"--data", ""});
    return request("POST", path, arguments);
  }

  HttpResult get(const std::string& path, const Signing& signing = {}) const {
    return request("GET", path, signed_headers({}, signing));
  }

  // /sendEdoc as the notes describe it: multipart/form-data with file_doc and the fields, the
  // fields and the file's SHA-256 (hash-file) signed. `from` is the system id unless given (an
  // agency code, as deployed clients send it).
  HttpResult send(const std::filesystem::path& document, const std::string& message_type = "edoc",
                  const Signing& signing = {},
                  const std::optional<std::string>& from = std::nullopt) const {
    std::string sender = from.value_or(signing.system_id.value_or(system_id_));
    auto arguments = signed_headers({{"hash-file", sha256_hex(testing::read_file(document))},
                                     {"from", sender},
                                     {"servicetype", "eDoc"},
                                     {"messagetype", message_type}},
                                    signing);
    arguments.insert(
        arguments.end(),
        {"-F", "file_doc=@" + document.string() + ";type=application/xml", "-F", "from=" + sender,
         "-F", "servicetype=eDoc", "-F", "messagetype=" + message_type});
    return request("POST", "/sendEdoc", arguments);
  }

  const std::string& system_id() const { return system_id_; }

 private:
  HubProcess& hub_;
  std::string system_id_;
  std::string secret_;
};

// The answer's stable code: the first word of ErrorDesc on a FAIL.
std::string code_of(const HttpResult& result) {
  auto body = json_object_of(result);
  std::string status = body.contains("status") ? str(body.at("status")) : "(no status)";
  if (status == "OK") return "OK";
  if (status != "FAIL") return "unexpected status " + status;
  std::string description = str(body.at("ErrorDesc"));
  EXPECT_EQ(str(body.at("ErrorCode")), std::to_string(result.status)) << description;
  return description.substr(0, description.find(':'));
}

class CompatTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new HubProcess();
    hub_->start();
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  // The hub logs to a pipe this process reads: empty it so that the hub never blocks on it.
  void SetUp() override {
    while (hub_->process().next_line(std::chrono::milliseconds(1))) {
    }
  }

  static PlatformClient client(std::size_t agency) {
    return PlatformClient(*hub_, hub_->agency(agency).system_id, hub_->agency(agency).secret);
  }

  // Sends through the compat face and returns the DocId.
  static std::string send(std::size_t from, const std::filesystem::path& document,
                          const std::string& message_type = "edoc") {
    auto result = client(from).send(document, message_type);
    EXPECT_EQ(result.status, 200) << result.body << result.error;
    auto body = json_object_of(result);
    EXPECT_EQ(str(body.at("status")), "OK") << result.body;
    EXPECT_EQ(str(body.at("ErrorCode")), "0");
    return body.contains("DocId") ? str(body.at("DocId")) : "";
  }

  static std::vector<std::string> received_ids(std::size_t agency,
                                               const std::string& message_type = "edoc") {
    auto result = client(agency).post("/getReceivedEdocList",
                                      {{"servicetype", "eDoc"}, {"messagetype", message_type}});
    EXPECT_EQ(result.status, 200) << result.body;
    std::vector<std::string> ids;
    auto answer = json_object_of(result);
    for (const auto& item : answer.at("data").as_array()) ids.push_back(str(item.at("docId")));
    return ids;
  }

  static std::int64_t count(std::size_t agency, const std::string& path) {
    auto result = client(agency).get(path);
    EXPECT_EQ(result.status, 200) << result.body;
    return json_object_of(result).at("count").as_int64();
  }

  // `truc admin agencies update CODE <options>`, as an operator runs it.
  static void update_agency(std::size_t agency, std::vector<std::string> options) {
    std::vector<std::string> command{HubProcess::truc_cli().string(), "admin", "agencies", "update",
                                     hub_->agency(agency).code};
    command.insert(command.end(), options.begin(), options.end());
    auto updated = testing::run_process(command, {.environment = hub_->cli_environment(0)});
    ASSERT_EQ(updated.exit_status, 0) << updated.err;
  }

  static bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  static HubProcess* hub_;
};

HubProcess* CompatTest::hub_ = nullptr;

TEST_F(CompatTest, APackageSentThroughThisFaceArrivesThroughTheNativeOne) {
  auto package = hub_->signed_package(0, {1});
  std::string id = send(0, package);
  ASSERT_EQ(id.size(), 24u);
  auto inbox = hub_->agency_request(1, "GET", "/v1/inbox");
  EXPECT_THAT(inbox.body, HasSubstr(id));
  auto fetched = hub_->agency_request(1, "GET", "/v1/packages/" + id);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_TRUE(fetched.body == testing::read_file(package)) << "the sender's bytes, unchanged";
  auto trace = hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace");
  EXPECT_THAT(trace.body, HasSubstr("\"face\":\"compat\""));
  EXPECT_THAT(trace.body, HasSubstr("\"signature\":\"verified\""));

  EXPECT_EQ(send(0, package), id) << "a duplicate gets the first DocId";
}

TEST_F(CompatTest, APackageSentNativelyIsListedFetchedAndSettledThroughThisFace) {
  auto package = hub_->signed_package(0, {2}, "", 200000);  // several encoder chunks
  auto sent = hub_->agency_request(0, "POST", "/v1/packages", package);
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string id = str(json_object_of(sent).at("id"));
  std::int64_t waiting = count(2, "/countReceiveEdoc");
  EXPECT_GE(waiting, 1);

  auto listed =
      client(2).post("/getReceivedEdocList", {{"servicetype", "eDoc"}, {"messagetype", "edoc"}});
  ASSERT_EQ(listed.status, 200);
  bool found = false;
  auto list = json_object_of(listed);
  for (const auto& item : list.at("data").as_array()) {
    if (str(item.at("docId")) != id) continue;
    found = true;
    EXPECT_EQ(str(item.at("from")), hub_->agency(0).code);
    EXPECT_EQ(str(item.at("to")), hub_->agency(2).code);
    EXPECT_EQ(str(item.at("messageType")), "edoc");
    EXPECT_FALSE(str(item.at("created_time")).empty());
  }
  EXPECT_TRUE(found);

  auto fetched = client(2).post("/getEdoc", {{"docId", id}});
  ASSERT_EQ(fetched.status, 200);
  auto answer = json_object_of(fetched);
  EXPECT_EQ(str(answer.at("status")), "OK");
  auto data = base64_decode(str(answer.at("data")));
  ASSERT_TRUE(data);
  EXPECT_TRUE(*data == testing::read_file(package)) << "the whole package, base64";

  auto processing = client(2).post("/updateStatus", {{"docId", id}, {"status", "processing"}});
  EXPECT_EQ(code_of(processing), "OK") << processing.body;
  EXPECT_TRUE(contains(received_ids(2), id)) << "processing changes nothing but the trace";
  auto done = client(2).post("/updateStatus", {{"docId", id}, {"status", "done"}});
  EXPECT_EQ(code_of(done), "OK") << done.body;
  EXPECT_EQ(str(json_object_of(done).at("docStatus")), "done");
  EXPECT_FALSE(contains(received_ids(2), id));
  EXPECT_EQ(count(2, "/countReceiveEdoc"), waiting - 1);
  EXPECT_EQ(code_of(client(2).post("/updateStatus", {{"docId", id}, {"status", "done"}})), "OK")
      << "settling twice is harmless";
  auto fail_after = client(2).post("/updateStatus", {{"docId", id}, {"status", "fail"}});
  EXPECT_EQ(str(json_object_of(fail_after).at("docStatus")), "done")
      << "a settled delivery stays settled";

  auto sent_list = client(0).post("/getSentEdocList", {{"docId", id}});
  ASSERT_EQ(sent_list.status, 200) << sent_list.body;
  auto deliveries = json_object_of(sent_list).at("data").as_array();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(str(deliveries.at(0).at("toCode")), hub_->agency(2).code);
  EXPECT_EQ(str(deliveries.at(0).at("receiveStatus")), "acked");
  auto trace = hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace");
  EXPECT_THAT(trace.body, HasSubstr("\"event\":\"processing\""));
}

TEST_F(CompatTest, FailRefusesTheDeliveryWithTheGivenDescription) {
  std::string id = send(0, hub_->signed_package(0, {1}));
  auto failed = client(1).post("/updateStatus",
                               {{"docId", id}, {"status", "fail"}, {"description", "Sai địa chỉ"}});
  EXPECT_EQ(code_of(failed), "OK") << failed.body;
  auto trace = json_object_of(hub_->agency_request(0, "GET", "/v1/packages/" + id + "/trace"));
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("state")), "nacked");
  EXPECT_EQ(str(trace.at("deliveries").at(0).at("reason")), "Sai địa chỉ");
  EXPECT_EQ(code_of(client(1).post("/updateStatus", {{"docId", id}, {"status", "archived"}})),
            "request.invalid_parameter");
}

TEST_F(CompatTest, StatusPacketsTravelAsMessageTypeStatus) {
  auto package = hub_->signed_package(0, {1});
  std::string id = send(0, package);
  auto status = hub_->signed_status(1, package, "03");
  auto mismatch = client(1).send(status, "edoc");
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(code_of(mismatch), "request.messagetype_mismatch");
  std::int64_t before = count(0, "/countReceiveStatus");
  std::string status_id = send(1, status, "status");
  EXPECT_TRUE(contains(received_ids(0, "status"), status_id));
  EXPECT_FALSE(contains(received_ids(0, "edoc"), status_id));
  EXPECT_EQ(count(0, "/countReceiveStatus"), before + 1);
  auto sent_list = json_object_of(client(0).post("/getSentEdocList", {{"docId", id}}));
  EXPECT_EQ(str(sent_list.at("data").at(0).at("reportedStatus")), "03");
}

TEST_F(CompatTest, AcceptsTheSdksRawBodyAndParametersInSignedHeaders) {
  // The platform's Java SDK sends the file's bytes and a CRLF as the body, labelled
  // application/octet-stream, its parameters as signed headers, and the file's SHA-256 in hex
  // without the leading zero of bytes below 0x10.
  auto package = hub_->signed_package(2, {0});
  Digest sha256(DigestAlgorithm::sha256);
  sha256.update(testing::read_file(package));
  std::string digest;
  for (unsigned char byte : sha256.finish()) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%x", byte);
    digest += hex;
  }
  auto body = hub_->directory() / "sdk-body.bin";
  std::ofstream(body, std::ios::binary) << testing::read_file(package) << "\r\n";
  auto sdk = client(2);
  auto arguments = sdk.signed_headers({{"Content-Type", "application/octet-stream"},
                                       {"from", sdk.system_id()},
                                       {"servicetype", "eDoc"},
                                       {"messagetype", "edoc"},
                                       {"to", "[\"" + hub_->agency(0).code + "\"]"},
                                       {"hash-file", digest}});
  arguments.insert(arguments.end(), {"-H", "Content-Type: application/octet-stream",
                                     "--data-binary", "@" + body.string()});
  auto result = sdk.request("POST", "/sendEdoc", arguments);
  ASSERT_EQ(result.status, 200) << result.body;
  std::string id = str(json_object_of(result).at("DocId"));
  auto fetched = hub_->agency_request(0, "GET", "/v1/packages/" + id);
  EXPECT_TRUE(fetched.body == testing::read_file(package)) << "stored without the SDK's CRLF";
}

TEST_F(CompatTest, RefusesRequestsThatAreNotSignedWithTheSystemsSecret) {
  auto sender = client(0);
  auto expect_refused = [](const HttpResult& result, int status, const std::string& code) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(code_of(result), code) << result.body;
    EXPECT_THAT(str(json_object_of(result).at("ErrorDesc")), StartsWith(code + ": "));
  };
  expect_refused(sender.get("/countReceiveEdoc", {.secret = "not the secret"}), 401,
                 "auth.hmac_invalid");
  expect_refused(sender.get("/countReceiveEdoc", {.when = Clock::now() - std::chrono::minutes(10)}),
                 401, "auth.timestamp_stale");
  expect_refused(sender.get("/countReceiveEdoc", {.when = Clock::now() + std::chrono::minutes(10)}),
                 401, "auth.timestamp_stale");
  auto unknown = sender.get("/countReceiveEdoc", {.system_id = "nobody.e2e"});
  expect_refused(unknown, 401, "auth.hmac_invalid");
  EXPECT_EQ(unknown.body, sender.get("/countReceiveEdoc", {.secret = "not the secret"}).body)
      << "an unknown system is answered as a wrong HMAC is";
  expect_refused(sender.get("/countReceiveEdoc", {.system_id = hub_->agency(1).system_id}), 401,
                 "auth.hmac_invalid");
  expect_refused(sender.request("GET", "/countReceiveEdoc", {}), 401, "auth.hmac_missing");

  // A signed value changed on the way.
  auto tampered = sender.signed_headers({{"docId", "000000000000000000000000"}});
  for (auto& argument : tampered) {
    if (argument == "XroadVnpt-docId: 000000000000000000000000") {
      argument = "XroadVnpt-docId: 111111111111111111111111";
    }
  }
  expect_refused(sender.request("POST", "/getEdoc", tampered), 401, "auth.hmac_invalid");

  // A system with a secret but no agency in the directory.
  auto created =
      hub_->monitor_request("POST", "/admin/v1/systems", R"({"system_id":"orphan.e2e"})");
  ASSERT_EQ(created.status, 201) << created.body;
  PlatformClient orphan(*hub_, "orphan.e2e", str(json_object_of(created).at("secret")));
  expect_refused(orphan.get("/countReceiveEdoc"), 401, "auth.hmac_invalid");
}

TEST_F(CompatTest, ASystemSendsOnlyAsTheAgenciesTheDirectoryAllows) {
  auto others_package = hub_->signed_package(0, {2});
  auto as_other = client(1).send(others_package);
  EXPECT_EQ(as_other.status, 403);
  EXPECT_EQ(code_of(as_other), "auth.sender_mismatch");

  auto wrong_from = client(0).send(hub_->signed_package(0, {2}), "edoc", {}, "agency2.e2e");
  EXPECT_EQ(wrong_from.status, 403);
  EXPECT_EQ(code_of(wrong_from), "auth.system_mismatch");

  // Another agency's package stays out of reach: not found, as if it did not exist.
  std::string id = send(0, hub_->signed_package(0, {1}));
  auto foreign = client(2).post("/getEdoc", {{"docId", id}});
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(code_of(foreign), "package.not_found");
  EXPECT_EQ(code_of(client(2).post("/updateStatus", {{"docId", id}, {"status", "done"}})),
            "package.not_found");
}

TEST_F(CompatTest, RefusesMalformedUploadsWithoutStoringAnything) {
  auto sender = client(0);
  auto package = hub_->signed_package(0, {1});
  std::string bytes = testing::read_file(package);
  auto post_body = [&](const std::string& content_type, const std::string& body,
                       const std::string& hash) {
    auto file = hub_->directory() / "upload.bin";
    std::ofstream(file, std::ios::binary) << body;
    auto arguments = sender.signed_headers({{"hash-file", hash}, {"from", sender.system_id()}});
    arguments.insert(arguments.end(),
                     {"-H", "Content-Type: " + content_type, "--data-binary", "@" + file.string()});
    return sender.request("POST", "/sendEdoc", arguments);
  };
  std::string hash = sha256_hex(bytes);
  std::string part =
      "--XyZ\r\nContent-Disposition: form-data; name=\"file_doc\"; filename=\"p.edxml\"\r\n\r\n" +
      bytes + "\r\n";
  std::string field = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\n" +
                      sender.system_id() + "\r\n";

  auto no_file = post_body("multipart/form-data; boundary=XyZ", field + "--XyZ--\r\n", hash);
  EXPECT_EQ(no_file.status, 400);
  EXPECT_EQ(code_of(no_file), "request.missing_file");
  auto truncated =
      post_body("multipart/form-data; boundary=XyZ", part.substr(0, part.size() / 2), hash);
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(code_of(truncated), "request.multipart_truncated");
  auto no_boundary = post_body("multipart/form-data", part + "--XyZ--\r\n", hash);
  EXPECT_EQ(no_boundary.status, 400);
  EXPECT_EQ(code_of(no_boundary), "request.multipart_invalid");
  auto wrong_boundary =
      post_body("multipart/form-data; boundary=Other", part + "--XyZ--\r\n", hash);
  EXPECT_EQ(code_of(wrong_boundary), "request.multipart_invalid");
  auto other_file = post_body("multipart/form-data; boundary=XyZ", part + "--XyZ--\r\n",
                              sha256_hex("another file"));
  EXPECT_EQ(other_file.status, 401);
  EXPECT_EQ(code_of(other_file), "auth.file_hash_mismatch");
  auto unsigned_file = sender.request("POST", "/sendEdoc", [&] {
    auto arguments = sender.signed_headers({});
    arguments.insert(arguments.end(), {"-F", "file_doc=@" + package.string()});
    return arguments;
  }());
  EXPECT_EQ(code_of(unsigned_file), "auth.file_hash_mismatch");

  EXPECT_TRUE(std::filesystem::is_empty(hub_->directory() / "blobs" / "tmp"))
      << "every spooled and extracted file is gone";
  auto accepted =
      post_body("multipart/form-data; boundary=XyZ", part + field + "--XyZ--\r\n", hash);
  EXPECT_EQ(code_of(accepted), "OK") << accepted.body;
}

TEST_F(CompatTest, ASignedHeaderSetIsAcceptedOnceOnAnyPathAcrossARestart) {
  auto sender = client(0);
  auto package = hub_->signed_package(0, {1});
  auto arguments = sender.signed_headers({{"hash-file", sha256_hex(testing::read_file(package))},
                                          {"from", sender.system_id()},
                                          {"messagetype", "edoc"}});
  arguments.insert(arguments.end(), {"-F", "file_doc=@" + package.string()});
  auto first = sender.request("POST", "/sendEdoc", arguments);
  ASSERT_EQ(first.status, 200) << first.body;
  auto replayed = sender.request("POST", "/sendEdoc", arguments);
  EXPECT_EQ(replayed.status, 401) << replayed.body;
  EXPECT_EQ(code_of(replayed), "auth.replayed");
  // Captured and sent elsewhere: the headers alone, without the upload.
  std::vector<std::string> headers_only(arguments.begin(), arguments.end() - 2);
  EXPECT_EQ(code_of(sender.request("GET", "/countReceiveEdoc", headers_only)), "auth.replayed");

  // The spent set is in the database: a restarted hub (or another node) refuses it too.
  ASSERT_EQ(hub_->stop(), 0);
  hub_->start();
  EXPECT_EQ(code_of(sender.request("POST", "/getReceivedEdocList", headers_only)), "auth.replayed");
  EXPECT_EQ(code_of(sender.get("/countReceiveEdoc")), "OK");
}

TEST_F(CompatTest, ASystemServingTwoAgenciesSendsAsEach) {
  // A district's system sends for the district and for a commune: `from` is the agency's code.
  auto created =
      hub_->monitor_request("POST", "/admin/v1/systems", R"({"system_id":"district.e2e"})");
  ASSERT_EQ(created.status, 201) << created.body;
  for (std::size_t agency : {0u, 1u}) {
    update_agency(agency,
                  {"--system-id", hub_->agency(agency).system_id, "--system-id", "district.e2e"});
  }
  PlatformClient district(*hub_, "district.e2e", str(json_object_of(created).at("secret")));
  for (std::size_t agency : {0u, 1u}) {
    auto sent =
        district.send(hub_->signed_package(agency, {2}), "edoc", {}, hub_->agency(agency).code);
    EXPECT_EQ(code_of(sent), "OK") << sent.body;
  }
  auto other_sender = district.send(hub_->signed_package(0, {2}), "edoc", {}, hub_->agency(1).code);
  EXPECT_EQ(other_sender.status, 403) << other_sender.body;
  EXPECT_EQ(code_of(other_sender), "auth.sender_mismatch")
      << "from names the agency whose document it is";
  auto outside = district.send(hub_->signed_package(2, {0}), "edoc", {}, hub_->agency(2).code);
  EXPECT_EQ(code_of(outside), "auth.system_mismatch") << "not an agency the system acts for";
}

TEST_F(CompatTest, DownloadEdocServesThePackageFileItself) {
  auto package = hub_->signed_package(0, {1});
  std::string id = send(0, package);
  auto downloaded =
      client(1).request("GET", "/downloadEdoc", client(1).signed_headers({{"docId", id}}));
  ASSERT_EQ(downloaded.status, 200) << downloaded.body;
  EXPECT_TRUE(downloaded.body == testing::read_file(package)) << "the sender's bytes";
  auto foreign =
      client(2).request("GET", "/downloadEdoc", client(2).signed_headers({{"docId", id}}));
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(code_of(foreign), "package.not_found");
}

TEST_F(CompatTest, ListsTheDirectoryWithDecision20Codes) {
  update_agency(0, {"--qd20-code", "000.00.00.H41"});
  auto listed = client(1).post("/getAgenciesListQD20");
  ASSERT_EQ(listed.status, 200) << listed.body;
  std::map<std::string, json::object> entries;
  auto answer = json_object_of(listed);
  for (const auto& entry : answer.at("data").as_array()) {
    entries[str(entry.at("code"))] = entry.as_object();
  }
  ASSERT_TRUE(entries.contains(hub_->agency(0).code));
  EXPECT_EQ(entries[hub_->agency(0).code].at("code102"), "000.00.00.H41");
  ASSERT_TRUE(entries.contains(hub_->agency(1).code));
  EXPECT_TRUE(entries[hub_->agency(1).code].at("code102").is_null()) << "not recorded";
  auto top = client(1).post("/getAgenciesListQD20", {{"level", "2"}});
  EXPECT_TRUE(json_object_of(top).at("data").as_array().empty()) << "every agency is at level 1";
  EXPECT_EQ(code_of(client(1).post("/getAgenciesListQD20", {{"level", "top"}})),
            "request.invalid_parameter");
}

TEST_F(CompatTest, ListsTheDirectoryAndAsksForMissingParameters) {
  auto agencies = client(1).post("/getAgenciesList");
  ASSERT_EQ(agencies.status, 200) << agencies.body;
  std::vector<std::string> codes;
  auto directory = json_object_of(agencies);
  for (const auto& agency : directory.at("data").as_array())
    codes.push_back(str(agency.at("code")));
  for (std::size_t index = 0; index < 3; ++index) {
    EXPECT_THAT(codes, ::testing::Contains(hub_->agency(index).code));
  }
  auto missing = client(1).post("/getEdoc");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(code_of(missing), "request.missing_parameter");
  auto conflicting = client(1).request("POST", "/getEdoc", [&] {
    auto arguments = client(1).signed_headers({{"docId", "000000000000000000000000"}});
    arguments.insert(arguments.end(), {"--data", "docId=111111111111111111111111"});
    return arguments;
  }());
  EXPECT_EQ(code_of(conflicting), "request.invalid_parameter");
  auto unsigned_parameter = client(1).request("POST", "/getEdoc", [&] {
    auto arguments = client(1).signed_headers({});
    arguments.insert(arguments.end(), {"--data", "docId=000000000000000000000000"});
    return arguments;
  }());
  EXPECT_EQ(unsigned_parameter.status, 401);
  EXPECT_EQ(code_of(unsigned_parameter), "auth.unsigned_parameter");
}

TEST_F(CompatTest, OperatorsManageSystemsWithTheCli) {
  auto environment = hub_->cli_environment(0);
  auto secret_file = hub_->directory() / "cli.secret";
  auto added = testing::run_process({HubProcess::truc_cli().string(), "admin", "systems", "add",
                                     "cli.e2e", "--secret-file", secret_file.string()},
                                    {.environment = environment});
  ASSERT_EQ(added.exit_status, 0) << added.err;
  struct stat status {};
  ASSERT_EQ(::stat(secret_file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  std::string secret = testing::read_file(secret_file);
  secret.erase(secret.find_last_not_of('\n') + 1);
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_THAT(added.out, ::testing::Not(HasSubstr(secret)));

  auto agency = hub_->agency(2);
  auto mapped =
      testing::run_process({HubProcess::truc_cli().string(), "admin", "agencies", "update",
                            agency.code, "--system-id", agency.system_id, "--system-id", "cli.e2e"},
                           {.environment = environment});
  ASSERT_EQ(mapped.exit_status, 0) << mapped.err;
  PlatformClient cli_system(*hub_, "cli.e2e", secret);
  EXPECT_EQ(code_of(cli_system.get("/countReceiveEdoc")), "OK");

  auto listed = testing::run_process({HubProcess::truc_cli().string(), "admin", "systems", "list"},
                                     {.environment = environment});
  EXPECT_THAT(listed.out, HasSubstr("cli.e2e"));
  EXPECT_THAT(listed.out, HasSubstr(agency.code));
  auto removed = testing::run_process(
      {HubProcess::truc_cli().string(), "admin", "systems", "remove", "cli.e2e"},
      {.environment = environment});
  EXPECT_EQ(removed.exit_status, 0) << removed.err;
  EXPECT_EQ(code_of(cli_system.get("/countReceiveEdoc")), "auth.hmac_invalid");
  auto again = testing::run_process(
      {HubProcess::truc_cli().string(), "admin", "systems", "remove", "cli.e2e"},
      {.environment = environment});
  EXPECT_EQ(again.exit_status, 1);
  EXPECT_THAT(again.first_error_line(), HasSubstr("agency.not_found"));
}

TEST_F(CompatTest, NeverLogsSecretsOrSignatures) {
  // A call that passes, a form post that passes, and one the hub refuses (and logs).
  EXPECT_EQ(code_of(client(0).get("/countReceiveEdoc")), "OK");
  EXPECT_EQ(code_of(client(1).post("/getReceivedEdocList",
                                   {{"servicetype", "eDoc"}, {"messagetype", "edoc"}})),
            "OK");
  const std::string wrong_secret = "9f3c0d5e-a-secret-no-system-has";
  EXPECT_EQ(code_of(client(2).get("/countReceiveEdoc", {.secret = wrong_secret})),
            "auth.hmac_invalid");
  auto refusal = hub_->process().wait_for_line("compat.refused", std::chrono::seconds(30));
  ASSERT_TRUE(refusal);
  EXPECT_THAT(*refusal, HasSubstr("\"system_id\":\"" + hub_->agency(2).system_id + "\""));
  EXPECT_THAT(*refusal, HasSubstr("auth.hmac_invalid"));
  while (hub_->process().next_line(std::chrono::milliseconds(1))) {
  }
  // Everything the hub wrote while this suite ran, not only during this test.
  const std::string& log = hub_->process().stderr_text();
  ASSERT_GE(sent().signatures.size(), 3u);
  for (const auto& signature : sent().signatures) {
    EXPECT_THAT(log, ::testing::Not(HasSubstr(signature))) << "a signature is in the log";
  }
  std::vector<std::string> secrets = sent().secrets;
  for (std::size_t index = 0; index < 3; ++index) secrets.push_back(hub_->agency(index).secret);
  std::string admin_token = testing::read_file(hub_->directory() / "admin.token");
  admin_token.erase(admin_token.find_last_not_of('\n') + 1);
  secrets.push_back(admin_token);
  for (const auto& secret : secrets) {
    EXPECT_THAT(log, ::testing::Not(HasSubstr(secret))) << "a secret is in the log";
  }
}

}  // namespace
}  // namespace truc
