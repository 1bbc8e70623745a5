// The HTTP server over real sockets on loopback, plain HTTP: keep-alive, routing, limits,
// deadlines, spooled uploads, file responses, the worker queue, handler failures and the drain.
// TLS is in http_server_tls_e2e.cpp.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <latch>

#include "truc/http/server.hpp"
#include "truc/testing/http_connection.hpp"
#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::http {
namespace {

using namespace std::chrono_literals;
using testing::Connection;
using testing::Reply;

// A gate the test opens: handlers wait on it so that the test controls when they finish.
class Gate {
 public:
  void wait() { opened_.wait(); }
  void open() {
    if (!open_.exchange(true)) promise_.set_value();
  }
  ~Gate() { open(); }

 private:
  std::atomic<bool> open_{false};
  std::promise<void> promise_;
  std::shared_future<void> opened_ = promise_.get_future().share();
};

boost::json::object json_of(const std::string& text) {
  return boost::json::parse(text).as_object();
}

class PlainServerTest : public ::testing::Test {
 protected:
  ListenerSettings settings() {
    ListenerSettings listener;
    listener.name = "agency";
    listener.host = "127.0.0.1";
    listener.spool_directory = spool_.path();
    listener.max_memory_body_bytes = 4096;
    listener.max_body_bytes = 64ull << 20;
    listener.max_header_bytes = 2048;
    listener.io_timeout = 5s;
    listener.idle_timeout = 5s;
    return listener;
  }

  // Echoes what the transport made of the request.
  static Response describe(Request& request) {
    boost::json::object query, parameters;
    for (const auto& [key, value] : request.query) query[key] = value;
    for (const auto& [key, value] : request.path_parameters) parameters[key] = value;
    boost::json::object body{{"method", request.method},
                             {"path", request.path},
                             {"query", query},
                             {"parameters", parameters},
                             {"request_id", request.request_id},
                             {"body", request.body},
                             {"body_size", request.body_size},
                             {"remote", request.remote_address}};
    if (auto agency = request.header("x-agency")) body["agency"] = std::string(*agency);
    return Response::json(200, boost::json::serialize(body));
  }

  Router router() {
    Router routes;
    routes.add({"GET", "/v1/packages/{id}", BodyMode::none, describe});
    routes.add({"POST", "/v1/packages/{id}/ack", BodyMode::memory, describe});
    routes.add({"POST", "/v1/upload", BodyMode::spool,
                [this](Request& request) { return receive_upload(request); }});
    routes.add({"POST", "/v1/gated", BodyMode::spool,
                [](Request& request) {
                  boost::json::object body{
                      {"credentials", std::any_cast<const std::string&>(request.credentials)},
                      {"size", request.body_size}};
                  return Response::json(200, boost::json::serialize(body));
                },
                [this](Request& request) -> std::optional<Response> {
                  ++gate_calls_;
                  auto key = request.header("x-key");
                  if (!key || *key != "open") {
                    return Response::error({"auth.key_required", "x-key: open, please", ""});
                  }
                  request.credentials = std::string(*key);
                  return std::nullopt;
                }});
    routes.add({"GET", "/v1/slow", BodyMode::none, [this](Request&) {
                  ++slow_calls_;
                  slow_started_.count_down();
                  gate_.wait();
                  return Response::json(200, R"({"slow":true})");
                }});
    routes.add({"GET", "/v1/throw", BodyMode::none,
                [](Request&) -> Response { throw std::runtime_error("handler bug"); }});
    routes.add({"GET", "/v1/file", BodyMode::none, [this](Request&) {
                  Response response;
                  response.headers.emplace_back("Content-Type", "application/octet-stream");
                  response.body_file = download_;
                  return response;
                }});
    return routes;
  }

