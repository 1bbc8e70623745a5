#pragma once

// The agencies the office serves, their accounts and sessions: creating them, signing in with
// lock-out after repeated failures, and finding the account behind a session cookie. Every change
// is written to the audit trail in the same transaction. Times (expiry, lock-out) are the
// database's, so that every node of the office agrees on them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truc/common/error.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

enum class Role { clerk, leader, deputy, head, specialist, admin };

// "clerk", "leader", ...: the names the database, the API and the CLI use.
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

struct Account {
  std::int64_t user_id = 0;
  std::int64_t agency_id = 0;
  std::string agency_code;  // the national code, e.g. 000.00.04.H57
  std::string agency_name;
  std::optional<std::int64_t> department_id;
  std::string department;  // its name; empty without one
  std::string username;
  std::string full_name;
  Role role = Role::specialist;
};

struct Agency {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

// An agency's certificate and key files: its client certificate towards the hub and the signer
// of what it sends. Checked to belong together by the caller (truc-office admin).
struct HubCredentials {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

struct NewUser {
  std::string username;   // 3 to 64 of a-z 0-9 . _ -
  std::string full_name;  // 1 to 50 characters
  Role role = Role::specialist;
  std::string password;    // checked against check_password_rules
  std::string department;  // created in the agency when new; empty: none
};

struct UserSummary {
  std::string username;
  std::string full_name;
  Role role = Role::specialist;
  std::string department;
  bool active = true;
  bool locked = false;
};

// What an agency admin changes in an account; the user name stays.
struct UserChange {
  std::string full_name;
  Role role = Role::specialist;
  std::string department;  // created in the agency when new; empty: none
  bool active = true;      // false signs the user out and keeps them out
};

struct SignInPolicy {
  std::uint32_t max_failed_attempts = 5;
  std::chrono::minutes lockout{15};
  std::chrono::minutes idle_timeout{30};
  std::chrono::hours lifetime{12};
};

struct SignedIn {
  Account account;
  std::string session_token;  // for the cookie; only its SHA-256 is stored
  std::string csrf_token;
  std::chrono::seconds lifetime{0};  // the cookie's Max-Age
};

struct Session {
  Account account;
  std::string csrf_token;
};

// Who did something, for the audit trail: an account, or the operator at the command line.
struct Actor {
  std::optional<std::int64_t> user_id;
  std::string remote_address;  // empty at the command line
};

class Accounts {
 public:
  Accounts(store::Pool& database, SignInPolicy policy);

  // A new agency with its catalogues copied from the seed (Decree 30 Appendix III); without
  // credentials it exchanges nothing through the hub. Errors: field.invalid (code or name),
  // agency.exists.
  Result<Agency> create_agency(const std::string& code, const std::string& name,
                               const std::optional<HubCredentials>& credentials,
                               const Actor& actor);
  Result<Agency> agency(const std::string& code);  // agency.not_found

  // Errors: field.invalid, password.too_short, password.too_long, user.exists.
  Result<UserSummary> create_user(std::int64_t agency_id, const NewUser& user, const Actor& actor);
  Result<std::vector<UserSummary>> users(std::int64_t agency_id);
  Result<UserSummary> user(std::int64_t agency_id, const std::string& username);  // user.not_found
  // Errors: field.invalid, user.not_found, user.self_change (an admin deactivating themselves or
  // changing their own role).
  Result<UserSummary> change_user(std::int64_t agency_id, const std::string& username,
                                  const UserChange& change, const Actor& actor);
  // Clears a lock-out and the failed attempts. Errors: user.not_found.
  Result<UserSummary> unlock_user(std::int64_t agency_id, const std::string& username,
                                  const Actor& actor);
  // A new password set by the admin, which also clears a lock-out and ends the user's sessions.
  // Errors: password.too_short, password.too_long, user.not_found.
  Result<UserSummary> set_password(std::int64_t agency_id, const std::string& username,
                                   const std::string& password, const Actor& actor);

  // Errors: auth.invalid_credentials (an unknown user, an inactive one and a wrong password
  // answer alike), auth.account_locked (detail: seconds until it unlocks; the attempt that
  // reaches max_failed_attempts locks the account and gets this answer too).
  Result<SignedIn> sign_in(const std::string& username, const std::string& password,
                           const std::string& remote_address);
  // The session behind a cookie's token, renewing its idle time. auth.session_missing when the
  // token is unknown, expired, idle too long, or its account was deactivated.
  Result<Session> session(std::string_view token);
  Status sign_out(std::string_view token, const Actor& actor);

 private:
  store::Pool& database_;
  SignInPolicy policy_;
};

}  // namespace truc::office
