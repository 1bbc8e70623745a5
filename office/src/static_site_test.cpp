#include "truc/office/static_site.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "truc/testing/temp_dir.hpp"

namespace truc::office {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> header(const http::Response& response, std::string_view name) {
  for (const auto& [header_name, value] : response.headers) {
    if (header_name == name) return value;
  }
  return std::nullopt;
}

std::string error_code(const http::Response& response) {
  return std::string(boost::json::parse(response.body).at("code").as_string());
}

// A built app as Vite lays it out, beside a folder the handler must never show.
class StaticSiteTest : public ::testing::Test {
 protected:
  StaticSiteTest() {
    fs::create_directories(site() / "assets");
    fs::create_directories(outside() / "secrets");
    temp_.write("site/index.html", "<!doctype html><div id=\"root\"></div>");
    temp_.write("site/favicon.ico", "ico");
    temp_.write("site/robots.txt", "User-agent: *");
    temp_.write("site/assets/index-Cx1b2c3d.js", "console.log(1)");
    temp_.write("site/assets/index-D4e5f6a7.css", "body{}");
    temp_.write("site/assets/logo-a1b2.svg", "<svg/>");
    temp_.write("site/assets/font-9f8e.woff2", "woff2");
    temp_.write("site/assets/data.bin", "raw");
    temp_.write("site/.env", "SECRET=1");
    temp_.write("outside/secrets/key.pem", "PRIVATE");
    temp_.write("outside/leak.js", "stolen()");
    auto handler = static_site(site());
    EXPECT_TRUE(handler.ok()) << handler.error().to_string();
    handler_ = std::move(handler).value();
  }

  fs::path site() const { return temp_.path() / "site"; }
  fs::path outside() const { return temp_.path() / "outside"; }

  http::Response get(std::string path) {
    http::Request request;
    request.method = "GET";
    request.path = std::move(path);
    return handler_(request);
  }

  void expect_refused(std::string path) {
    SCOPED_TRACE(path);
    http::Response response = get(path);
    EXPECT_EQ(response.status, 404u);
    EXPECT_FALSE(response.body_file);
    EXPECT_EQ(error_code(response), "request.not_found");
  }

  fs::path canonical(const fs::path& path) const { return fs::canonical(path); }

