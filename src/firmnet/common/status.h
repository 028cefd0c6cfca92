// Status and StatusOr: how every library function reports a user error.
//
// Library code never exits and never throws across a public API. A user error carries a message
// that already names the file, node/layer, op or YAML key and what to do; callers may prepend
// context with Status::WithContext. Internal invariants use FIRMNET_CHECK (common/check.h).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "firmnet/common/check.h"

namespace firmnet {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // bad user input: model file, config, input data, CLI arguments
  kNotFound,           // a file, layer or key that does not exist
  kUnimplemented,      // a valid request that this build or backend cannot do
  kInternal,           // a bug in firmnet
  kIoError,            // the operating system refused a read or write
  kCancelled,          // the caller (or a signal such as Ctrl-C) stopped the work
  kDeadlineExceeded,   // a time limit ran out (a tool's --timeout, a request's deadline)
  kResourceExhausted,  // a size, memory or queue limit was reached
  kUnavailable,        // a service or tool is not ready or not reachable; retrying may help
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message reads "<context>: <message>".
  Status WithContext(const std::string& context) const;
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status Unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status DeadlineExceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : value_(value) {}             // NOLINT(google-explicit-constructor)
  StatusOr(T&& value) : value_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    FIRMNET_CHECK(!status_.ok()) << "StatusOr built from an OK status without a value";
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    FIRMNET_CHECK(ok()) << status_.ToString();
    return *value_;
  }
  const T& value() const& {
    FIRMNET_CHECK(ok()) << status_.ToString();
    return *value_;
  }
  T&& value() && {
    FIRMNET_CHECK(ok()) << status_.ToString();
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace firmnet

#define FIRMNET_STATUS_CONCAT_INNER(a, b) a##b
#define FIRMNET_STATUS_CONCAT(a, b) FIRMNET_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define FIRMNET_RETURN_IF_ERROR(expr) \
  do {                                \
    ::firmnet::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)

// `FIRMNET_ASSIGN_OR_RETURN(auto x, F());` binds the value or returns the error.
#define FIRMNET_ASSIGN_OR_RETURN(lhs, expr) \
  FIRMNET_ASSIGN_OR_RETURN_IMPL(FIRMNET_STATUS_CONCAT(_statusor_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `tmp` is a name being declared and `lhs` a
// declaration or an lvalue ("auto x", "x"); neither can be put in parentheses.
#define FIRMNET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
