#include "truc/edxml/model.hpp"

#include <gtest/gtest.h>

namespace truc::edxml {
namespace {

TEST(Model, StatusCodesAreTwoDigitStringsOfTheDocumentedValues) {
  EXPECT_EQ(parse_status_code("03"), StatusCode::accepted);
  EXPECT_EQ(parse_status_code("16"), StatusCode::refused);
  EXPECT_EQ(format_status_code(StatusCode::arrived), "01");
  EXPECT_EQ(status_code_name(StatusCode::recall_request), "recall_request");
  EXPECT_FALSE(parse_status_code("3"));
  EXPECT_FALSE(parse_status_code("07"));
  EXPECT_FALSE(parse_status_code("14"));
}

TEST(Model, DatesAndTimesUseTheStandardsFormats) {
  auto date = parse_date("2024/02/29");
  ASSERT_TRUE(date);
  EXPECT_EQ(format_date(*date), "2024/02/29");
  EXPECT_FALSE(parse_date("2023/02/29"));
  EXPECT_FALSE(parse_date("2024-02-29"));
  auto time = parse_local_date_time("2024/03/15 09:30:05");
  ASSERT_TRUE(time);
  EXPECT_EQ(format_local_date_time(*time), "2024/03/15 09:30:05");
  EXPECT_FALSE(parse_local_date_time("2024/03/15 24:00:00"));
}

TEST(Model, CodesOutsideTheDocumentedRangesAreRejected) {
  EXPECT_EQ(parse_priority("4"), Priority::timed_express);
  EXPECT_FALSE(parse_priority("5"));
  EXPECT_EQ(parse_business_doc_type("1"), BusinessDocType::recall);
  EXPECT_FALSE(parse_business_doc_type("-1"));
  EXPECT_EQ(parse_steering_type("2"), SteeringType::directive_report);
}

TEST(Model, AgencyCodesFollowTheNationalForm) {
  EXPECT_TRUE(is_agency_code("000.00.00.G22"));
  EXPECT_TRUE(is_agency_code("002.00.20.H13"));
  EXPECT_FALSE(is_agency_code("000.00.00.g22"));
  EXPECT_FALSE(is_agency_code("vpcp.edoc"));
  EXPECT_FALSE(is_agency_code("000.00.00.G2"));
}

}  // namespace
}  // namespace truc::edxml
