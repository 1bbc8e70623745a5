#pragma once

// A CA's CRL publication point for tests (header-only: plain Boost.Beast over one thread).

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "truc/testing/temp_dir.hpp"

namespace truc::testing {

// A CA's CRL publication point: serves the bytes last published at each path, on a port the
// kernel picked, and counts the requests.
class CrlServer {
 public:
  CrlServer() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~CrlServer() {
    stopping_ = true;
    boost::asio::ip::tcp::socket poke(io_);
    boost::system::error_code ignored;
    poke.connect(acceptor_.local_endpoint(), ignored);  // unblocks accept()
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  void publish(const std::string& path, const std::filesystem::path& file) {
    std::lock_guard lock(mutex_);
    files_[path] = read_file(file);
  }
  void withdraw(const std::string& path) {
    std::lock_guard lock(mutex_);
    files_.erase(path);
  }
  std::size_t requests(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto found = requests_.find(path);
    return found == requests_.end() ? 0 : found->second;
  }
  // Waits until `path` has been asked for `count` times in all.
  bool wait_for_requests(const std::string& path, std::size_t count, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return asked_.wait_for(lock, timeout, [&] { return requests_[path] >= count; });
  }

 private:
  void serve() {
    while (!stopping_) {
      boost::system::error_code error;
      boost::asio::ip::tcp::socket socket = acceptor_.accept(error);
      if (error || stopping_) continue;
      boost::beast::flat_buffer buffer;
      boost::beast::http::request<boost::beast::http::empty_body> request;
      boost::beast::http::read(socket, buffer, request, error);
      if (error) continue;
      std::string path(request.target());
      boost::beast::http::response<boost::beast::http::string_body> response{
          boost::beast::http::status::not_found, 11};
      {
        std::lock_guard lock(mutex_);
        ++requests_[path];
        if (auto found = files_.find(path); found != files_.end()) {
          response.result(boost::beast::http::status::ok);
          response.body() = found->second;
        }
      }
      asked_.notify_all();
      response.prepare_payload();
      boost::beast::http::write(socket, response, error);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable asked_;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::size_t> requests_;
  std::thread thread_;
};

}  // namespace truc::testing
