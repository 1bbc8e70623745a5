#include "table.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string_view>

namespace truc::bench {
namespace {

// Terminal columns a UTF-8 string takes, assuming one per code point (no wide characters here).
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char byte) { return (byte & 0xC0) != 0x80; }));
}

std::string with_thousands_separators(std::string_view digits) {
  std::string separated;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) separated += ',';
    separated += digits[index];
  }
  return separated;
}

std::string printf_string(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}  // namespace

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& column : columns_) widths.push_back(display_width(column.title));
  for (const auto& row : rows_) {
    for (std::size_t index = 0; index < row.size(); ++index)
      widths[index] = std::max(widths[index], display_width(row[index]));
  }
  auto print_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t index = 0; index < cells.size(); ++index) {
      std::string padding(widths[index] - display_width(cells[index]), ' ');
      if (index > 0) line += "  ";
      line +=
          columns_[index].align == Align::left ? cells[index] + padding : padding + cells[index];
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  };
  std::vector<std::string> titles;
  for (const auto& column : columns_) titles.push_back(column.title);
  print_line(titles);
  std::vector<std::string> rule;
  for (std::size_t width : widths) rule.push_back(std::string(width, '-'));
  print_line(rule);
  for (const auto& row : rows_) print_line(row);
}

std::string wrap_text(std::string_view text, std::size_t width) {
  std::string wrapped;
  std::size_t line_width = 0;
  while (!text.empty()) {
    std::size_t end = text.find(' ');
    std::string word(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    std::size_t word_width = display_width(word);
    if (line_width > 0 && line_width + 1 + word_width > width) {
      wrapped += '\n';
      line_width = 0;
    } else if (line_width > 0) {
      wrapped += ' ';
      ++line_width;
    }
    wrapped += word;
    line_width += word_width;
  }
  return wrapped;
}

std::string format_number(double value) {
  if (value >= 1000) return with_thousands_separators(printf_string("%.0f", value));
  if (value >= 100) return printf_string("%.0f", value);
  if (value >= 10) return printf_string("%.1f", value);
  if (value >= 1) return printf_string("%.2f", value);
  return printf_string("%.3g", value);
}

std::string format_bytes(std::uint64_t bytes) {
  auto value = static_cast<double>(bytes);
  if (bytes >= 1'000'000) return printf_string("%.1f MB", value / 1e6);
  if (bytes >= 1'000) return printf_string("%.1f kB", value / 1e3);
  return std::to_string(bytes) + " B";
}

std::string format_ratio(double ratio) {
  return printf_string(ratio >= 10 ? "%.0f×" : ratio >= 1 ? "%.1f×" : "%.2g×", ratio);
}

std::string format_percent(double fraction) {
  double percent = fraction * 100;
  return printf_string(percent < 10 ? "%.1f%%" : "%.0f%%", percent);
}

}  // namespace truc::bench
