#include "floor.hpp"

#include <stdexcept>

#include "edxml_work.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/trust_store.hpp"

namespace truc::bench {

double package_work_milliseconds(const std::vector<std::string>& packages,
                                 const std::filesystem::path& ca_file, Seconds duration) {
  if (packages.empty()) throw std::runtime_error("no packages to time parse+validate+verify on");
  auto trust = security::TrustStore::load({{ca_file}, {}, {}});
  if (!trust) throw std::runtime_error("trust store: " + trust.error().to_string());
  const edxml::Parser parser;
  std::size_t next = 0;
  Operation work = [&] {
    MemorySource input(packages[next++ % packages.size()]);
    return parse_validate_verify(parser, input, *trust);
  };
  auto timing = time_repeatedly(work, Seconds(0.5), duration);
  if (!timing) throw std::runtime_error("parse+validate+verify: " + timing.error().to_string());
  return timing->seconds_per_run * 1000;
}

}  // namespace truc::bench
