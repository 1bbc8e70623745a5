#include "truc/http/http.hpp"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/json.hpp>

#include "message.hpp"
#include "truc/http/request_target.hpp"

namespace truc::http {
namespace {

Handler answer(std::string body) {
  return [body](Request&) { return Response::json(200, body); };
}

Router package_router() {
  Router router;
  router.add({"GET", "/v1/packages", BodyMode::none, answer("list")});
  router.add({"POST", "/v1/packages", BodyMode::spool, answer("create")});
  router.add({"GET", "/v1/packages/{id}", BodyMode::none, answer("get")});
  router.add({"POST", "/v1/packages/{id}/ack", BodyMode::memory, answer("ack")});
  router.add({"DELETE", "/v1/agencies/{agency}/packages/{id}", BodyMode::none, answer("remove")});
  return router;
}

TEST(Router, MatchesLiteralPatternByMethod) {
  Router router = package_router();
  auto listing = router.match("GET", "/v1/packages");
  ASSERT_NE(listing.route, nullptr);
  EXPECT_EQ(listing.route->pattern, "/v1/packages");
  EXPECT_EQ(listing.route->method, "GET");
  EXPECT_EQ(listing.status, 200u);

  auto creation = router.match("POST", "/v1/packages");
  ASSERT_NE(creation.route, nullptr);
  EXPECT_EQ(creation.route->body, BodyMode::spool);
}

TEST(Router, CapturesNamedSegments) {
  Router router = package_router();
  auto ack = router.match("POST", "/v1/packages/abc-123/ack");
  ASSERT_NE(ack.route, nullptr);
  EXPECT_EQ(ack.route->pattern, "/v1/packages/{id}/ack");
  EXPECT_EQ(ack.parameters, (std::map<std::string, std::string>{{"id", "abc-123"}}));

  auto removal = router.match("DELETE", "/v1/agencies/000.00.00.G22/packages/7");
  ASSERT_NE(removal.route, nullptr);
  EXPECT_EQ(removal.parameters,
            (std::map<std::string, std::string>{{"agency", "000.00.00.G22"}, {"id", "7"}}));
}

TEST(Router, ParameterDoesNotMatchEmptySegmentOrSeveralSegments) {
  Router router = package_router();
  EXPECT_EQ(router.match("GET", "/v1/packages/").status, 404u);
  EXPECT_EQ(router.match("GET", "/v1/packages/a/b").status, 404u);
  EXPECT_EQ(router.match("POST", "/v1/packages//ack").status, 404u);
}

TEST(Router, UnknownPathIsNotFound) {
  Router router = package_router();
  auto match = router.match("GET", "/v2/packages");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.status, 404u);
  EXPECT_TRUE(match.allowed_methods.empty());
  EXPECT_EQ(router.match("GET", "/").status, 404u);
  EXPECT_EQ(router.match("GET", "/v1/packages/x/ack/extra").status, 404u);
}

TEST(Router, KnownPathWithOtherMethodIsMethodNotAllowedWithAllowList) {
  Router router = package_router();
  auto match = router.match("PUT", "/v1/packages");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.status, 405u);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));

  auto single = router.match("GET", "/v1/packages/9/ack");
  EXPECT_EQ(single.status, 405u);
  EXPECT_EQ(single.allowed_methods, (std::vector<std::string>{"POST"}));
}

TEST(Router, MethodsAreCaseSensitive) {
  Router router = package_router();
  EXPECT_EQ(router.match("get", "/v1/packages").status, 405u);
}

TEST(Router, FirstMatchingRouteWins) {
  Router router;
  router.add({"GET", "/v1/packages/latest", BodyMode::none, answer("latest")});
  router.add({"GET", "/v1/packages/{id}", BodyMode::none, answer("by id")});
  auto match = router.match("GET", "/v1/packages/latest");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/v1/packages/latest");
  EXPECT_TRUE(match.parameters.empty());
}

TEST(Router, RestParameterTakesRemainingSegmentsJoinedWithSlash) {
  Router router;
  router.add({"GET", "/{path...}", BodyMode::none, answer("site")});
  auto asset = router.match("GET", "/assets/app.js");
  ASSERT_NE(asset.route, nullptr);
  EXPECT_EQ(asset.parameters, (std::map<std::string, std::string>{{"path", "assets/app.js"}}));
  EXPECT_EQ(router.match("GET", "/index.html").parameters.at("path"), "index.html");
  EXPECT_EQ(router.match("GET", "/a/b/").parameters.at("path"), "a/b/");
}

