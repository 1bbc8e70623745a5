#pragma once

// A small RFC 3161 time-stamping authority for tests and the demo: answers each POSTed
// TimeStampReq by running `openssl ts -reply` with a TSA certificate of a TestPki, on a port the
// kernel picked (or a given one). It can be switched off, answering 503, to play a TSA that is
// down.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "truc/testing/pki.hpp"

namespace truc::testing {

// The certificate a TSA signs with: extendedKeyUsage timeStamping, critical (RFC 3161 §2.3).
Issued issue_tsa_certificate(TestPki& pki, const Issued& ca, const std::string& name);

class TsaServer {
 public:
  // `signer` signs the tokens; `work_directory` holds the openssl configuration, serial file
  // and each exchange's files.
  TsaServer(Issued signer, std::filesystem::path work_directory, std::uint16_t port = 0);
  ~TsaServer();
  TsaServer(const TsaServer&) = delete;
  TsaServer& operator=(const TsaServer&) = delete;

  std::string url() const;
  std::uint16_t port() const;
  // Off: every request is answered 503 Service Unavailable.
  void set_available(bool available) { available_ = available; }
  // Tokens issued and requests turned away, since start.
  std::size_t stamped() const;
  std::size_t turned_away() const;
  // Waits until `count` tokens were issued in all.
  bool wait_for_stamps(std::size_t count, std::chrono::seconds timeout);
  bool wait_for_turned_away(std::size_t count, std::chrono::seconds timeout);

 private:
  void serve();
  // The DER TimeStampResp for `query`, or empty when openssl failed.
  std::string reply_to(const std::string& query);

  Issued signer_;
  std::filesystem::path directory_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> available_{true};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t stamped_ = 0;
  std::size_t turned_away_ = 0;
  std::size_t exchanges_ = 0;
  std::thread thread_;
};

}  // namespace truc::testing
