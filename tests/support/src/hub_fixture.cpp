#include "truc/testing/hub_fixture.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/http/request_target.hpp"
#include "truc/security/certificate.hpp"
#include "truc/security/xmldsig.hpp"
#include "truc/testing/edxml_samples.hpp"
#include "truc/testing/postgres.hpp"

namespace truc::testing {
namespace {

template <typename Value>
Value value_of(Result<Value> result, const std::string& what) {
  if (!result) throw std::runtime_error(what + ": " + result.error().to_string());
  return std::move(*result);
}

void require(const Status& status, const std::string& what) {
  if (!status) throw std::runtime_error(what + ": " + status.error().to_string());
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream stream(path, std::ios::binary);
  stream << bytes;
  if (!stream.flush()) throw std::runtime_error("cannot write " + path.string());
}

const edxml::Parser& parser() {
  static const edxml::Parser instance;
  return instance;
}

edxml::Organization organization(const TestAgency& agency) {
  return {agency.code, "", agency.name, "", "", "", "", ""};
}

}  // namespace

void RecordingMetrics::accepted(store::PackageKind kind, const std::string&) {
  accepted_kinds.emplace_back(store::to_string(kind));
}
void RecordingMetrics::duplicate(const std::string& face) { duplicates.push_back(face); }
void RecordingMetrics::rejected(const std::string& code, const std::string&) {
  rejections.push_back(code);
}
void RecordingMetrics::settled(store::DeliveryState outcome) { settlements.push_back(outcome); }
void RecordingMetrics::tolerated(const std::string& warning) { warnings.push_back(warning); }
void RecordingMetrics::sha1_accepted(const std::string& agency_code) {
  sha1_accepted_from.push_back(agency_code);
}

HubFixture::HubFixture()
    : pki_(temporary_.path() / "pki"),
      ca_(pki_.create_ca("ca")),
      other_ca_(pki_.create_ca("other-ca")),
      database_(shared_postgres().create_migrated_database(), 4, std::chrono::seconds(10)),
      blobs_(value_of(store::BlobStore::open(temporary_.path() / "blobs"), "blob store")),
      trust_(
          value_of(security::TrustStore::load({{ca_.certificate, other_ca_.certificate}, {}, {}}),
                   "trust store")),
      hub_({"truc.test", {}, true, [this] { ++deliveries_changed_; }}, database_, blobs_, trust_,
           metrics_),
      directory_(database_) {
  const std::pair<std::string, std::string> kAgencies[] = {{"000.00.00.H41", "Văn phòng UBND tỉnh"},
                                                           {"000.00.01.H41", "Sở Nội vụ"},
                                                           {"000.00.02.H41", "Sở Tài chính"}};
  for (const auto& [code, name] : kAgencies) {
    std::string number = std::to_string(agencies_.size() + 1);
    TestAgency agency{code,
                      name,
                      pki_.issue(ca_, "agency" + number,
                                 {.common_name = name,
                                  .agency_code = code,
                                  .key_usage = "digitalSignature,nonRepudiation",
                                  .extended_key_usage = "clientAuth"}),
                      "agency" + number + ".test",
                      {}};
    value_of(directory_.create({.code = code, .name = name, .system_ids = {agency.system_id}}),
             "agency " + code);
    auto registered = value_of(directory_.add_certificate(code, agency.certificate.certificate_pem),
                               "certificate of " + code);
    fingerprints_.push_back(registered.fingerprint);
    agencies_.push_back(std::move(agency));
  }
  attachment_ = temporary_.path() / "attachment.pdf";
  write_bytes(attachment_, "%PDF-1.4\n% Trục hub test attachment\n" + std::string(1024, 'x'));
}

HubFixture::~HubFixture() = default;

hub::Caller HubFixture::caller(std::size_t index) {
  return value_of(hub_.identify_certificate(fingerprint(index), "native"), "caller");
}

edxml::Package HubFixture::package(std::size_t from, const std::vector<std::size_t>& to) {
  edxml::Package package = sample_package();
  const TestAgency& sender = agency(from);
  package.from.organ_id = sender.code;
  package.from.organ_name = sender.name;
  package.from.organization_in_charge = sender.name;
  package.to.clear();
  for (std::size_t recipient : to) package.to.push_back(organization(agency(recipient)));
  package.trace_headers.front().organ_id = sender.code;
  package.code = {std::to_string(next_number_++), "TEST"};
  package.document_id =
      sender.code + ",2024/03/15," + package.code.code_number + "/" + package.code.code_notation;
  package.attachments.resize(1);
  return package;
}

edxml::Package HubFixture::recall(std::size_t from, const std::vector<std::size_t>& to,
                                  const edxml::Package& original) {
  edxml::Package recall = package(from, to);
  recall.subject = "Thu hồi văn bản";
  recall.business = edxml::Business{
      original.document_id, edxml::BusinessDocType::recall, "Ban hành nhầm", {}, {}, {}, {}};
  recall.attachments.clear();
  return recall;
}

edxml::StatusPacket HubFixture::status(std::size_t from, const edxml::Package& about,
                                       edxml::StatusCode code) {
  edxml::StatusPacket status = sample_status(code);
  status.from = organization(agency(from));
  status.response_for = {about.from.organ_id,
                         about.code.code_number + "/" + about.code.code_notation,
                         about.promulgation_info.promulgation_date, about.document_id};
  return status;
}

std::string HubFixture::unsigned_bytes(const edxml::Package& package) const {
  std::vector<std::filesystem::path> files(package.attachments.size(), attachment_);
  return build_package(package, files);
}

std::string HubFixture::signed_bytes(const edxml::Package& package, std::size_t signer) const {
  return sign(unsigned_bytes(package), agency(signer).certificate);
}

std::string HubFixture::signed_bytes(const edxml::StatusPacket& status, std::size_t signer) const {
  return sign(build_status(status), agency(signer).certificate);
}

std::string HubFixture::signed_with(const edxml::Package& package, const Issued& certificate,
                                    security::SignOptions options) const {
  return sign(unsigned_bytes(package), certificate, options);
}

std::string HubFixture::signed_bytes(const edxml::Package& package) const {
  return signed_bytes(package, index_of(package.from.organ_id));
}

std::string HubFixture::sign(const std::string& unsigned_document, const Issued& certificate,
                             security::SignOptions options) const {
  auto key = value_of(security::PrivateKey::from_pem(certificate.key_pem), "key");
  auto x509 = value_of(security::Certificate::from_pem(certificate.certificate_pem), "cert");
  auto input = temporary_.path() / "unsigned.edxml";
  write_bytes(input, unsigned_document);
  StringSink out;
  Status signed_document = security::sign_document(input, key, x509, parser(), out, options);
  std::filesystem::remove(input);
  require(signed_document, "sign");
  return out.text();
}

std::size_t HubFixture::index_of(const std::string& code) const {
  for (std::size_t index = 0; index < agencies_.size(); ++index) {
    if (agencies_[index].code == code) return index;
  }
  throw std::runtime_error("no test agency " + code);
}

std::filesystem::path HubFixture::spool(const std::string& bytes) {
  auto path = blobs_.temporary_directory() / ("upload-" + std::to_string(next_number_++));
  write_bytes(path, bytes);
  return path;
}

Result<hub::SubmitResult> HubFixture::submit(std::size_t as, const std::string& bytes) {
  return hub_.submit(caller(as), spool(bytes));
}

std::string HubFixture::send(std::size_t as, const std::string& bytes) {
  return value_of(submit(as, bytes), "submit").receipt.id;
}

http::Response call(const http::Router& router, const std::string& method,
                    const std::string& target, http::Request request) {
  auto parsed = value_of(http::parse_request_target(target), "request target " + target);
  auto match = router.match(method, parsed.path);
  if (match.route == nullptr) {
    throw std::runtime_error(method + " " + target + ": no route (" + std::to_string(match.status) +
                             ")");
  }
  bool in_memory = !request.body.empty();
  bool spooled = request.body_file.has_value();
  if ((match.route->body != http::BodyMode::memory && in_memory) ||
      (match.route->body != http::BodyMode::spool && spooled)) {
    throw std::runtime_error(method + " " + target + ": the route does not take its body there");
  }
  if (spooled) request.body_size = std::filesystem::file_size(*request.body_file);
  if (in_memory) request.body_size = request.body.size();
  request.method = method;
  request.path = parsed.path;
  request.query = std::move(parsed.query);
  request.path_parameters = std::move(match.parameters);
  if (request.request_id.empty()) request.request_id = "test-request";
  // As the transport does: the gate sees the head first, and a refusal is the answer.
  if (match.route->gate) {
    if (auto refusal = match.route->gate(request)) return std::move(*refusal);
  }
  return match.route->handler(request);
}

boost::json::object json_of(const http::Response& response) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(response.body, error);
  if (error || !value.is_object()) {
    throw std::runtime_error("not a JSON object (" + std::to_string(response.status) +
                             "): " + response.body);
  }
  return std::move(value.as_object());
}

}  // namespace truc::testing
