#pragma once

// An in-process stand-in for trucd in client tests: a Beast server on a kernel-chosen loopback
// port, TLS with a required client certificate (or plain HTTP, as the monitor listener), that
// records every request and answers what the test's handler says.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace truc::cli::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::uint64_t body_size = 0;
  std::string body_sha256;
  std::string body;            // kept when at most 1 MiB
  std::size_t connection = 0;  // 1 for the first connection accepted, 2 for the next, ...

  std::string header(const std::string& lower_case_name) const;
};

// What happens after the answer is written.
enum class AfterAnswer {
  keep_open,
  close_announced,  // "Connection: close", then close
  close_silently,   // close without saying so, as an idle timeout does
};

struct CannedResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::optional<std::filesystem::path> body_file;  // streamed instead of `body`
  std::vector<std::pair<std::string, std::string>> headers;
  AfterAnswer after = AfterAnswer::keep_open;
  bool never_answer = false;  // read the request, then stay silent until the client leaves
};

// A CannedResponse for an error in the hub's format.
CannedResponse error_response(unsigned status, const std::string& code, const std::string& message,
                              const std::string& details = {});

struct FakeHubTls {
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::filesystem::path client_ca;  // client certificates must chain to it
};

class FakeHub {
 public:
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  FakeHub(std::optional<FakeHubTls> tls, Handler handler);
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  // https://localhost:<port> (the test certificate names localhost) or http://127.0.0.1:<port>.
  std::string url() const;
  std::vector<RecordedRequest> requests() const;
  // Blocks until `count` connections have ended on the server side; false after 30 s.
  bool wait_for_closed_connections(std::size_t count);

 private:
  struct Server;
  friend struct Server;
  void record(RecordedRequest request);
  void connection_closed();

  mutable std::mutex mutex_;
  std::condition_variable closed_changed_;
  std::vector<RecordedRequest> requests_;
  std::size_t closed_connections_ = 0;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace truc::cli::testing