  Response receive_upload(Request& request) {
    EXPECT_TRUE(request.body_file.has_value());
    EXPECT_TRUE(request.body.empty());
    struct stat status {};
    EXPECT_EQ(::stat(request.body_file->c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    EXPECT_EQ(request.body_file->parent_path(), spool_.path());
    spooled_path_ = *request.body_file;
    boost::json::object body{{"size", request.body_size},
                             {"file_size", std::filesystem::file_size(*request.body_file)},
                             {"sha256", testing::sha256_file_hex(*request.body_file)}};
    return Response::json(200, boost::json::serialize(body));
  }

  void start(ListenerSettings listener, std::size_t worker_threads = 2,
             std::size_t queue_limit = 16) {
    workers_ = std::make_unique<WorkerPool>(worker_threads, queue_limit);
    server_ = std::make_unique<HttpServer>(*workers_, 2);
    server_->on_request(records_.observer());
    auto listening = server_->listen(listener, router());
    ASSERT_TRUE(listening.ok()) << listening.error().to_string();
    port_ = server_->port("agency");
    ASSERT_NE(port_, 0);
    running_ = std::make_unique<testing::RunningServer>(*server_);
  }

  void TearDown() override {
    gate_.open();
    running_.reset();
    server_.reset();
    workers_.reset();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  truc::testing::TempDir scratch_;
  truc::testing::TempDir spool_;
  std::filesystem::path download_ = scratch_.path() / "download.bin";
  std::filesystem::path spooled_path_;
  Gate gate_;
  std::latch slow_started_{1};
  std::atomic<int> slow_calls_{0};
  std::atomic<int> gate_calls_{0};
  testing::RecordLog records_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<testing::RunningServer> running_;
  std::uint16_t port_ = 0;
};

TEST_F(PlainServerTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  start(settings());
  Connection connection(port_);
  Reply first = connection.request("GET", "/v1/packages/a%20b?agency=G22&page=1&page=2", "",
                                   {{"X-Agency", "000.00.00.G22"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_TRUE(first.keep_alive);
  auto body = json_of(first.body);
  EXPECT_EQ(body.at("path").as_string(), "/v1/packages/a b");
  EXPECT_EQ(body.at("parameters").at("id").as_string(), "a b");
  EXPECT_EQ(body.at("query").at("page").as_string(), "2");
  EXPECT_EQ(body.at("agency").as_string(), "000.00.00.G22");
  EXPECT_EQ(body.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(first.header("x-request-id"), body.at("request_id").as_string());
  EXPECT_EQ(first.header("x-request-id").size(), 16u);
  EXPECT_EQ(server_->open_connections(), 1u);

  Reply second = connection.request("POST", "/v1/packages/7/ack", R"({"status":"received"})",
                                    {{"Content-Type", "application/json"}});
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(json_of(second.body).at("body").as_string(), R"({"status":"received"})");
  EXPECT_NE(second.header("x-request-id"), first.header("x-request-id"));
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(PlainServerTest, UnknownPathIsNotFoundAndOtherMethodIsNotAllowed) {
  start(settings());
  Connection connection(port_);
  Reply missing = connection.request("GET", "/v2/nothing");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.header("content-type"), "application/json");
  EXPECT_EQ(json_of(missing.body).at("code").as_string(), "request.not_found");

  Reply wrong_method = connection.request("DELETE", "/v1/packages/7");
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(wrong_method.header("allow"), "GET");
  EXPECT_EQ(json_of(wrong_method.body).at("code").as_string(), "request.method_not_allowed");
  EXPECT_TRUE(wrong_method.keep_alive);  // nothing was left unread
}

TEST_F(PlainServerTest, MalformedRequestIsBadRequestAndCloses) {
  start(settings());
  Connection connection(port_);
  connection.send_raw("GET /v1/packages/1 HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
  Reply reply = connection.read_reply();
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.malformed");
  EXPECT_FALSE(reply.keep_alive);
  EXPECT_TRUE(connection.closed_by_server_within(5s));
}

TEST_F(PlainServerTest, EncodedSlashInPathIsBadRequest) {
  start(settings());
  Connection connection(port_);
  Reply reply = connection.request("GET", "/v1/packages/a%2Fb");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.malformed");
}

TEST_F(PlainServerTest, OversizedHeadersAre431) {
  start(settings());
  Connection connection(port_);
  connection.send_raw("GET /v1/packages/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') +
                      "\r\n\r\n");
  Reply reply = connection.read_reply();
  EXPECT_EQ(reply.status, 431u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.headers_too_large");
  EXPECT_TRUE(connection.closed_by_server_within(5s));
}

TEST_F(PlainServerTest, DeclaredBodyOverTheLimitIs413BeforeItIsSent) {
  start(settings());
  Connection connection(port_);
  connection.send_raw(
      "POST /v1/packages/1/ack HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  Reply reply = connection.read_reply();
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.too_large");
  EXPECT_EQ(json_of(reply.body).at("details").as_string(), "limit 4096 bytes");
  EXPECT_FALSE(reply.keep_alive);
  EXPECT_TRUE(connection.closed_by_server_within(5s));
}

TEST_F(PlainServerTest, ChunkedBodyCrossingTheLimitIs413) {
  start(settings());
  Connection connection(port_);
  std::string chunk(3000, 'x');
  connection.send_raw(
      "POST /v1/packages/1/ack HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "bb8\r\n" +
      chunk + "\r\nbb8\r\n" + chunk + "\r\n");
  Reply reply = connection.read_reply();
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.too_large");
  EXPECT_TRUE(connection.closed_by_server_within(5s));
}

TEST_F(PlainServerTest, ChunkedBodyWithinTheLimitReachesTheHandler) {
  start(settings());
  Connection connection(port_);
  connection.send_raw(
      "POST /v1/packages/1/ack HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  Reply reply = connection.read_reply();
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(json_of(reply.body).at("body").as_string(), "hello world");
  EXPECT_EQ(json_of(reply.body).at("body_size").as_int64(), 11);
}

TEST_F(PlainServerTest, BodyOnRouteWithoutBodyIs413) {
  start(settings());
  Connection connection(port_);
  Reply reply = connection.request("GET", "/v1/packages/1", "unexpected");
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(json_of(reply.body).at("code").as_string(), "request.too_large");
}

TEST_F(PlainServerTest, ClientStoppingMidHeadersIsDisconnectedAfterIoTimeout) {
  ListenerSettings listener = settings();
  listener.io_timeout = 1s;
  start(listener);
  Connection connection(port_);
  auto started = std::chrono::steady_clock::now();
  connection.send_raw("GET /v1/packages/1 HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(connection.closed_by_server_within(10s));
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 5s);
  EXPECT_TRUE(testing::eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(PlainServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ListenerSettings listener = settings();
  listener.idle_timeout = 1s;
  start(listener);
  Connection connection(port_);
  ASSERT_EQ(connection.request("GET", "/v1/packages/1").status, 200u);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_server_within(10s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
}

TEST_F(PlainServerTest, SpooledUploadStreamsToAFileThatIsRemovedAfterTheHandler) {
  start(settings());
  auto upload = scratch_.path() / "upload.bin";
  testing::write_pattern_file(upload, 50ull << 20);
  // -T streams the file from disk and asks for 100-continue first.
  auto result = truc::testing::run_process(
      testing::curl_command({"-T", upload.string(), "-X", "POST", "-H",
                             "Content-Type: application/octet-stream", url("/v1/upload")}));
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto body = json_of(result.out);
  ASSERT_TRUE(body.contains("size")) << result.out;
  EXPECT_EQ(body.at("size").as_int64(), 50ll << 20);
  EXPECT_EQ(body.at("file_size").as_int64(), 50ll << 20);
  EXPECT_EQ(body.at("sha256").as_string(), testing::sha256_file_hex(upload));
  ASSERT_FALSE(spooled_path_.empty());
  EXPECT_FALSE(std::filesystem::exists(spooled_path_));
  EXPECT_TRUE(std::filesystem::is_empty(spool_.path()));
}

TEST_F(PlainServerTest, ChunkedSpooledUploadIsStreamedToo) {
  start(settings());
  auto upload = scratch_.path() / "upload.bin";
  testing::write_pattern_file(upload, 3ull << 20);
  auto result = truc::testing::run_process(
      testing::curl_command({"-T", upload.string(), "-X", "POST", "-H",
                             "Transfer-Encoding: chunked", url("/v1/upload")}));
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto body = json_of(result.out);
  EXPECT_EQ(body.at("size").as_int64(), 3ll << 20);
  EXPECT_EQ(body.at("sha256").as_string(), testing::sha256_file_hex(upload));
  EXPECT_TRUE(std::filesystem::is_empty(spool_.path()));
}

TEST_F(PlainServerTest, SpooledUploadOverTheLimitIs413AndLeavesNoFile) {
  ListenerSettings listener = settings();
  listener.max_body_bytes = 1 << 20;
  start(listener);
  auto upload = scratch_.path() / "upload.bin";
  testing::write_pattern_file(upload, 2ull << 20);
  auto result = truc::testing::run_process(testing::curl_command(
      {"-T", upload.string(), "-X", "POST", "--write-out", "\n%{http_code}", url("/v1/upload")}));
  EXPECT_NE(result.out.find("request.too_large"), std::string::npos) << result.out << result.err;
  EXPECT_EQ(result.out.substr(result.out.rfind('\n') + 1), "413");
  EXPECT_TRUE(std::filesystem::is_empty(spool_.path()));
}

TEST_F(PlainServerTest, FileResponseIsStreamedFromDisk) {
  start(settings());
  testing::write_pattern_file(download_, 8ull << 20);
  auto received = scratch_.path() / "received.bin";
  auto result = truc::testing::run_process(
      testing::curl_command({"--output", received.string(), url("/v1/file")}));
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(std::filesystem::file_size(received), 8ull << 20);
  EXPECT_EQ(testing::sha256_file_hex(received), testing::sha256_file_hex(download_));
}

TEST_F(PlainServerTest, FullWorkerQueueAnswers503WithoutRunningTheHandler) {
  start(settings(), /*worker_threads=*/1, /*queue_limit=*/1);
  auto running = std::async(std::launch::async, [&] {
    Connection connection(port_);
    return connection.request("GET", "/v1/slow");
  });
  slow_started_.wait();
  auto queued = std::async(std::launch::async, [&] {
    Connection connection(port_);
    return connection.request("GET", "/v1/slow");
  });
  ASSERT_TRUE(testing::eventually([&] { return workers_->stats().queued == 1; }));

  Connection refused(port_);
  Reply busy = refused.request("GET", "/v1/slow");
  EXPECT_EQ(busy.status, 503u);
  EXPECT_EQ(json_of(busy.body).at("code").as_string(), "server.busy");
  EXPECT_EQ(busy.header("retry-after"), "1");
  WorkerPoolStats stats = workers_->stats();
  EXPECT_EQ(stats.threads, 1u);
  EXPECT_EQ(stats.busy, 1u);
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(stats.rejected, 1u);

  gate_.open();
  EXPECT_EQ(running.get().status, 200u);
  EXPECT_EQ(queued.get().status, 200u);
  EXPECT_EQ(slow_calls_, 2);
  EXPECT_TRUE(refused.request("GET", "/v1/packages/1").status == 200u);  // still keep-alive
}

TEST_F(PlainServerTest, BusyServerAnswers503AtTheHeadersOfAnUploadWithoutReadingIt) {
  ListenerSettings listener = settings();
  listener.max_body_bytes = 200ull << 20;
  start(listener, /*worker_threads=*/1, /*queue_limit=*/0);
  auto running = std::async(std::launch::async, [&] {
    Connection connection(port_);
    return connection.request("GET", "/v1/slow");
  });
  slow_started_.wait();

  // 150 MiB announced, nothing sent: a server that read the body first would answer 100
  // Continue and wait for it.
  Connection uploader(port_);
  uploader.send_raw(
      "POST /v1/upload HTTP/1.1\r\nHost: hub\r\nContent-Length: 157286400\r\n"
      "Expect: 100-continue\r\n\r\n");
  Reply busy = uploader.read_reply();
  EXPECT_EQ(busy.status, 503u);
  EXPECT_EQ(json_of(busy.body).at("code").as_string(), "server.busy");
  EXPECT_TRUE(std::filesystem::is_empty(spool_.path()));
  EXPECT_EQ(workers_->stats().rejected, 1u);

  gate_.open();
  EXPECT_EQ(running.get().status, 200u);
  EXPECT_EQ(slow_calls_, 1);
}

TEST_F(PlainServerTest, GateRefusesAtTheHeadersWithoutContinueOrSpooling) {
  start(settings());
  // 60 MiB announced (within the 64 MiB limit), nothing sent.
  Connection stranger(port_);
  stranger.send_raw(
      "POST /v1/gated HTTP/1.1\r\nHost: hub\r\nContent-Length: 62914560\r\n"
      "Expect: 100-continue\r\n\r\n");
  Reply refused = stranger.read_reply();
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(json_of(refused.body).at("code").as_string(), "auth.key_required");
  EXPECT_TRUE(std::filesystem::is_empty(spool_.path()));
  EXPECT_TRUE(stranger.closed_by_server_within(5s));  // the announced body is not waited for

  // Let in, the same request gets its 100 Continue, and the handler sees what the gate found.
  Connection known(port_);
  known.send_raw(
      "POST /v1/gated HTTP/1.1\r\nHost: hub\r\nx-key: open\r\nContent-Length: 5\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(known.read_reply().status, 100u);
  known.send_raw("hello");
  Reply answered = known.read_reply();
  ASSERT_EQ(answered.status, 200u) << answered.body;
  EXPECT_EQ(json_of(answered.body).at("credentials").as_string(), "open");
  EXPECT_EQ(json_of(answered.body).at("size").as_int64(), 5);
  EXPECT_EQ(gate_calls_, 2);
}

TEST_F(PlainServerTest, ServesConcurrentKeepAliveClientsAcrossIoThreads) {
  start(settings(), /*worker_threads=*/4, /*queue_limit=*/64);
  constexpr int kClients = 8;
  constexpr int kRequestsEach = 25;
  std::vector<std::future<int>> clients;
  for (int client = 0; client < kClients; ++client) {
    clients.push_back(std::async(std::launch::async, [&, client] {
      Connection connection(port_);
      int answered = 0;
      for (int index = 0; index < kRequestsEach; ++index) {
        std::string body = std::to_string(client) + "/" + std::to_string(index);
        Reply reply =
            connection.request("POST", "/v1/packages/" + std::to_string(client) + "/ack", body);
        if (reply.status == 200 && json_of(reply.body).at("body").as_string() == body) ++answered;
      }
      return answered;
    }));
  }
  for (auto& client : clients) EXPECT_EQ(client.get(), kRequestsEach);
  EXPECT_EQ(records_.wait_for(kClients * kRequestsEach).size(),
            static_cast<std::size_t>(kClients * kRequestsEach));
}

TEST_F(PlainServerTest, ThrowingHandlerGives500AndTheServerKeepsServing) {
  start(settings());
  Connection connection(port_);
  Reply failed = connection.request("GET", "/v1/throw");
  EXPECT_EQ(failed.status, 500u);
  EXPECT_EQ(json_of(failed.body).at("code").as_string(), "server.internal");
  EXPECT_EQ(connection.request("GET", "/v1/packages/1").status, 200u);
  Connection another(port_);
  EXPECT_EQ(another.request("GET", "/v1/packages/2").status, 200u);
}

TEST_F(PlainServerTest, RecordsEveryRequestForTheObserver) {
  start(settings());
  Connection connection(port_);
  Reply found = connection.request("POST", "/v1/packages/9/ack", "12345");
  Reply missing = connection.request("GET", "/nowhere");
  auto records = records_.wait_for(2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].listener, "agency");
  EXPECT_EQ(records[0].method, "POST");
  EXPECT_EQ(records[0].route, "/v1/packages/{id}/ack");
  EXPECT_EQ(records[0].status, 200u);
  EXPECT_EQ(records[0].request_id, found.header("x-request-id"));
  EXPECT_GT(records[0].request_bytes, 5u);
  EXPECT_GT(records[0].duration.count(), 0);
  EXPECT_TRUE(records[0].peer.empty());
  EXPECT_EQ(records[1].route, "unmatched");
  EXPECT_EQ(records[1].status, 404u);
  EXPECT_EQ(records[1].request_id, missing.header("x-request-id"));
}

TEST_F(PlainServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  ListenerSettings listener = settings();
  listener.max_connections = 1;
  start(listener);
  Connection first(port_);
  ASSERT_EQ(first.request("GET", "/v1/packages/1").status, 200u);
  Connection second(port_);
  EXPECT_TRUE(second.closed_by_server_within(5s));
  EXPECT_EQ(first.request("GET", "/v1/packages/1").status, 200u);
}

TEST_F(PlainServerTest, DrainLetsTheInFlightRequestFinishThenRunReturns) {
  start(settings());
  Connection idle(port_);
  ASSERT_EQ(idle.request("GET", "/v1/packages/1").status, 200u);
  auto in_flight = std::async(std::launch::async, [&] {
    Connection connection(port_);
    return connection.request("GET", "/v1/slow");
  });
  slow_started_.wait();

  server_->drain(30s);
  EXPECT_TRUE(idle.closed_by_server_within(5s));  // idle keep-alive connections go at once
  EXPECT_FALSE(running_->stopped_within(200ms));  // the slow request holds the drain
  gate_.open();
  Reply reply = in_flight.get();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_FALSE(reply.keep_alive);
  EXPECT_TRUE(running_->stopped_within(10s));
}

TEST_F(PlainServerTest, DrainStopsWaitingAfterTheGracePeriod) {
  start(settings());
  auto in_flight = std::async(std::launch::async, [&] {
    Connection connection(port_);
    connection.send_raw("GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n");
    return connection.closed_by_server_within(10s);
  });
  slow_started_.wait();
  server_->drain(1s);
  EXPECT_TRUE(running_->stopped_within(10s));
  EXPECT_TRUE(in_flight.get());
  gate_.open();  // the handler ends after run() returned; ~HttpServer waits for it
}

TEST_F(PlainServerTest, ListenFailsOnAnAddressInUse) {
  start(settings());
  ListenerSettings taken = settings();
  taken.name = "second";
  taken.port = port_;
  HttpServer other(*workers_, 1);
  auto status = other.listen(taken, router());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "server.listen_failed");
}

TEST_F(PlainServerTest, ListenFailsWhenTheSpoolDirectoryIsMissing) {
  WorkerPool workers(1, 1);
  HttpServer server(workers, 1);
  ListenerSettings listener = settings();
  listener.spool_directory = scratch_.path() / "absent";
  auto status = server.listen(listener, router());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "server.listen_failed");
  EXPECT_NE(status.error().detail.find("absent"), std::string::npos);
}

}  // namespace
}  // namespace truc::http
