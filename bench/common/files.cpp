#include "files.hpp"

#include "truc/common/file.hpp"

namespace truc::bench {
namespace {

class FileSink final : public ByteSink {
 public:
  explicit FileSink(File file) : file_(std::move(file)) {}
  Status write(std::string_view bytes) override { return file_.write_all(bytes); }

 private:
  File file_;
};

}  // namespace

Status write_file(const std::filesystem::path& path,
                  const std::function<Status(ByteSink&)>& write) {
  auto file = File::create(path);
  if (!file) return std::move(file).error();
  FileSink sink(std::move(*file));
  TRUC_TRY(write(sink));
  return sink.finish();
}

}  // namespace truc::bench
