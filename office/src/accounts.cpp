#include "truc/office/accounts.hpp"

#include <array>
#include <regex>
#include <utility>

#include "records.hpp"
#include "truc/common/digest.hpp"
#include "truc/common/log.hpp"
#include "truc/common/random.hpp"
#include "truc/office/passwords.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{
    {Role::clerk, "clerk"},
    {Role::leader, "leader"},
    {Role::deputy, "deputy"},
    {Role::head, "head"},
    {Role::specialist, "specialist"},
    {Role::admin, "admin"},
}};

// The columns of an Account, in the order account_at() reads them, for a query that joins
// users u, agencies a and (left) departments d.
constexpr const char* kAccountColumns =
    "u.id, a.id, a.code, a.name, u.department_id, coalesce(d.name, ''), u.username, u.full_name, "
    "u.role";
constexpr std::size_t kAccountColumnCount = 9;

Account account_at(const store::Rows& rows, std::size_t row) {
  Account account;
  account.user_id = rows.integer(row, 0);
  account.agency_id = rows.integer(row, 1);
  account.agency_code = rows.text(row, 2);
  account.agency_name = rows.text(row, 3);
  if (!rows.is_null(row, 4)) account.department_id = rows.integer(row, 4);
  account.department = rows.text(row, 5);
  account.username = rows.text(row, 6);
  account.full_name = rows.text(row, 7);
  // The database's CHECK allows only the names of kRoleNames.
  account.role = role_from_name(rows.text(row, 8)).value_or(Role::specialist);
  return account;
}

std::string seconds_text(std::chrono::seconds seconds) { return std::to_string(seconds.count()); }

// A stored argon2id hash of no password anyone has: verifying against it when the account is
// unknown costs what a real verification costs, so the answer's timing tells nothing.
const std::string& decoy_hash() {
  static const std::string hash = hash_password("decoy password, never an account's").value();
  return hash;
}

Error invalid_credentials() {
  return Error{"auth.invalid_credentials", "the user name or the password is wrong", ""};
}

Error account_locked(std::int64_t seconds_left) {
  return Error{"auth.account_locked", "too many failed sign-ins; the account is locked for a while",
               std::to_string(seconds_left)};
}

// The department of this name in the agency, created when new; none for an empty name.
Result<store::Parameter> department_named(store::Transaction& transaction, std::int64_t agency_id,
                                          const std::string& name) {
  if (name.empty()) return store::Parameter();
  auto department = transaction.execute(
      "INSERT INTO departments (agency_id, name) VALUES ($1, $2) "
      "ON CONFLICT (agency_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
      {std::to_string(agency_id), name});
  if (!department) return std::move(department).error();
  return store::Parameter(department->text(0, 0));
}

constexpr const char* kUserSummarySelect =
    "SELECT u.username, u.full_name, u.role, coalesce(d.name, ''), u.active, "
    "coalesce(u.locked_until > now(), false) FROM users u "
    "LEFT JOIN departments d ON d.id = u.department_id WHERE u.agency_id = $1 ";

std::vector<UserSummary> user_summaries(const store::Rows& rows) {
  std::vector<UserSummary> users;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    users.push_back({rows.text(row, 0), rows.text(row, 1),
                     role_from_name(rows.text(row, 2)).value_or(Role::specialist),
                     rows.text(row, 3), rows.boolean(row, 4), rows.boolean(row, 5)});
  }
  return users;
}

Error user_not_found(const std::string& username) {
  return Error{"user.not_found", "the agency has no user of this name", username};
}

// Locks a user of the agency for a change by its admin; its id.
Result<std::int64_t> lock_user(store::Transaction& transaction, std::int64_t agency_id,
                               const std::string& username) {
  auto found =
      transaction.execute("SELECT id FROM users WHERE agency_id = $1 AND username = $2 FOR UPDATE",
                          {std::to_string(agency_id), username});
  if (!found) return std::move(found).error();
  if (found->empty()) return user_not_found(username);
  return found->integer(0, 0);
}

Error session_missing() {
  return Error{"auth.session_missing", "not signed in, or the session has ended", ""};
}

}  // namespace

std::string_view role_name(Role role) {
  for (auto [known, name] : kRoleNames) {
    if (known == role) return name;
  }
  return "specialist";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (auto [role, known] : kRoleNames) {
    if (known == name) return role;
  }
  return std::nullopt;
}

Accounts::Accounts(store::Pool& database, SignInPolicy policy)
    : database_(database), policy_(policy) {}

