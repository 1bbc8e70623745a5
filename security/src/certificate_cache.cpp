#include "certificate_cache.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace truc::security {
namespace {

// More distinct signers than a province has agencies' certificates in use: when it is full it
// starts again, so that a flood of one-off certificates cannot grow it.
constexpr std::size_t kMaxCertificates = 4096;

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, Certificate> by_der;
};

Cache& cache() {
  static Cache instance;
  return instance;
}

}  // namespace

Result<Certificate> decode_certificate_cached(std::string_view der) {
  Cache& shared = cache();
  {
    std::lock_guard lock(shared.mutex);
    if (auto found = shared.by_der.find(std::string(der)); found != shared.by_der.end()) {
      return found->second;
    }
  }
  auto decoded = Certificate::from_der(der);
  if (!decoded) return decoded;
  std::lock_guard lock(shared.mutex);
  if (shared.by_der.size() >= kMaxCertificates) shared.by_der.clear();
  shared.by_der.emplace(std::string(der), *decoded);
  return decoded;
}

}  // namespace truc::security