TEST(Router, RestParameterMatchesZeroSegments) {
  Router router;
  router.add({"GET", "/{path...}", BodyMode::none, answer("site")});
  auto root = router.match("GET", "/");
  ASSERT_NE(root.route, nullptr);
  EXPECT_EQ(root.parameters, (std::map<std::string, std::string>{{"path", ""}}));

  Router files;
  files.add({"GET", "/files/{kind}/{rest...}", BodyMode::none, answer("files")});
  auto bare = files.match("GET", "/files/pdf");
  ASSERT_NE(bare.route, nullptr);
  EXPECT_EQ(bare.parameters, (std::map<std::string, std::string>{{"kind", "pdf"}, {"rest", ""}}));
  auto deep = files.match("GET", "/files/pdf/2026/12/a.pdf");
  ASSERT_NE(deep.route, nullptr);
  EXPECT_EQ(deep.parameters,
            (std::map<std::string, std::string>{{"kind", "pdf"}, {"rest", "2026/12/a.pdf"}}));
  // The segments before the rest still have to match.
  EXPECT_EQ(files.match("GET", "/files").status, 404u);
  EXPECT_EQ(files.match("GET", "/other/pdf/a").status, 404u);
}

TEST(Router, EarlierRoutesWinOverACatchAllRest) {
  Router router;
  router.add({"GET", "/office/api/v1/session", BodyMode::none, answer("session")});
  router.add({"GET", "/{path...}", BodyMode::none, answer("site")});
  EXPECT_EQ(router.match("GET", "/office/api/v1/session").route->pattern, "/office/api/v1/session");
  EXPECT_EQ(router.match("GET", "/office/documents").route->pattern, "/{path...}");
  // A GET-only catch-all makes every path known: another method is 405, not 404.
  EXPECT_EQ(router.match("POST", "/anything").status, 405u);
}

#ifndef NDEBUG
TEST(RouterDeathTest, RestParameterOnlyAsLastSegment) {
  EXPECT_DEATH(Router().add({"GET", "/{path...}/edit", BodyMode::none, answer("x")}),
               "last segment");
  EXPECT_DEATH(Router().add({"GET", "/{...}", BodyMode::none, answer("x")}), "needs a name");
  EXPECT_DEATH(Router().add({"GET", "/{id}/{id...}", BodyMode::none, answer("x")}), "unique");
}
#endif

boost::json::object parse_object(const std::string& text) {
  return boost::json::parse(text).as_object();
}

TEST(Response, ErrorRendersCodeMessageAndDetailsAsJson) {
  Response response = Response::error(Error{"request.not_found", "no such resource", "/v1/x"});
  EXPECT_EQ(response.status, 404u);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Content-Type");
  EXPECT_EQ(response.headers[0].second, "application/json");
  auto body = parse_object(response.body);
  EXPECT_EQ(body.at("code").as_string(), "request.not_found");
  EXPECT_EQ(body.at("message").as_string(), "no such resource");
  EXPECT_EQ(body.at("details").as_string(), "/v1/x");
  EXPECT_EQ(body.size(), 3u);
}

TEST(Response, ErrorStatusFollowsTheSharedTable) {
  EXPECT_EQ(Response::error({"request.too_large", "", ""}).status, 413u);
  EXPECT_EQ(Response::error({"request.method_not_allowed", "", ""}).status, 405u);
  EXPECT_EQ(Response::error({"request.malformed", "", ""}).status, 400u);
  EXPECT_EQ(Response::error({"server.busy", "", ""}).status, 503u);
  EXPECT_EQ(Response::error({"server.internal", "", ""}).status, 500u);
  EXPECT_EQ(Response::error({"auth.sender_mismatch", "", ""}).status, 403u);
  EXPECT_EQ(Response::error({"auth.missing_certificate", "", ""}).status, 401u);
  EXPECT_EQ(Response::error({"signature.invalid", "", ""}).status, 422u);
}

TEST(Response, ErrorEscapesTextForJson) {
  Response response = Response::error(Error{"request.malformed", "quote \" and\nline", "Trục"});
  auto body = parse_object(response.body);
  EXPECT_EQ(body.at("message").as_string(), "quote \" and\nline");
  EXPECT_EQ(body.at("details").as_string(), "Trục");
}

TEST(Response, JsonSetsStatusBodyAndContentType) {
  Response response = Response::json(201, R"({"id":"7"})");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.body, R"({"id":"7"})");
  EXPECT_EQ(
      response.headers,
      (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}));
}

TEST(Request, HeaderReturnsFirstValueOfLowercaseName) {
  Request request;
  request.headers = {{"content-type", "application/xml"}, {"x-agency", "G22"}, {"x-agency", "H41"}};
  EXPECT_EQ(request.header("x-agency"), "G22");
  EXPECT_EQ(request.header("content-type"), "application/xml");
  EXPECT_FALSE(request.header("accept").has_value());
  EXPECT_FALSE(request.header("Content-Type").has_value());  // names are stored lowercased
}

TEST(RequestTarget, DecodesPathAndQuery) {
  auto target =
      parse_request_target("/v1/packages/a%20b?agency=000.00.00.G22&q=%C4%91%C6%B0%E1%BB%9Dng");
  ASSERT_TRUE(target.ok()) << target.error().to_string();
  EXPECT_EQ(target->path, "/v1/packages/a b");
  EXPECT_EQ(target->query.at("agency"), "000.00.00.G22");
  EXPECT_EQ(target->query.at("q"), "đường");
}

TEST(RequestTarget, RepeatedQueryKeyKeepsTheLastValue) {
  auto target = parse_request_target("/search?page=1&page=3&flag");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->query.at("page"), "3");
  EXPECT_EQ(target->query.at("flag"), "");
}

