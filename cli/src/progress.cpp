#include "truc/cli/progress.hpp"

#include <array>
#include <cstdio>
#include <limits>

namespace truc::cli {

unsigned percent_of(std::uint64_t done, std::uint64_t total) {
  if (done >= total) return 100;
  if (total <= std::numeric_limits<std::uint64_t>::max() / 100) {
    return static_cast<unsigned>(done * 100 / total);
  }
  // done * 100 would overflow; dividing the total first loses less than a percent, and the
  // result is clamped so that only a finished transfer shows 100.
  auto percent = done / (total / 100);
  return static_cast<unsigned>(percent < 99 ? percent : 99);
}

std::string format_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f %s", value, kUnits[unit]);
  return text.data();
}

std::optional<unsigned> ProgressSteps::advance(std::uint64_t done, std::uint64_t total) {
  if (total == 0) return std::nullopt;
  unsigned percent = percent_of(done, total);
  bool due = !shown_ || percent >= *shown_ + step_percent_ || (percent == 100 && *shown_ != 100);
  if (!due) return std::nullopt;
  shown_ = percent;
  return percent;
}

}  // namespace truc::cli
