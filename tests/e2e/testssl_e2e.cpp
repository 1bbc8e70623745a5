// testssl.sh against a real trucd's agency listener: no finding of severity HIGH or CRITICAL
// (scripts/testssl decides what counts). Skipped only when testssl.sh is not installed;
// scripts/bootstrap installs it, so the suite runs it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "truc/testing/hub.hpp"

namespace truc {
namespace {

TEST(TestsslTest, AgencyListenerHasNoHighOrCriticalFinding) {
  if (std::system("command -v testssl >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "testssl.sh is not installed";
  testing::HubProcess hub;
  hub.start();
  testing::TempDir reports;
  // The test PKI's server certificate names no CRL or OCSP responder (a deployed hub's
  // certificate from its CA does); that finding is about the test certificate, not trucd.
  auto scan = testing::run_process(
      {(testing::source_dir() / "scripts" / "testssl").string(), "--ca",
       hub.ca().certificate.string(), "--accept", "cert_revocation", "--report",
       reports.path().string(), "localhost:" + std::to_string(hub.agency_port())},
      {.timeout = std::chrono::seconds(300)});
  EXPECT_EQ(scan.exit_status, 0) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("no finding of severity HIGH or CRITICAL"), std::string::npos)
      << scan.out << scan.err;
  // The scan negotiated with the listener: the report shows TLS 1.2 or 1.3 offered.
  std::string report;
  for (const auto& entry : std::filesystem::directory_iterator(reports.path()))
    if (entry.path().extension() == ".json") report += testing::read_file(entry.path());
  EXPECT_NE(report.find("\"TLS1_3\""), std::string::npos) << report;
}

}  // namespace
}  // namespace truc
