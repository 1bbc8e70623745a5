#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace truc {

// A failure an integrator or operator can act on. `code` is stable and documented in
// docs/errors.md (callers branch on it); `message` is a short sentence for people; `detail`
// says where (element path, line, file) when that helps.
struct Error {
  std::string code;
  std::string message;
  std::string detail;

  // "code: message (detail)", the form the CLI prints after "error: ".
  std::string to_string() const;
};

// Either a value or an Error. The project's one way to return a failure that is not a bug.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

struct Ok {};

// Result of an operation that produces nothing but can fail.
using Status = Result<Ok>;

inline Status ok_status() { return Ok{}; }

}  // namespace truc

// Propagates a failed Result/Status from the enclosing function, which must return a Result.
#define TRUC_TRY(expression)                                     \
  do {                                                           \
    if (auto truc_try_result_ = (expression); !truc_try_result_) \
      return std::move(truc_try_result_).error();                \
  } while (false)
