#include "truc/hub/dispatcher.hpp"

#include <gtest/gtest.h>

namespace truc::hub {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryDelay, DoublesFromTheFirstRetryUpToTheCapWithJitterBelowIt) {
  DispatchSettings settings{.first_retry = seconds(10), .max_retry = seconds(100)};
  EXPECT_EQ(retry_delay(settings, 1, 1.0), milliseconds(10000));
  EXPECT_EQ(retry_delay(settings, 2, 1.0), milliseconds(20000));
  EXPECT_EQ(retry_delay(settings, 4, 1.0), milliseconds(80000));
  EXPECT_EQ(retry_delay(settings, 5, 1.0), milliseconds(100000));
  EXPECT_EQ(retry_delay(settings, 30, 1.0), milliseconds(100000));
  EXPECT_EQ(retry_delay(settings, 1, 0.0), milliseconds(5000));
  EXPECT_EQ(retry_delay(settings, 2, 0.5), milliseconds(15000));
}

}  // namespace
}  // namespace truc::hub
