#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace truc::edxml {

// Bytes that a type detector needs from the start of a file.
inline constexpr std::size_t kContentSniffBytes = 512;

// The media type the first bytes of a file show, regardless of its name or declared type:
// application/pdf, application/zip (also OOXML and ODF, told apart when the first entry says),
// application/x-ole-storage (legacy .doc/.xls/.ppt), application/vnd.rar, application/rtf,
// image/png, image/jpeg, application/xml, text/plain, or application/octet-stream.
std::string detect_content_type(std::string_view head);

// Whether a declared type is compatible with what detect_content_type found.
bool content_types_agree(std::string_view declared, std::string_view detected);

// The media type senders declare for a file of this name (by extension, for the formats the
// regulation lists: txt, odt, rtf, doc/docx, xls/xlsx, ppt/pptx, pdf, zip, rar), or
// application/octet-stream.
std::string content_type_for_file_name(std::string_view file_name);

}  // namespace truc::edxml
