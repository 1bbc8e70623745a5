#include "truc/testing/ocsp_responder.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace truc::testing {

namespace {

std::string hex_serial(const std::string& decimal) {
  std::ostringstream text;
  text << std::uppercase << std::hex << std::stol(decimal);
  std::string hex = text.str();
  return hex.size() % 2 == 1 ? "0" + hex : hex;
}

}  // namespace

std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

OcspResponder::OcspResponder(std::filesystem::path directory)
    : directory_(std::move(directory)), port_(free_port()) {}

void OcspResponder::start(const Issued& ca, const std::vector<Issued>& good,
                          const std::vector<Issued>& revoked) {
  auto index = directory_ / ("ocsp-index-" + std::to_string(port_) + ".txt");
  {
    std::ofstream out(index);
    for (const auto& certificate : good)
      out << "V\t301231235959Z\t\t" << hex_serial(certificate.serial) << "\tunknown\t/CN=good\n";
    for (const auto& certificate : revoked) {
      out << "R\t301231235959Z\t240101000000Z\t" << hex_serial(certificate.serial)
          << "\tunknown\t/CN=revoked\n";
    }
  }
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "sh", "-c",
      "exec openssl ocsp -port " + std::to_string(port_) + " -index " + index.string() + " -CA " +
          ca.certificate.string() + " -rsigner " + ca.certificate.string() + " -rkey " +
          ca.key.string() + " -nmin 60 1>&2"});
  if (!process_->wait_for_line("ACCEPT", std::chrono::seconds(20)))
    throw std::runtime_error("openssl ocsp did not start: " + process_->stderr_text());
}

}  // namespace truc::testing