  testing::TempDir temp_;
  http::Handler handler_;
};

TEST_F(StaticSiteTest, ServesAssetTypedByExtensionAndCachedAsImmutable) {
  http::Response script = get("/assets/index-Cx1b2c3d.js");
  EXPECT_EQ(script.status, 200u);
  ASSERT_TRUE(script.body_file);
  EXPECT_EQ(*script.body_file, canonical(site() / "assets/index-Cx1b2c3d.js"));
  EXPECT_FALSE(script.body_file_temporary);
  EXPECT_EQ(header(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(script, "Content-Security-Policy"), std::nullopt);

  EXPECT_EQ(header(get("/assets/index-D4e5f6a7.css"), "Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(header(get("/assets/logo-a1b2.svg"), "Content-Type"), "image/svg+xml");
  EXPECT_EQ(header(get("/assets/font-9f8e.woff2"), "Content-Type"), "font/woff2");
  EXPECT_EQ(header(get("/assets/data.bin"), "Content-Type"), "application/octet-stream");
}

TEST_F(StaticSiteTest, FilesOutsideAssetsAreRevalidated) {
  http::Response icon = get("/favicon.ico");
  EXPECT_EQ(icon.status, 200u);
  EXPECT_EQ(header(icon, "Content-Type"), "image/x-icon");
  EXPECT_EQ(header(icon, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(get("/robots.txt"), "Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(StaticSiteTest, IndexCarriesContentSecurityPolicyAndNoCache) {
  for (std::string path : {"/", "/index.html"}) {
    SCOPED_TRACE(path);
    http::Response index = get(path);
    EXPECT_EQ(index.status, 200u);
    EXPECT_EQ(index.body_file, canonical(site() / "index.html"));
    EXPECT_EQ(header(index, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(index, "Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
}

TEST_F(StaticSiteTest, EveryAnswerCarriesTheHardeningHeaders) {
  for (std::string path : {"/", "/assets/index-Cx1b2c3d.js", "/documents/42", "/missing.js",
                           "/office/api/v1/x", "/../outside/leak.js"}) {
    SCOPED_TRACE(path);
    http::Response response = get(path);
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(response, "Referrer-Policy"), "no-referrer");
  }
}

TEST_F(StaticSiteTest, ClientSideRoutesGetTheIndex) {
  for (std::string path : {"/documents", "/documents/42", "/settings/users/", "/assets"}) {
    SCOPED_TRACE(path);
    http::Response response = get(path);
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.body_file, canonical(site() / "index.html"));
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
    EXPECT_TRUE(header(response, "Content-Security-Policy"));
  }
}

TEST_F(StaticSiteTest, MissingFileWithExtensionIsJsonNotFound) {
  http::Response response = get("/assets/index-old1234.js");
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(header(response, "Content-Type"), "application/json");
  EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
  EXPECT_EQ(error_code(response), "request.not_found");
  expect_refused("/documents/report.pdf");
}

TEST_F(StaticSiteTest, ApiPathsAreNeverTheApp) {
  expect_refused("/office/api");
  expect_refused("/office/api/");
  expect_refused("/office/api/v1/nothing");
  expect_refused("/office/api/v1/session/extra");
  // Only the exact prefix: a client route that merely starts alike is the app's.
  EXPECT_EQ(get("/office/apiary").status, 200u);
  EXPECT_EQ(get("/office").status, 200u);
}

TEST_F(StaticSiteTest, RefusesTraversalInAnyDecodedForm) {
  // As they reach the handler: the transport has percent-decoded %2e%2e, %5c and %00 already.
  expect_refused("/../outside/leak.js");
  expect_refused("/assets/../../outside/leak.js");
  expect_refused("/assets/../index.html");
  expect_refused("/..");
  expect_refused("/../outside");
  expect_refused("/./index.html");
  expect_refused("/assets\\..\\..\\outside\\leak.js");
  expect_refused("/..\\outside\\leak.js");
  expect_refused(std::string("/index.html\0.js", 15));
  expect_refused(std::string("/documents\0", 11));
  expect_refused("//etc/passwd");
  expect_refused("/assets//index-Cx1b2c3d.js");
}

TEST_F(StaticSiteTest, RefusesDotFiles) { expect_refused("/.env"); }

TEST_F(StaticSiteTest, RefusesSymlinksOutOfTheRoot) {
  fs::create_symlink(outside() / "leak.js", site() / "assets/leak.js");
  fs::create_directory_symlink(outside() / "secrets", site() / "keys");
  fs::create_directory_symlink(outside(), site() / "elsewhere");
  expect_refused("/assets/leak.js");
  expect_refused("/keys/key.pem");
  expect_refused("/keys/missing.pem");
  // Even where a missing name would have been a client-side route.
  expect_refused("/keys");
  expect_refused("/elsewhere/secrets/key");
}

TEST_F(StaticSiteTest, SiblingFolderSharingTheRootsNameIsOutside) {
  // "<tmp>/site-old/..." starts with the text "<tmp>/site" but is not under it.
  fs::create_directory(temp_.path() / "site-old");
  temp_.write("site-old/old.js", "old()");
  fs::create_symlink(temp_.path() / "site-old/old.js", site() / "old.js");
  expect_refused("/old.js");
}

TEST_F(StaticSiteTest, FollowsSymlinksThatStayInTheRoot) {
  fs::create_symlink(site() / "assets/index-Cx1b2c3d.js", site() / "assets/app.js");
  http::Response response = get("/assets/app.js");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body_file, canonical(site() / "assets/index-Cx1b2c3d.js"));
}

TEST(StaticSite, RootWithoutIndexIsAConfigurationError) {
  testing::TempDir temp;
  auto missing = static_site(temp.path() / "absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "config.invalid");
  auto empty = static_site(temp.path());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "config.invalid");
  EXPECT_EQ(empty.error().detail, temp.path().string());
}

}  // namespace
}  // namespace truc::office
