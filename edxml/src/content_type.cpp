#include "truc/edxml/content_type.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "utf.hpp"

namespace truc::edxml {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char character) {
    return static_cast<char>(std::tolower(character));
  });
  return lower;
}

// The first local file header of a ZIP names its first entry; OOXML and ODF put a telling one
// first ("[Content_Types].xml", "mimetype" followed by the ODF type).
std::string zip_flavour(std::string_view head) {
  if (head.size() < 30) return "application/zip";
  auto name_length = static_cast<std::size_t>(static_cast<unsigned char>(head[26])) |
                     (static_cast<std::size_t>(static_cast<unsigned char>(head[27])) << 8);
  auto extra_length = static_cast<std::size_t>(static_cast<unsigned char>(head[28])) |
                      (static_cast<std::size_t>(static_cast<unsigned char>(head[29])) << 8);
  std::string_view name = head.substr(30, name_length);
  if (name == "[Content_Types].xml") return "application/vnd.openxmlformats-officedocument";
  if (name == "mimetype") {
    std::string_view stored = head.substr(std::min(head.size(), 30 + name_length + extra_length));
    if (starts_with(stored, "application/vnd.oasis.opendocument.")) {
      return std::string(
          stored.substr(0, stored.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789./-")));
    }
  }
  return "application/zip";
}

bool looks_like_text(std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return false;
  Utf8Validator validator;
  // A sniffed prefix may end inside a multi-byte character; that is not a reason to say binary.
  return validator.feed(head);
}

}  // namespace

std::string detect_content_type(std::string_view head) {
  if (head.empty()) return "application/octet-stream";
  if (starts_with(head, "%PDF-")) return "application/pdf";
  if (starts_with(head, "PK\x03\x04") || starts_with(head, "PK\x05\x06")) return zip_flavour(head);
  if (starts_with(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) return "application/x-ole-storage";
  if (starts_with(head, "Rar!\x1a\x07")) return "application/vnd.rar";
  if (starts_with(head, "{\\rtf")) return "application/rtf";
  if (starts_with(head, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts_with(head, "\xff\xd8\xff")) return "image/jpeg";
  if (starts_with(head, "<?xml")) return "application/xml";
  if (looks_like_text(head)) return "text/plain";
  return "application/octet-stream";
}

bool content_types_agree(std::string_view declared, std::string_view detected) {
  std::string type = lowercase(declared.substr(0, declared.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type.empty() || type == detected || type == "application/octet-stream") return true;

  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kCompatible{{
      {"application/msword", "application/x-ole-storage"},
      {"application/vnd.ms-excel", "application/x-ole-storage"},
      {"application/vnd.ms-powerpoint", "application/x-ole-storage"},
      {"application/x-rar-compressed", "application/vnd.rar"},
      {"application/x-rar", "application/vnd.rar"},
      {"text/rtf", "application/rtf"},
      {"text/xml", "application/xml"},
      {"application/x-zip-compressed", "application/zip"},
      {"image/jpg", "image/jpeg"},
      {"application/xml", "text/plain"},
      {"text/xml", "text/plain"},
  }};
  for (auto [declared_type, detected_type] : kCompatible) {
    if (type == declared_type && detected == detected_type) return true;
  }
  bool office_zip = detected == "application/vnd.openxmlformats-officedocument" ||
                    starts_with(detected, "application/vnd.oasis.opendocument.");
  if ((type == "application/zip" || type == "application/x-zip-compressed") && office_zip)
    return true;
  // Office Open XML types all start with this prefix and are ZIP files with [Content_Types].xml.
  if (starts_with(type, "application/vnd.openxmlformats-officedocument.")) {
    return detected == "application/vnd.openxmlformats-officedocument";
  }
  if (starts_with(type, "application/vnd.oasis.opendocument.")) return detected == type;
  return false;
}

std::string content_type_for_file_name(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kByExtension{{
      {".pdf", "application/pdf"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".ppt", "application/vnd.ms-powerpoint"},
      {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".rtf", "application/rtf"},
      {".txt", "text/plain"},
      {".zip", "application/zip"},
      {".rar", "application/vnd.rar"},
  }};
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string extension = lowercase(file_name.substr(dot));
  for (auto [known, type] : kByExtension) {
    if (extension == known) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace truc::edxml
