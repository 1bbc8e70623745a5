#pragma once

// Delegation of a leader's powers (ủy quyền; Quy chế 480/QĐ-UBND 2022, Điều 13.2.c: assigning and
// following up documents in the leader's stead): a leader gives another active account of the
// agency the leader role's powers for the days from starts_on to ends_on (days in Vietnam), with a
// reason. While it is in force the delegate's session carries it (Account::delegated) and the
// one authorization table grants the delegate every action of the leader's role but delegating
// (authorization.hpp, grant()); what the delegate does is audited with the leader it acts for. A
// leader of the agency may end a delegation early; nothing is ever deleted.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truc/common/error.hpp"
#include "truc/office/accounts.hpp"
#include "truc/office/assignments.hpp"

namespace truc::store {
class Pool;
}

namespace truc::office {

struct NewDelegation {
  std::string delegate;   // a user name of the agency
  std::string starts_on;  // yyyy-mm-dd, today (in Vietnam) or later
  std::string ends_on;    // yyyy-mm-dd, at most 366 days after starts_on
  std::string reason;     // 1 to 500 characters
};

struct Delegation {
  std::int64_t id = 0;
  Person delegator;
  Person delegate;
  std::string delegate_role;
  std::string starts_on;
  std::string ends_on;
  std::string reason;
  std::string state;  // scheduled, active, ended (early), expired
  std::optional<std::string> ended_at;
  std::optional<Person> ended_by;
};

class Delegations {
 public:
  explicit Delegations(store::Pool& database);

  // Errors: field.invalid (a date malformed or in the past, a period over 366 days, the reason),
  // user.not_found (no active account of the agency has the name), delegation.self,
  // delegation.ends_before_start, delegation.overlaps (the delegate already holds a delegation,
  // from anyone, for one of the days; detail: its id).
  Result<Delegation> create(const Account& leader, const NewDelegation& delegation,
                            const Actor& actor);
  // The agency's delegations, the latest first (at most 200).
  Result<std::vector<Delegation>> list(std::int64_t agency_id);
  // Errors: delegation.not_found, delegation.already_ended (ended early or its last day passed).
  Result<Delegation> end(std::int64_t agency_id, std::int64_t id, const Actor& actor);
  // Who may be given the powers: the agency's active accounts other than `user_id` and admins.
  Result<std::vector<Person>> candidates(std::int64_t agency_id, std::int64_t user_id);

 private:
  store::Pool& database_;
};

}  // namespace truc::office
