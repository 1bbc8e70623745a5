#include "truc/testing/tsa_server.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <sstream>

#include "truc/testing/process.hpp"

namespace truc::testing {
namespace {

namespace http = boost::beast::http;

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream << content;
}

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

}  // namespace

Issued issue_tsa_certificate(TestPki& pki, const Issued& ca, const std::string& name) {
  return pki.issue(ca, name,
                   {.common_name = "Trục test TSA " + name,
                    .key_usage = "critical,digitalSignature,nonRepudiation",
                    .extended_key_usage = "critical,timeStamping"});
}

TsaServer::TsaServer(Issued signer, std::filesystem::path work_directory, std::uint16_t port)
    : signer_(std::move(signer)),
      directory_(std::move(work_directory)),
      acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), port}) {
  std::filesystem::create_directories(directory_);
  write_file(directory_ / "serial", "01\n");
  write_file(directory_ / "tsa.cnf",
             "[ tsa ]\n"
             "default_tsa = test_tsa\n"
             "[ test_tsa ]\n"
             "serial = " +
                 (directory_ / "serial").string() +
                 "\n"
                 "crypto_device = builtin\n"
                 "signer_digest = sha256\n"
                 "default_policy = 1.3.6.1.4.1.55555.1.1\n"
                 "digests = sha256, sha384, sha512\n"
                 "accuracy = secs:1\n"
                 "ordering = no\n"
                 "tsa_name = yes\n"
                 "ess_cert_id_chain = no\n"
                 "ess_cert_id_alg = sha256\n");
  thread_ = std::thread([this] { serve(); });
}

TsaServer::~TsaServer() {
  stopping_ = true;
  boost::asio::ip::tcp::socket poke(io_);
  boost::system::error_code ignored;
  poke.connect(acceptor_.local_endpoint(), ignored);  // unblocks accept()
  thread_.join();
}

std::uint16_t TsaServer::port() const { return acceptor_.local_endpoint().port(); }

std::string TsaServer::url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/"; }

std::size_t TsaServer::stamped() const {
  std::lock_guard lock(mutex_);
  return stamped_;
}

std::size_t TsaServer::turned_away() const {
  std::lock_guard lock(mutex_);
  return turned_away_;
}

bool TsaServer::wait_for_stamps(std::size_t count, std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return stamped_ >= count; });
}

bool TsaServer::wait_for_turned_away(std::size_t count, std::chrono::seconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return turned_away_ >= count; });
}

std::string TsaServer::reply_to(const std::string& query) {
  std::size_t exchange = ++exchanges_;
  auto query_file = directory_ / ("query-" + std::to_string(exchange) + ".tsq");
  auto reply_file = directory_ / ("reply-" + std::to_string(exchange) + ".tsr");
  write_file(query_file, query);
  auto result = run_process({"/usr/bin/env", "openssl", "ts", "-reply", "-config",
                             (directory_ / "tsa.cnf").string(), "-queryfile", query_file.string(),
                             "-signer", signer_.certificate.string(), "-inkey",
                             signer_.key.string(), "-out", reply_file.string()});
  if (result.exit_status != 0) return {};
  return read_whole_file(reply_file);
}

void TsaServer::serve() {
  while (!stopping_) {
    boost::system::error_code error;
    boost::asio::ip::tcp::socket socket = acceptor_.accept(error);
    if (error || stopping_) continue;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, error);
    if (error) continue;
    http::response<http::string_body> response{http::status::service_unavailable, 11};
    bool issued = false;
    if (available_ && request.method() == http::verb::post) {
      std::string reply = reply_to(request.body());
      if (!reply.empty()) {
        response.result(http::status::ok);
        response.set(http::field::content_type, "application/timestamp-reply");
        response.body() = std::move(reply);
        issued = true;
      }
    }
    {
      std::lock_guard lock(mutex_);
      ++(issued ? stamped_ : turned_away_);
    }
    changed_.notify_all();
    response.prepare_payload();
    http::write(socket, response, error);
  }
}

}  // namespace truc::testing