Result<Agency> Accounts::create_agency(const std::string& code, const std::string& name,
                                       const std::optional<HubCredentials>& credentials,
                                       const Actor& actor) {
  static const std::regex kCode("[0-9A-Z]{1,3}(\\.[0-9A-Z]{1,3}){3}");
  if (!std::regex_match(code, kCode)) {
    return invalid_field("code", "an agency code such as 000.00.04.H57");
  }
  TRUC_TRY(check_text("name", name, 200));
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  store::Parameter certificate_file;
  store::Parameter key_file;
  if (credentials) {
    certificate_file = std::filesystem::absolute(credentials->certificate).string();
    key_file = std::filesystem::absolute(credentials->private_key).string();
  }
  auto inserted = transaction->execute(
      "INSERT INTO agencies (code, name, hub_certificate_file, hub_private_key_file) "
      "VALUES ($1, $2, $3, $4) RETURNING id",
      {code, name, certificate_file, key_file});
  if (!inserted) {
    if (inserted.error().code == "store.unique_violation") {
      return Error{"agency.exists", "an agency with this code exists", code};
    }
    return std::move(inserted).error();
  }
  Agency agency{inserted->integer(0, 0), code, name};
  const std::string id = std::to_string(agency.id);
  for (const char* seed : {
           "INSERT INTO document_types (agency_id, abbreviation, name) SELECT $1, abbreviation, "
           "name FROM catalogue_seed WHERE catalogue = 'document_type' ORDER BY ordinal",
           "INSERT INTO urgency_levels (agency_id, rank, name) SELECT $1, ordinal, name "
           "FROM catalogue_seed WHERE catalogue = 'urgency'",
           "INSERT INTO secrecy_levels (agency_id, rank, name) SELECT $1, ordinal, name "
           "FROM catalogue_seed WHERE catalogue = 'secrecy'",
           "INSERT INTO fields (agency_id, name) SELECT $1, name FROM catalogue_seed "
           "WHERE catalogue = 'field' ORDER BY ordinal",
           // This year's registers; an admin adds next year's and any further ones.
           "INSERT INTO registers (agency_id, direction, year, name) SELECT $1, direction, "
           "extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::integer, name FROM (VALUES "
           "('incoming', 'Sổ văn bản đến'), "
           "('outgoing', 'Sổ văn bản đi')) AS seed (direction, name)",
       }) {
    auto seeded = transaction->execute(seed, {id});
    if (!seeded) return std::move(seeded).error();
  }
  TRUC_TRY(audit(*transaction, agency.id, actor, "agency.created", code));
  TRUC_TRY(transaction->commit());
  return agency;
}

Result<Agency> Accounts::agency(const std::string& code) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto found = (*connection)->execute("SELECT id, name FROM agencies WHERE code = $1", {code});
  if (!found) return std::move(found).error();
  if (found->empty()) return Error{"agency.not_found", "no agency has this code", code};
  return Agency{found->integer(0, 0), code, found->text(0, 1)};
}

Result<UserSummary> Accounts::create_user(std::int64_t agency_id, const NewUser& user,
                                          const Actor& actor) {
  static const std::regex kUsername("[a-z0-9._-]{3,64}");
  if (!std::regex_match(user.username, kUsername)) {
    return invalid_field("username", "3 to 64 of a-z, 0-9, '.', '_' and '-'");
  }
  TRUC_TRY(check_text("full_name", user.full_name, 50));
  if (!user.department.empty()) TRUC_TRY(check_text("department", user.department, 200));
  TRUC_TRY(check_password_rules(user.password));
  // Hashing takes a tenth of a second: before the transaction, not holding its locks.
  auto hash = hash_password(user.password);
  if (!hash) return std::move(hash).error();

  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto department_id = department_named(*transaction, agency_id, user.department);
  if (!department_id) return std::move(department_id).error();
  auto inserted = transaction->execute(
      "INSERT INTO users (agency_id, department_id, username, full_name, role, password_hash) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {std::to_string(agency_id), *department_id, user.username, user.full_name,
       std::string(role_name(user.role)), *hash});
  if (!inserted) {
    if (inserted.error().code == "store.unique_violation") {
      return Error{"user.exists", "this user name is taken", user.username};
    }
    if (inserted.error().code == "store.foreign_key_violation") {
      return Error{"agency.not_found", "no such agency", std::to_string(agency_id)};
    }
    return std::move(inserted).error();
  }
  TRUC_TRY(audit(*transaction, agency_id, actor, "user.created", user.username));
  TRUC_TRY(transaction->commit());
  return UserSummary{user.username, user.full_name, user.role, user.department, true, false};
}

