#include "truc/office/schema.hpp"

#include <vector>

namespace truc::office {

// Generated from office/migrations by truc_migrations().
const std::vector<store::Migration>& migrations();

const store::Schema& office_schema() {
  // The lock key is an arbitrary constant shared by every office node, other than the hub's so
  // that a hub and an office sharing a cluster never wait on each other.
  static const store::Schema schema{"truc-office", "7470120512", migrations(), {}, {"audit_log"}};
  return schema;
}

}  // namespace truc::office
