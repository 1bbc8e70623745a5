#pragma once

// Account passwords, hashed with argon2id (libsodium's crypto_pwhash_str): salted, with the cost
// parameters inside the hash, so that raising them later leaves existing hashes verifiable.

#include <string>
#include <string_view>

#include "truc/common/error.hpp"

namespace truc::office {

// The rules a new password must meet. Error code: password.too_short (fewer than 10 characters),
// password.too_long (more than 1024 bytes, so that hashing stays bounded), password.invalid (not
// UTF-8).
Status check_password_rules(std::string_view password);

// An argon2id hash in the PHC string format ("$argon2id$v=19$m=...").
// Error code: password.hash_failed (the memory could not be had).
Result<std::string> hash_password(std::string_view password);

// Whether `password` matches `hash`. A hash that is not an argon2id string never matches.
bool password_matches(std::string_view password, const std::string& hash);

// Whether `hash` was made with weaker parameters than hash_password() uses now, so that it
// should be replaced at the next successful sign-in.
bool password_needs_rehash(const std::string& hash);

}  // namespace truc::office
