#pragma once

// Progress of long transfers on a terminal: percentages in steps, sizes in binary units.

#include <cstdint>
#include <optional>
#include <string>

namespace truc::cli {

// Whole percent of `done` out of `total`, rounded down: 100 only once done reaches total, so a
// display never claims completion early (not even for sizes near the 64-bit limit). An empty
// transfer is complete.
unsigned percent_of(std::uint64_t done, std::uint64_t total);

// "512 B", "1.5 KiB", "50.0 MiB", "1.2 GiB": binary units, one decimal above bytes.
std::string format_size(std::uint64_t bytes);

// Decides which progress reports are worth showing: a 150 MiB upload reports thousands of chunks,
// a person wants to see each `step` percent, and the end.
class ProgressSteps {
 public:
  explicit ProgressSteps(unsigned step_percent) : step_percent_(step_percent) {}

  // The percent to show for this report, or nothing when the one shown last is still current or
  // the total is unknown (0: a percentage would be meaningless).
  std::optional<unsigned> advance(std::uint64_t done, std::uint64_t total);

 private:
  unsigned step_percent_;
  std::optional<unsigned> shown_;
};

}  // namespace truc::cli
