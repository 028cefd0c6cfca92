// FIRMNET_CHECK: internal invariants. A failed check is a firmnet bug, never a user error: it
// prints file:line and the message to stderr and aborts. User errors use Status (status.h).
#pragma once

#include <sstream>
#include <string>

namespace firmnet::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* expr);
  [[noreturn]] ~CheckFailure();
  template <typename T>
  CheckFailure& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

}  // namespace firmnet::internal

#define FIRMNET_CHECK(cond) \
  if (cond) {               \
  } else                    \
    ::firmnet::internal::CheckFailure(__FILE__, __LINE__, #cond)
