// Golden files for the edXML format (tests/data/edxml, each described in its README): for every
// document, what `truc edxml validate` concludes (NAME.expected), for the valid ones what
// `truc edxml inspect --json` prints (NAME.json), and for the signed ones that both Trục and
// xmlsec1 verify them. TRUC_UPDATE_GOLDEN=1 rewrites the expected files from the current output;
// review the diff before committing it.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "truc/testing/process.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc {
namespace {

std::filesystem::path data_dir() { return testing::source_dir() / "tests" / "data" / "edxml"; }
std::string truc_cli() { return (testing::binary_dir() / "cli" / "truc").string(); }
bool updating() { return std::getenv("TRUC_UPDATE_GOLDEN") != nullptr; }

std::vector<std::filesystem::path> documents() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir())) {
    if (entry.path().extension() == ".edxml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "valid", then one "error: <code>" or "warning: <code>" line per finding, in the CLI's order.
std::string conclusion(const testing::ProcessResult& result) {
  std::ostringstream lines;
  if (result.exit_status == 0) lines << "valid\n";
  std::istringstream errors(result.err);
  for (std::string line; std::getline(errors, line);) {
    auto second_colon = line.find(": ", line.find(": ") + 2);
    lines << line.substr(0, second_colon) << "\n";
  }
  return lines.str();
}

void check_golden(const std::filesystem::path& expected_file, const std::string& actual) {
  if (updating()) {
    std::ofstream(expected_file, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_file))
      << expected_file << " is missing (TRUC_UPDATE_GOLDEN=1)";
  EXPECT_EQ(testing::read_file(expected_file), actual) << "golden file " << expected_file;
}

TEST(Golden, EveryDocumentReachesItsExpectedConclusion) {
  auto files = documents();
  ASSERT_GE(files.size(), 20u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    auto result = testing::run_process({truc_cli(), "edxml", "validate", file.string()});
    EXPECT_EQ(result.exit_status, result.exit_status == 0 ? 0 : 1);
    auto expected = file;
    check_golden(expected.replace_extension(".expected"), conclusion(result));
  }
}

TEST(Golden, ValidDocumentsInspectAsExpected) {
  for (const auto& file : documents()) {
    if (file.filename().string().starts_with("bad-")) continue;
    SCOPED_TRACE(file.filename().string());
    auto result = testing::run_process({truc_cli(), "edxml", "inspect", "--json", file.string()});
    ASSERT_EQ(result.exit_status, 0) << result.err;
    auto expected = file;
    expected.replace_extension(".json");
    if (updating()) {
      check_golden(expected, result.out);
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(expected))
        << expected << " is missing (TRUC_UPDATE_GOLDEN=1)";
    EXPECT_EQ(boost::json::parse(testing::read_file(expected)), boost::json::parse(result.out));
  }
}

TEST(Golden, SignedDocumentsVerifyWithTrucAndXmlsec1) {
  std::string at = testing::read_file(data_dir() / "signing-time.txt");
  at.erase(at.find_last_not_of("\n") + 1);
  std::string ca = (data_dir() / "golden-ca.crt").string();
  int signed_count = 0;
  for (const auto& file : documents()) {
    if (!file.filename().string().starts_with("signed-")) continue;
    SCOPED_TRACE(file.filename().string());
    ++signed_count;
    auto ours = testing::run_process(
        {truc_cli(), "edxml", "verify", file.string(), "--trust-ca", ca, "--at", at});
    EXPECT_EQ(ours.exit_status, 0) << ours.err;
    std::string xmlsec1_time = at.substr(0, 10) + " " + at.substr(11, 8);  // "YYYY-MM-DD HH:MM:SS"
    auto theirs = testing::run_process({"/usr/bin/xmlsec1", "--verify", "--trusted-pem", ca,
                                        "--verification-gmt-time", xmlsec1_time,
                                        "--enabled-reference-uris", "empty", file.string()});
    EXPECT_EQ(theirs.exit_status, 0) << theirs.err;
  }
  EXPECT_EQ(signed_count, 3);
}

}  // namespace
}  // namespace truc
