#include "firmnet/common/status.h"

#include <gtest/gtest.h>

#include <string>

namespace firmnet {
namespace {

TEST(StatusTest, CodeNames) {
  EXPECT_STREQ(StatusCodeName(StatusCode::kOk), "OK");
  EXPECT_STREQ(StatusCodeName(StatusCode::kNotFound), "not found");
  EXPECT_STREQ(StatusCodeName(StatusCode::kCancelled), "cancelled");
  EXPECT_STREQ(StatusCodeName(StatusCode::kDeadlineExceeded), "deadline exceeded");
  EXPECT_STREQ(StatusCodeName(StatusCode::kResourceExhausted), "resource exhausted");
  EXPECT_STREQ(StatusCodeName(StatusCode::kUnavailable), "unavailable");
}

TEST(StatusTest, ConstructorsSetTheCode) {
  EXPECT_EQ(Cancelled("x").code(), StatusCode::kCancelled);
  EXPECT_EQ(DeadlineExceeded("x").code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ResourceExhausted("x").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Unavailable("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(DeadlineExceeded("yosys ran too long").ToString(),
            "deadline exceeded: yosys ran too long");
  EXPECT_EQ(OkStatus().ToString(), "OK");
}

TEST(StatusTest, WithContextPrefixesAndKeepsTheCode) {
  const Status s = Cancelled("g++ was stopped").WithContext("csim");
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "csim: g++ was stopped");
  EXPECT_TRUE(OkStatus().WithContext("csim").ok());
  EXPECT_EQ(OkStatus().WithContext("csim").message(), "");
}

TEST(StatusTest, StatusOrCarriesAValueOrAnError) {
  StatusOr<std::string> v = std::string("value");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "value");
  StatusOr<std::string> e = Unavailable("the server is starting");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace firmnet
