// testssl.sh against a real trucd's TLS listeners, the agency listener and the monitoring
// listener with [monitor] tls_certificate: no finding of severity HIGH or CRITICAL
// (scripts/testssl decides what counts). Skipped only when testssl.sh is not installed;
// scripts/bootstrap installs it, so the suite runs it.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "truc/testing/hub.hpp"

namespace truc {
namespace {

// Scans localhost:`port` of `hub` (the name its server certificate was issued for) and expects
// no finding of severity HIGH or CRITICAL and a negotiated TLS 1.3.
void expect_no_high_or_critical_finding(const testing::HubProcess& hub, std::uint16_t port) {
  testing::TempDir reports;
  // The test PKI's server certificate names no CRL or OCSP responder (a deployed hub's
  // certificate from its CA does); that finding is about the test certificate, not trucd.
  auto scan = testing::run_process(
      {(testing::source_dir() / "scripts" / "testssl").string(), "--ca",
       hub.ca().certificate.string(), "--accept", "cert_revocation", "--report",
       reports.path().string(), "localhost:" + std::to_string(port)},
      {.timeout = std::chrono::seconds(300)});
  EXPECT_EQ(scan.exit_status, 0) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("no finding of severity HIGH or CRITICAL"), std::string::npos)
      << scan.out << scan.err;
  // The scan negotiated with the listener: the report shows TLS 1.3 offered.
  std::string report;
  for (const auto& entry : std::filesystem::directory_iterator(reports.path()))
    if (entry.path().extension() == ".json") report += testing::read_file(entry.path());
  EXPECT_NE(report.find("\"TLS1_3\""), std::string::npos) << report;
}

bool testssl_installed() { return std::system("command -v testssl >/dev/null 2>&1") == 0; }

TEST(TestsslTest, AgencyListenerHasNoHighOrCriticalFinding) {
  if (!testssl_installed()) GTEST_SKIP() << "testssl.sh is not installed";
  testing::HubProcess hub;
  hub.start();
  expect_no_high_or_critical_finding(hub, hub.agency_port());
}

TEST(TestsslTest, MonitorListenerHasNoHighOrCriticalFinding) {
  if (!testssl_installed()) GTEST_SKIP() << "testssl.sh is not installed";
  testing::HubProcess hub({.monitor_tls = true});
  hub.start();  // registers the agencies through the monitoring listener, so over its TLS
  expect_no_high_or_critical_finding(hub, hub.monitor_port());
}

}  // namespace
}  // namespace truc