TEST(RequestTarget, KeepsTrailingSlashAndRoot) {
  EXPECT_EQ(parse_request_target("/")->path, "/");
  EXPECT_EQ(parse_request_target("/v1/")->path, "/v1/");
}

TEST(RequestTarget, RejectsEncodedSlashAndNulInSegment) {
  auto slash = parse_request_target("/v1/packages/a%2Fb");
  ASSERT_FALSE(slash.ok());
  EXPECT_EQ(slash.error().code, "request.malformed");
  EXPECT_FALSE(parse_request_target("/v1/a%00b").ok());
}

// Found by the http_parse fuzz target: Boost.URL's segments() hid the first "/." of "/././r",
// so the path read as "/./r" and a target rebuilt from it read back as "/r".
TEST(RequestTarget, RejectsDotSegmentsEvenEncodedOrLeading) {
  for (const char* target :
       {"/././r/a", "/./r", "/v1/./inbox", "/v1/../admin", "/v1/%2E%2E/x", "/v1/%2e", "/.."}) {
    auto parsed = parse_request_target(target);
    ASSERT_FALSE(parsed.ok()) << target << " read as " << parsed->path;
    EXPECT_EQ(parsed.error().code, "request.malformed") << target;
  }
  EXPECT_EQ(parse_request_target("/v1/.well-known/a..b")->path, "/v1/.well-known/a..b");
}

TEST(RequestTarget, RejectsAbsoluteFormAndBadEscapes) {
  EXPECT_FALSE(parse_request_target("http://example.com/v1").ok());
  EXPECT_FALSE(parse_request_target("*").ok());
  EXPECT_FALSE(parse_request_target("/v1?x=%ZZ").ok());
}

TEST(WireResponse, AddsRequestIdAndLengthAndKeepsHandlerHeaders) {
  Response response = Response::json(200, "{}");
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Content-Length", "999");  // the transport's to set
  auto wire = to_wire_response(response, "00112233aabbccdd", true);
  auto& message = std::get<boost::beast::http::response<boost::beast::http::string_body>>(wire);
  EXPECT_EQ(message.result_int(), 200u);
  EXPECT_EQ(message["X-Request-Id"], "00112233aabbccdd");
  EXPECT_EQ(message["Cache-Control"], "no-store");
  EXPECT_EQ(message["Content-Length"], "2");
  EXPECT_TRUE(message.keep_alive());
}

TEST(WireResponse, BareErrorStatusDefaultsToJsonContentType) {
  Response response;
  response.status = 409;
  response.body = R"({"code":"agency.exists"})";
  auto wire = to_wire_response(response, "id", false);
  auto& message = std::get<boost::beast::http::response<boost::beast::http::string_body>>(wire);
  EXPECT_EQ(message["Content-Type"], "application/json");
  EXPECT_FALSE(message.keep_alive());
}

TEST(WireResponse, HeaderWithLineBreakBecomesInternalError) {
  Response response = Response::json(200, "{}");
  response.headers.emplace_back("X-Note", "a\r\nSet-Cookie: x=1");
  auto wire = to_wire_response(response, "id", true);
  EXPECT_EQ(wire_status(wire), 500u);
  auto& message = std::get<boost::beast::http::response<boost::beast::http::string_body>>(wire);
  EXPECT_EQ(message["X-Note"], "");
  EXPECT_EQ(parse_object(message.body()).at("code").as_string(), "server.internal");
}

TEST(WireResponse, MissingBodyFileBecomesInternalError) {
  Response response;
  response.body_file = "/nonexistent/truc/package.edxml";
  EXPECT_EQ(wire_status(to_wire_response(response, "id", true)), 500u);
}

TEST(WireResponse, NoContentCarriesNoLength) {
  Response response;
  response.status = 204;
  auto wire = to_wire_response(response, "id", true);
  auto& message = std::get<boost::beast::http::response<boost::beast::http::string_body>>(wire);
  EXPECT_EQ(message.result_int(), 204u);
  EXPECT_EQ(message.count("Content-Length"), 0u);
}

TEST(ReadErrorAnswer, MapsParserErrorsToClientErrors) {
  namespace http = boost::beast::http;
  EXPECT_EQ(read_error_answer(http::error::header_limit)->code, "request.headers_too_large");
  EXPECT_EQ(transport_error_response(*read_error_answer(http::error::header_limit)).status, 431u);
  EXPECT_EQ(read_error_answer(http::error::body_limit)->code, "request.too_large");
  EXPECT_EQ(read_error_answer(http::error::bad_method)->code, "request.malformed");
  EXPECT_FALSE(read_error_answer(http::error::end_of_stream).has_value());
  EXPECT_FALSE(read_error_answer(http::error::partial_message).has_value());
  EXPECT_FALSE(read_error_answer(boost::asio::error::connection_reset).has_value());
}

TEST(RequestId, IsSixteenLowercaseHexDigitsAndVaries) {
  std::string first = new_request_id();
  EXPECT_EQ(first.size(), 16u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, new_request_id());
}

}  // namespace
}  // namespace truc::http