Result<std::vector<UserSummary>> Accounts::users(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(std::string(kUserSummarySelect) + "ORDER BY u.username",
                            {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  return user_summaries(*rows);
}

Result<UserSummary> Accounts::user(std::int64_t agency_id, const std::string& username) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(std::string(kUserSummarySelect) + "AND u.username = $2",
                            {std::to_string(agency_id), username});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return user_not_found(username);
  return user_summaries(*rows).front();
}

Result<UserSummary> Accounts::change_user(std::int64_t agency_id, const std::string& username,
                                          const UserChange& change, const Actor& actor) {
  TRUC_TRY(check_text("full_name", change.full_name, 50));
  if (!change.department.empty()) TRUC_TRY(check_text("department", change.department, 200));
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto user_id = lock_user(*transaction, agency_id, username);
    if (!user_id) return std::move(user_id).error();
    if (actor.user_id == *user_id) {
      // An admin locking themselves out would leave the agency without one.
      auto own =
          transaction->execute("SELECT role FROM users WHERE id = $1", {std::to_string(*user_id)});
      if (!own) return std::move(own).error();
      if (!change.active || own->text(0, 0) != role_name(change.role)) {
        return Error{"user.self_change",
                     "an admin cannot deactivate themselves or change their "
                     "own role",
                     username};
      }
    }
    auto department_id = department_named(*transaction, agency_id, change.department);
    if (!department_id) return std::move(department_id).error();
    auto changed = transaction->execute(
        "UPDATE users SET full_name = $2, role = $3, department_id = $4, active = $5 "
        "WHERE id = $1",
        {std::to_string(*user_id), change.full_name, std::string(role_name(change.role)),
         *department_id, change.active ? "true" : "false"});
    if (!changed) return std::move(changed).error();
    if (!change.active) {
      auto ended = transaction->execute("DELETE FROM sessions WHERE user_id = $1",
                                        {std::to_string(*user_id)});
      if (!ended) return std::move(ended).error();
    }
    TRUC_TRY(audit(*transaction, agency_id, actor,
                   change.active ? "user.changed" : "user.deactivated", username));
    TRUC_TRY(transaction->commit());
  }
  return user(agency_id, username);
}

Result<UserSummary> Accounts::unlock_user(std::int64_t agency_id, const std::string& username,
                                          const Actor& actor) {
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto user_id = lock_user(*transaction, agency_id, username);
    if (!user_id) return std::move(user_id).error();
    auto unlocked = transaction->execute(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1",
        {std::to_string(*user_id)});
    if (!unlocked) return std::move(unlocked).error();
    TRUC_TRY(audit(*transaction, agency_id, actor, "user.unlocked", username));
    TRUC_TRY(transaction->commit());
  }
  return user(agency_id, username);
}

Result<UserSummary> Accounts::set_password(std::int64_t agency_id, const std::string& username,
                                           const std::string& password, const Actor& actor) {
  TRUC_TRY(check_password_rules(password));
  auto hash = hash_password(password);
  if (!hash) return std::move(hash).error();
  {
    auto connection = database_.acquire();
    if (!connection) return std::move(connection).error();
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto user_id = lock_user(*transaction, agency_id, username);
    if (!user_id) return std::move(user_id).error();
    auto changed = transaction->execute(
        "UPDATE users SET password_hash = $2, failed_attempts = 0, locked_until = NULL "
        "WHERE id = $1",
        {std::to_string(*user_id), *hash});
    if (!changed) return std::move(changed).error();
    // Whoever knew the old password is signed out with it.
    auto ended =
        transaction->execute("DELETE FROM sessions WHERE user_id = $1", {std::to_string(*user_id)});
    if (!ended) return std::move(ended).error();
    TRUC_TRY(audit(*transaction, agency_id, actor, "user.password_set", username));
    TRUC_TRY(transaction->commit());
  }
  return user(agency_id, username);
}

