#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "truc/testing/hub.hpp"

namespace truc::testing {

// The answer's body as a JSON object; a failed expectation (and an empty object) when it is not
// one.
inline boost::json::object json_object_of(const HttpResult& result) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(result.body, error);
  EXPECT_FALSE(error) << result.status << " " << result.body << " " << result.error;
  return value.is_object() ? value.as_object() : boost::json::object{};
}

}  // namespace truc::testing
