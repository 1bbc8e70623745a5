#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/parse.hpp"

namespace truc::cli {

// The CLI's exit statuses: the same for every subcommand.
enum ExitStatus : int {
  kOk = 0,
  kRejected =
      1,       // the input (a document, a file) was refused; stderr starts with "error: <code>: "
  kUsage = 2,  // the command line was wrong
};

// Prints "error: <code>: <message> (<detail>)" on stderr and returns kRejected.
int reject(const Error& error);
// Prints "usage: <message>" and a hint to --help on stderr and returns kUsage.
int usage_error(std::string_view command, std::string_view message);
void print_finding(const edxml::Finding& finding);

// Standard output as a ByteSink.
class StdoutSink final : public ByteSink {
 public:
  Status write(std::string_view bytes) override;
  Status finish() override;
};

// Writes to `path` atomically, or to standard output when there is no path; `produce` fills it.
template <typename Produce>
Status write_output(const std::optional<std::filesystem::path>& path, Produce&& produce) {
  if (!path) {
    StdoutSink out;
    TRUC_TRY(produce(out));
    return out.finish();
  }
  auto file = AtomicFileWriter::create(*path);
  if (!file) return std::move(file).error();
  struct FileSink final : ByteSink {
    explicit FileSink(AtomicFileWriter& writer_in) : writer(writer_in) {}
    Status write(std::string_view bytes) override { return writer.write(bytes); }
    AtomicFileWriter& writer;
  } sink(*file);
  TRUC_TRY(produce(sink));
  return file->commit();
}

}  // namespace truc::cli