Result<SignedIn> Accounts::sign_in(const std::string& username, const std::string& password,
                                   const std::string& remote_address) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto found =
      (*connection)
          ->execute(
              "SELECT id, agency_id, password_hash, active, coalesce(locked_until > now(), false), "
              "coalesce(ceil(extract(epoch FROM locked_until - now())), 0)::bigint "
              "FROM users WHERE username = $1",
              {username});
  if (!found) return std::move(found).error();
  if (found->empty() || !found->boolean(0, 3)) {
    (void)password_matches(password, decoy_hash());
    log_event("info", "sign_in_refused", {{"reason", "unknown or inactive user"}});
    return invalid_credentials();
  }
  const std::string user_id = found->text(0, 0);
  const std::int64_t agency_id = found->integer(0, 1);
  const Actor actor{found->integer(0, 0), remote_address};
  // A locked account is not even checked: guessing goes no further while it is locked.
  if (found->boolean(0, 4)) return account_locked(found->integer(0, 5));
  const std::string stored_hash = found->text(0, 2);

  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  if (!password_matches(password, stored_hash)) {
    auto counted = transaction->execute(
        "UPDATE users SET "
        "failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 "
        "ELSE failed_attempts + 1 END, "
        "locked_until = CASE WHEN failed_attempts + 1 >= $2 "
        "THEN now() + make_interval(secs => $3::double precision) ELSE locked_until END "
        "WHERE id = $1 RETURNING coalesce(locked_until > now(), false)",
        {user_id, std::to_string(policy_.max_failed_attempts), seconds_text(policy_.lockout)});
    if (!counted) return std::move(counted).error();
    const bool locked = counted->boolean(0, 0);
    TRUC_TRY(audit(*transaction, agency_id, actor, locked ? "account.locked" : "sign_in.failed",
                   username));
    TRUC_TRY(transaction->commit());
    if (locked) {
      log_event("warn", "account_locked", {{"username", username}});
      return account_locked(policy_.lockout.count() * 60);
    }
    return invalid_credentials();
  }

  // Unlocked still (a concurrent failure may have locked it meanwhile) and active.
  auto cleared = transaction->execute(
      "UPDATE users SET failed_attempts = 0 WHERE id = $1 AND active "
      "AND (locked_until IS NULL OR locked_until <= now())",
      {user_id});
  if (!cleared) return std::move(cleared).error();
  if (cleared->affected() == 0) return account_locked(policy_.lockout.count() * 60);
  if (password_needs_rehash(stored_hash)) {
    auto rehashed = hash_password(password);
    if (rehashed) {
      auto stored = transaction->execute("UPDATE users SET password_hash = $2 WHERE id = $1",
                                         {user_id, *rehashed});
      if (!stored) return std::move(stored).error();
    }
  }
  auto token = random_hex(32);
  if (!token) return std::move(token).error();
  auto csrf = random_hex(32);
  if (!csrf) return std::move(csrf).error();
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(policy_.lifetime);
  auto expired = transaction->execute(
      "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= now()", {user_id});
  if (!expired) return std::move(expired).error();
  auto opened = transaction->execute(
      "INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at) "
      "VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision))",
      {sha256_hex(*token), user_id, *csrf, seconds_text(lifetime)});
  if (!opened) return std::move(opened).error();
  auto account =
      transaction->execute(std::string("SELECT ") + kAccountColumns +
                               " FROM users u JOIN agencies a ON a.id = u.agency_id "
                               "LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1",
                           {user_id});
  if (!account) return std::move(account).error();
  TRUC_TRY(audit(*transaction, agency_id, actor, "sign_in", username));
  TRUC_TRY(transaction->commit());
  return SignedIn{account_at(*account, 0), std::move(*token), std::move(*csrf), lifetime};
}

Result<Session> Accounts::session(std::string_view token) {
  if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != token.npos) {
    return session_missing();
  }
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto found =
      (*connection)
          ->execute(std::string(
                        "UPDATE sessions s SET last_seen_at = now() "
                        "FROM users u JOIN agencies a ON a.id = u.agency_id "
                        "LEFT JOIN departments d ON d.id = u.department_id "
                        "WHERE s.token_sha256 = $1 AND s.user_id = u.id AND u.active "
                        "AND s.expires_at > now() "
                        "AND s.last_seen_at > now() - make_interval(secs => $2::double precision) "
                        "RETURNING ") +
                        kAccountColumns + ", s.csrf_token",
                    {sha256_hex(token), seconds_text(policy_.idle_timeout)});
  if (!found) return std::move(found).error();
  if (found->empty()) return session_missing();
  return Session{account_at(*found, 0), found->text(0, kAccountColumnCount)};
}

Status Accounts::sign_out(std::string_view token, const Actor& actor) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto ended = transaction->execute(
      "DELETE FROM sessions s USING users u WHERE s.token_sha256 = $1 AND u.id = s.user_id "
      "RETURNING u.agency_id, u.username",
      {sha256_hex(token)});
  if (!ended) return std::move(ended).error();
  if (ended->empty()) return session_missing();
  TRUC_TRY(audit(*transaction, ended->integer(0, 0), actor, "sign_out", ended->text(0, 1)));
  return transaction->commit();
}

}  // namespace truc::office
