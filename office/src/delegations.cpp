#include "truc/office/delegations.hpp"

#include <chrono>
#include <regex>
#include <utility>

#include "records.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

// Delegations run over days in Vietnam, whatever the database server's time zone.
constexpr const char* kToday = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";
constexpr int kLongestDays = 366;

bool calendar_day(const std::string& text) {
  static const std::regex kDate("([0-9]{4})-([0-9]{2})-([0-9]{2})");
  std::smatch parts;
  if (!std::regex_match(text, parts, kDate)) return false;
  const int year = std::stoi(parts[1]);
  return year >= 2000 && year <= 2200 &&
         std::chrono::year_month_day(std::chrono::year(year),
                                     std::chrono::month(static_cast<unsigned>(std::stoi(parts[2]))),
                                     std::chrono::day(static_cast<unsigned>(std::stoi(parts[3]))))
             .ok();
}

std::string person_columns(const std::string& user, const std::string& department) {
  return user + ".username, " + user + ".full_name, coalesce(" + department + ".name, '')";
}

Person person_at(const store::Rows& rows, std::size_t row, std::size_t first) {
  return Person{rows.text(row, first), rows.text(row, first + 1), rows.text(row, first + 2)};
}

std::string delegation_query(const std::string& condition) {
  return "SELECT g.id, " + person_columns("l", "ld") + ", " + person_columns("u", "ud") +
         ", u.role, g.starts_on::text, g.ends_on::text, g.reason, "
         "CASE WHEN g.ended_at IS NOT NULL THEN 'ended' WHEN g.ends_on < " +
         kToday + " THEN 'expired' WHEN g.starts_on > " + kToday +
         " THEN 'scheduled' ELSE 'active' END, "
         "to_char(g.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " +
         person_columns("e", "ed") +
         ", e.id IS NOT NULL FROM delegations g "
         "JOIN users l ON l.id = g.delegator LEFT JOIN departments ld ON ld.id = l.department_id "
         "JOIN users u ON u.id = g.delegate LEFT JOIN departments ud ON ud.id = u.department_id "
         "LEFT JOIN users e ON e.id = g.ended_by "
         "LEFT JOIN departments ed ON ed.id = e.department_id WHERE " +
         condition;
}

std::vector<Delegation> delegations_at(const store::Rows& rows) {
  std::vector<Delegation> delegations;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    Delegation delegation;
    delegation.id = rows.integer(row, 0);
    delegation.delegator = person_at(rows, row, 1);
    delegation.delegate = person_at(rows, row, 4);
    delegation.delegate_role = rows.text(row, 7);
    delegation.starts_on = rows.text(row, 8);
    delegation.ends_on = rows.text(row, 9);
    delegation.reason = rows.text(row, 10);
    delegation.state = rows.text(row, 11);
    delegation.ended_at = rows.optional_text(row, 12);
    if (rows.boolean(row, 16)) delegation.ended_by = person_at(rows, row, 13);
    delegations.push_back(std::move(delegation));
  }
  return delegations;
}

Result<Delegation> read_one(store::Connection& connection, std::int64_t agency_id,
                            const std::string& id) {
  auto rows = connection.execute(delegation_query("g.agency_id = $1 AND g.id = $2"),
                                 {std::to_string(agency_id), id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) {
    return Error{"delegation.not_found", "the agency has no such delegation", id};
  }
  return std::move(delegations_at(*rows).front());
}

}  // namespace

Delegations::Delegations(store::Pool& database) : database_(database) {}

