#pragma once

// One entry of the evidence log and its hash (docs/evidence.md, "Entries"). The hash is SHA-256
// over a canonical byte encoding of the entry's fields and the hash of the entry before it, so
// that changing, removing or reordering any entry breaks every hash after it.

#include <cstdint>
#include <string>
#include <string_view>

#include "truc/common/time.hpp"

namespace truc::evidence {

// What an entry records. The names are stored and hashed: never rename one.
namespace kind {
inline constexpr std::string_view package_accepted = "package.accepted";
inline constexpr std::string_view status_accepted = "status.accepted";
inline constexpr std::string_view delivery_acked = "delivery.acked";
inline constexpr std::string_view delivery_nacked = "delivery.nacked";
inline constexpr std::string_view delivery_pushed = "delivery.pushed";
inline constexpr std::string_view delivery_dead_lettered = "delivery.dead_lettered";
inline constexpr std::string_view delivery_recalled = "delivery.recalled";
}  // namespace kind

// The previous hash of the first entry: 64 zeros.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Entry {
  std::int64_t seq = 0;  // 1, 2, 3, … without gaps
  std::string kind;
  std::string message_id;      // the hub's package id
  std::string actor;           // the agency code (or the hub's) that acted
  std::string recipient_code;  // the delivery's recipient; empty for the package as a whole
  std::string package_sha256;  // lowercase hex of the package bytes
  Instant recorded_at;
  std::string previous_hash;  // lowercase hex
  std::string entry_hash;     // lowercase hex of SHA-256(canonical_encoding())
};

// "truc-evidence-entry/1\n" followed by each field as <decimal byte count>:<bytes>\n, in the
// order seq, kind, message_id, actor, recipient_code, package_sha256, recorded_at (ISO 8601 UTC
// with milliseconds), previous_hash. Lengths make the encoding unambiguous whatever the bytes.
std::string canonical_encoding(const Entry& entry);
// Lowercase hex SHA-256 of canonical_encoding(entry).
std::string compute_entry_hash(const Entry& entry);

}  // namespace truc::evidence
