#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "truc/https/http_client.hpp"

namespace truc::https {
namespace {

using ::testing::HasSubstr;

TEST(ErrorFromResponse, TakesTheHubsCodeMessageAndDetails) {
  auto error = error_from_response(
      422,
      R"({"code":"route.unknown_recipient","message":"no such agency","details":"000.00.00.X99"})");
  EXPECT_EQ(error.code, "route.unknown_recipient");
  EXPECT_EQ(error.message, "no such agency");
  EXPECT_EQ(error.detail, "000.00.00.X99");
  EXPECT_EQ(error.to_string(), "route.unknown_recipient: no such agency (000.00.00.X99)");
}

TEST(ErrorFromResponse, AcceptsAnErrorWithoutDetails) {
  auto error = error_from_response(404, R"({"code":"package.not_found","message":"not found"})");
  EXPECT_EQ(error.code, "package.not_found");
  EXPECT_EQ(error.detail, "");
}

TEST(ErrorFromResponse, NamesTheStatusWhenTheBodyIsNotAnError) {
  for (const char* body : {"<html>Bad Gateway</html>", "{}", R"({"code":"","message":"x"})",
                           R"({"code":7,"message":"x"})", "[]", ""}) {
    auto error = error_from_response(502, body);
    EXPECT_EQ(error.code, "client.protocol") << body;
    EXPECT_THAT(error.message, HasSubstr("HTTP 502")) << body;
  }
}

TEST(ErrorFromResponse, NeutralisesControlCharactersFromTheServer) {
  auto error = error_from_response(
      400, "{\"code\":\"x.y\",\"message\":\"bad\\u001b[2Jthing\",\"details\":\"a\\nb\"}");
  EXPECT_EQ(error.message, "bad [2Jthing");
  EXPECT_EQ(error.detail, "a b");
}

}  // namespace
}  // namespace truc::https
