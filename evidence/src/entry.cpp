#include "truc/evidence/entry.hpp"

#include "field_encoding.hpp"
#include "truc/common/digest.hpp"

namespace truc::evidence {

std::string canonical_encoding(const Entry& entry) {
  std::string out = "truc-evidence-entry/1\n";
  append_field(out, std::to_string(entry.seq));
  append_field(out, entry.kind);
  append_field(out, entry.message_id);
  append_field(out, entry.actor);
  append_field(out, entry.recipient_code);
  append_field(out, entry.package_sha256);
  append_field(out, format_iso8601(entry.recorded_at));
  append_field(out, entry.previous_hash);
  return out;
}

std::string compute_entry_hash(const Entry& entry) { return sha256_hex(canonical_encoding(entry)); }

}  // namespace truc::evidence
