#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "truc/edxml/model.hpp"
#include "truc/edxml/parse.hpp"

namespace truc::testing {

inline constexpr const char* kSenderCode = "000.00.00.G22";
inline constexpr const char* kRecipientCode = "000.00.00.H41";

// A realistic công văn from kSenderCode to kRecipientCode with Vietnamese text in every free-text
// field; its attachments are listed but their files are the caller's.
edxml::Package sample_package();
edxml::StatusPacket sample_status(edxml::StatusCode code);

// Writes attachment files named after the package's attachments into `directory` (`size` bytes
// each, a PDF header then filler) and returns their paths in attachment order.
std::vector<std::filesystem::path> write_attachment_files(const edxml::Package& package,
                                                          const std::filesystem::path& directory,
                                                          std::size_t size = 2048);

// Builds the package to bytes (attachments from files) and fails the test on error.
std::string build_package(const edxml::Package& package,
                          const std::vector<std::filesystem::path>& files);
std::string build_status(const edxml::StatusPacket& status);

// Parses bytes with a default Parser, discarding attachments.
Result<edxml::Parsed> parse_bytes(const std::string& bytes,
                                  edxml::XmlEventListener* listener = nullptr);

// Replaces the first occurrence of `from` in `text` (which must contain it).
std::string replace_once(std::string text, const std::string& from, const std::string& to);

}  // namespace truc::testing
