#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace truc::bench {

// A plain-text table sized to its content, for terminals and Markdown code blocks alike.
class Table {
 public:
  enum class Align { left, right };
  struct Column {
    std::string title;
    Align align = Align::right;
  };

  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // One cell per column; missing trailing cells print empty.
  void add_row(std::vector<std::string> cells);
  void print(std::ostream& out) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// `text` broken into lines of at most `width` columns at spaces (a longer word stands alone).
std::string wrap_text(std::string_view text, std::size_t width = 100);

// Three significant digits or more, with thousands separated: "0.0123", "4.56", "78.9", "1,234".
std::string format_number(double value);
// Decimal units, as openssl speed uses: "20.1 kB", "10.0 MB", "133.4 MB".
std::string format_bytes(std::uint64_t bytes);
// Two significant digits and a multiplication sign: "0.013×", "0.35×", "3.1×", "12×".
std::string format_ratio(double ratio);
// "5.2%" below 10%, "37%" above.
std::string format_percent(double fraction);

}  // namespace truc::bench
