#pragma once

// The incoming register book (sổ đăng ký văn bản đến, Decree 30 Appendix IV) as a PDF that the
// clerk prints, signs and binds (Regulation 480, Article 13: documents registered in the software
// are printed in the form of the register book). A4 landscape: a cover with the agency, the
// register and its year, then the table of Appendix IV, its header on every page, numbered pages.
// The documents are read in pages of a few hundred rows by arrival number, so memory does not
// grow with the register.

#include <cstdint>
#include <filesystem>
#include <string>

#include "truc/common/error.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

// Has every Vietnamese glyph and the metrics of Times New Roman, the font of Decree 30.
inline constexpr const char* kRegisterBookFont = "Liberation Serif";

struct RegisterBookWritten {
  std::string register_name;
  int year = 0;
  std::int64_t documents = 0;
};

class RegisterBooks {
 public:
  explicit RegisterBooks(store::Pool& database) : database_(database) {}

  // Writes the book of register `register_id` of the agency to `destination` (created or
  // replaced). Errors: register.not_found (not a register of the agency),
  // register.not_incoming (an outgoing register: its book comes with outgoing documents),
  // office.font_missing (kRegisterBookFont is not installed), office.pdf_failed (cairo could not
  // write the file).
  Result<RegisterBookWritten> write_incoming(std::int64_t agency_id, std::int64_t register_id,
                                             const std::filesystem::path& destination);

 private:
  store::Pool& database_;
};

}  // namespace truc::office