Result<Delegation> Delegations::create(const Account& leader, const NewDelegation& delegation,
                                       const Actor& actor) {
  if (!calendar_day(delegation.starts_on)) {
    return invalid_field("starts_on", "a day of the calendar such as 2026-12-31");
  }
  if (!calendar_day(delegation.ends_on)) {
    return invalid_field("ends_on", "a day of the calendar such as 2026-12-31");
  }
  TRUC_TRY(check_text("reason", delegation.reason, 500, 1, Lines::several));
  if (delegation.delegate == leader.username) {
    return Error{"delegation.self", "a leader cannot delegate to themselves", leader.username};
  }
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  std::string id;
  {
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto period = transaction->execute(
        "SELECT $1::date < " + std::string(kToday) +
            ", $2::date < $1::date, $2::date - $1::date > $3::integer",
        {delegation.starts_on, delegation.ends_on, std::to_string(kLongestDays)});
    if (!period) return std::move(period).error();
    if (period->boolean(0, 0)) return invalid_field("starts_on", "today or later");
    if (period->boolean(0, 1)) {
      return Error{"delegation.ends_before_start", "the last day comes before the first",
                   delegation.starts_on + " > " + delegation.ends_on};
    }
    if (period->boolean(0, 2)) {
      return invalid_field("ends_on",
                           "at most " + std::to_string(kLongestDays) + " days after starts_on");
    }
    // Locking the delegate's row serializes concurrent delegations to the same person, so that
    // the overlap check below holds when the insert commits.
    auto delegate = transaction->execute(
        "SELECT id FROM users WHERE agency_id = $1 AND username = $2 AND active "
        "AND role <> 'admin' FOR UPDATE",
        {std::to_string(leader.agency_id), delegation.delegate});
    if (!delegate) return std::move(delegate).error();
    if (delegate->empty()) {
      return Error{"user.not_found", "no active account of the agency has this name",
                   delegation.delegate};
    }
    auto overlapping = transaction->execute(
        "SELECT id FROM delegations WHERE delegate = $1 AND ended_at IS NULL "
        "AND starts_on <= $3::date AND ends_on >= $2::date ORDER BY id LIMIT 1",
        {delegate->text(0, 0), delegation.starts_on, delegation.ends_on});
    if (!overlapping) return std::move(overlapping).error();
    if (!overlapping->empty()) {
      return Error{"delegation.overlaps", "the person already holds a delegation on these days",
                   overlapping->text(0, 0)};
    }
    auto created = transaction->execute(
        "INSERT INTO delegations (agency_id, delegator, delegate, starts_on, ends_on, reason) "
        "VALUES ($1, $2, $3, $4::date, $5::date, $6) RETURNING id",
        {std::to_string(leader.agency_id), std::to_string(leader.user_id), delegate->text(0, 0),
         delegation.starts_on, delegation.ends_on, delegation.reason});
    if (!created) return std::move(created).error();
    id = created->text(0, 0);
    TRUC_TRY(audit(*transaction, leader.agency_id, actor, "delegation.created",
                   id + " to " + delegation.delegate + " " + delegation.starts_on + ".." +
                       delegation.ends_on));
    TRUC_TRY(transaction->commit());
  }
  return read_one(**connection, leader.agency_id, id);
}

Result<std::vector<Delegation>> Delegations::list(std::int64_t agency_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows = (*connection)
                  ->execute(delegation_query("g.agency_id = $1") +
                                " ORDER BY g.starts_on DESC, g.id DESC LIMIT 200",
                            {std::to_string(agency_id)});
  if (!rows) return std::move(rows).error();
  return delegations_at(*rows);
}

Result<Delegation> Delegations::end(std::int64_t agency_id, std::int64_t id, const Actor& actor) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  {
    auto transaction = store::Transaction::begin(**connection);
    if (!transaction) return std::move(transaction).error();
    auto found =
        transaction->execute("SELECT ended_at IS NOT NULL OR ends_on < " + std::string(kToday) +
                                 " FROM delegations WHERE agency_id = $1 AND id = $2 FOR UPDATE",
                             {std::to_string(agency_id), std::to_string(id)});
    if (!found) return std::move(found).error();
    if (found->empty()) {
      return Error{"delegation.not_found", "the agency has no such delegation", std::to_string(id)};
    }
    if (found->boolean(0, 0)) {
      return Error{"delegation.already_ended", "the delegation is over already",
                   std::to_string(id)};
    }
    auto ended = transaction->execute(
        "UPDATE delegations SET ended_at = now(), ended_by = $3 WHERE agency_id = $1 AND id = $2",
        {std::to_string(agency_id), std::to_string(id),
         actor.user_id ? store::Parameter(std::to_string(*actor.user_id)) : std::nullopt});
    if (!ended) return std::move(ended).error();
    TRUC_TRY(audit(*transaction, agency_id, actor, "delegation.ended", std::to_string(id)));
    TRUC_TRY(transaction->commit());
  }
  return read_one(**connection, agency_id, std::to_string(id));
}

Result<std::vector<Person>> Delegations::candidates(std::int64_t agency_id, std::int64_t user_id) {
  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto rows =
      (*connection)
          ->execute("SELECT " + person_columns("u", "d") +
                        " FROM users u LEFT JOIN departments d ON d.id = u.department_id "
                        "WHERE u.agency_id = $1 AND u.id <> $2 AND u.active AND u.role <> 'admin' "
                        "ORDER BY CASE u.role WHEN 'deputy' THEN 0 WHEN 'head' THEN 1 ELSE 2 END, "
                        "u.full_name LIMIT 500",
                    {std::to_string(agency_id), std::to_string(user_id)});
  if (!rows) return std::move(rows).error();
  std::vector<Person> people;
  for (std::size_t row = 0; row < rows->size(); ++row) people.push_back(person_at(*rows, row, 0));
  return people;
}

}  // namespace truc::office
