#pragma once

// The seal of a batch of evidence entries (docs/evidence.md, "Batches"): the hub's key signs a
// statement naming the batch's range and the hash of its last entry, which through the chain
// commits to every entry of the batch and before it. The timestamp is taken over the signature.

#include <cstdint>
#include <string>
#include <string_view>

#include "truc/common/error.hpp"
#include "truc/security/certificate.hpp"

namespace truc::evidence {

// "truc-evidence-batch/1\n" then first_seq, last_seq and last_entry_hash, each as
// <decimal byte count>:<bytes>\n (as an entry's encoding).
std::string batch_statement(std::int64_t first_seq, std::int64_t last_seq,
                            std::string_view last_entry_hash);

// The raw signature of `statement` with SHA-256 (RSA PKCS#1 v1.5 or ECDSA, by the key's type).
// Error: evidence.seal_failed.
Result<std::string> sign_statement(const security::PrivateKey& key, std::string_view statement);
// Error: evidence.seal_invalid when the signature is not the certificate's over the statement.
Status verify_statement(const security::Certificate& signer, std::string_view statement,
                        std::string_view signature);

// What the time-stamping authority is asked to stamp: SHA-256 of the raw seal signature.
std::string timestamp_imprint(std::string_view seal_signature);

}  // namespace truc::evidence
