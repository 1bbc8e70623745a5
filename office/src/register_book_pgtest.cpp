// The incoming register book against a real PostgreSQL, read back with poppler's tools as a
// reader of the PDF would: Vietnamese text with its diacritics in an embedded Liberation Serif,
// one row per registered document of the register in arrival order over as many pages as it
// takes, and typed errors, with no file left, for registers the agency cannot print.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "office_fixture.hpp"
#include "truc/office/register_book.hpp"

namespace truc::office {
namespace {

// What a command printed on its standard output (the paths given are the test's own).
std::string output_of(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  for (std::size_t read; (read = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    output.append(buffer, read);
  }
  EXPECT_EQ(pclose(pipe), 0) << command;
  return output;
}

// Every run of white space as one space: a cell's text wraps where the column ends.
std::string words(const std::string& text) {
  return std::regex_replace(text, std::regex(R"(\s+)"), " ");
}

class RegisterBookTest : public OfficeFixture {
 protected:
  RegisterBookTest() : agency_(agency("000.00.04.H57", "Ủy ban nhân dân tỉnh Hà Giang")) {
    register_id_ = incoming_.registers(agency_.id, "incoming").value().front().id;
  }

  std::int64_t registered(const Agency& agency, std::int64_t register_id,
                          const std::string& subject) {
    const auto id = arrive(agency, subject);
    auto done = incoming_.register_document(agency.id, id, register_id, kConsole);
    EXPECT_TRUE(done) << done.error().to_string();
    return id;
  }

  // The book of the agency's incoming register, written and read back.
  std::filesystem::path book() {
    auto written = register_books_.write_incoming(agency_.id, register_id_, book_);
    EXPECT_TRUE(written) << written.error().to_string();
    return book_;
  }

  Agency agency_;
  std::int64_t register_id_ = 0;
  std::filesystem::path book_ = directory_.path() / "so-den.pdf";
};

TEST_F(RegisterBookTest, PrintsVietnameseTextWithItsDiacriticsInAnEmbeddedLiberationSerif) {
  const std::string storm = "Về việc tăng cường công tác phòng, chống thiên tai năm 2026";
  const std::string flood = "Về việc khắc phục hậu quả lũ quét ở huyện Hoàng Su Phì";
  ASSERT_TRUE(accounts_.create_user(
      agency_.id,
      {"chuyenvien", "Phạm Thị Hồng Nhung", Role::specialist, kTestPassword, "Phòng Nông nghiệp"},
      kConsole));
  ASSERT_TRUE(accounts_.create_user(
      agency_.id, {"lanhdao", "Đỗ Quốc Việt", Role::leader, kTestPassword, ""}, kConsole));
  const Actor leader{count("SELECT id FROM users WHERE username = 'lanhdao'"), ""};
  const auto first = registered(agency_, register_id_, storm);
  registered(agency_, register_id_, flood);
  ASSERT_TRUE(assignments_.assign(agency_.id, first, {.main_handler = "chuyenvien"}, leader));
  // Another agency's documents are in its own book, not in this one.
  const Agency other = agency("000.00.05.H57", "Sở Tài chính");
  registered(other, incoming_.registers(other.id, "incoming").value().front().id,
             "Về việc quyết toán ngân sách của sở tài chính");

  auto written = register_books_.write_incoming(agency_.id, register_id_, book_);
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(written->documents, 2);
  EXPECT_EQ(written->year, incoming_.registers(agency_.id, "incoming").value().front().year);

  const std::string text = words(output_of("pdftotext -layout '" + book_.string() + "' -"));
  const std::string in_order = words(output_of("pdftotext -raw '" + book_.string() + "' -"));
  EXPECT_NE(text.find("ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"), std::string::npos) << text;
  EXPECT_NE(text.find("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"), std::string::npos);
  EXPECT_NE(text.find("Năm " + std::to_string(written->year)), std::string::npos);
  EXPECT_NE(text.find("Từ số 1 đến số 2"), std::string::npos);
  // A wrapped cell reads whole in the order it was drawn.
  for (const char* heading : {"Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng",
                              "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận",
                              "Ngày chuyển", "Ký nhận", "Ghi chú"}) {
    EXPECT_NE(in_order.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(in_order.find(storm), std::string::npos) << in_order;
  EXPECT_NE(in_order.find(flood), std::string::npos);
  EXPECT_NE(in_order.find("Văn phòng Chính phủ"), std::string::npos);
  EXPECT_NE(in_order.find("Phạm Thị Hồng Nhung Phòng Nông nghiệp"), std::string::npos);
  EXPECT_EQ(in_order.find("sở tài chính"), std::string::npos);
  // Numbers and dates fit their columns: arrival date, arrival number, sender, number and
  // notation, the document's date, its type.
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(R"(\d\d/\d\d/\d{4} 1 Văn phòng Chính phủ 1234/VPCP-KGVX 15/03/2024 Công văn)")))
      << text;
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(R"(\d\d/\d\d/\d{4} 2 Văn phòng Chính phủ 1234/VPCP-KGVX 15/03/2024 Công văn)")));

  // Every font of the file is Liberation Serif, embedded: nothing was substituted.
  std::istringstream fonts(output_of("pdffonts '" + book_.string() + "'"));
  std::string line;
  std::getline(fonts, line);  // name type encoding emb sub uni object ID
  std::getline(fonts, line);  // -----
  int listed = 0;
  for (; std::getline(fonts, line); ++listed) {
    EXPECT_NE(line.find("LiberationSerif"), std::string::npos) << line;
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(\s+yes\s+yes\s+yes\s+)"))) << line;
  }
  EXPECT_GE(listed, 1);
}

TEST_F(RegisterBookTest, ALongRegisterRunsOverSeveralPagesWithEveryNumberOnceAndInOrder) {
  constexpr int kDocuments = 120;
  for (int number = 1; number <= kDocuments; ++number) {
    registered(agency_, register_id_,
               "Về việc báo cáo tình hình thực hiện nhiệm vụ quý " + std::to_string(number));
  }
  const std::filesystem::path pdf = book();
  std::smatch pages;
  const std::string info = output_of("pdfinfo '" + pdf.string() + "'");
  ASSERT_TRUE(std::regex_search(info, pages, std::regex(R"(Pages:\s+(\d+))"))) << info;
  EXPECT_GE(std::stoi(pages[1]), 4);
  EXPECT_TRUE(std::regex_search(info, std::regex(R"(Page size:\s+841.89 x 595.28 pts \(A4\))")))
      << info;

  // Each row's first line starts with its arrival date and number.
  std::istringstream lines(output_of("pdftotext -layout '" + pdf.string() + "' -"));
  std::map<int, int> seen;
  std::vector<int> order;
  const std::regex row_start(R"(^\s*\d\d/\d\d/\d{4}\s+(\d+)\s)");
  for (std::string line; std::getline(lines, line);) {
    if (std::smatch found; std::regex_search(line, found, row_start)) {
      order.push_back(std::stoi(found[1]));
      ++seen[order.back()];
    }
  }
  EXPECT_EQ(order.size(), static_cast<std::size_t>(kDocuments));
  for (int number = 1; number <= kDocuments; ++number) {
    EXPECT_EQ(seen[number], 1) << number;
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  // The header is on every page but the cover, and the pages are numbered.
  const int table_pages = std::stoi(pages[1]) - 1;
  const std::string in_order = words(output_of("pdftotext -raw '" + pdf.string() + "' -"));
  int headers = 0;
  for (auto at = in_order.find("Ngày đến Số đến Tác giả"); at != std::string::npos;
       at = in_order.find("Ngày đến Số đến Tác giả", at + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, table_pages);
  for (int page = 1; page <= table_pages; ++page) {
    EXPECT_NE(in_order.find("Trang " + std::to_string(page)), std::string::npos) << page;
  }
}

TEST_F(RegisterBookTest, PaperDocumentsHaveTheirRowsAndARecalledDocumentIsNotedVoid) {
  const auto recalled = registered(agency_, register_id_, "Kế hoạch ban hành nhầm");
  recall(agency_, recalled, "hub-recall");
  ASSERT_TRUE(incoming_.accept_recall(agency_.id, recalled, kConsole));
  ASSERT_TRUE(accounts_.create_user(
      agency_.id, {"vanthu", "Trần Thị Hoa", Role::clerk, kTestPassword, ""}, kConsole));
  Account clerk;
  clerk.user_id = count("SELECT id FROM users WHERE username = 'vanthu'");
  clerk.agency_id = agency_.id;
  const Actor clerk_actor{clerk.user_id, ""};
  auto scan = uploads_.receive(clerk, "giay-moi.pdf", "application/pdf",
                               spooled("%PDF-1.4\n% giấy mời"), clerk_actor);
  ASSERT_TRUE(scan) << scan.error().to_string();
  auto paper = incoming_.register_paper(agency_.id,
                                        {.register_id = register_id_,
                                         .sender_name = "Ủy ban nhân dân huyện Vị Xuyên",
                                         .code_number = "27",
                                         .code_notation = "GM-UBND",
                                         .document_type = "Giấy mời",
                                         .subject = "Mời dự hội nghị tổng kết năm",
                                         .promulgation_date = "2026-01-02",
                                         .priority = 0,
                                         .uploads = {scan->id}},
                                        clerk_actor);
  ASSERT_TRUE(paper) << paper.error().to_string();

  const std::string text = words(output_of("pdftotext -raw '" + book().string() + "' -"));
  EXPECT_NE(text.find("Ủy ban nhân dân huyện Vị Xuyên"), std::string::npos) << text;
  EXPECT_NE(text.find("27/GM-UBND"), std::string::npos) << text;
  EXPECT_NE(text.find("Mời dự hội nghị tổng kết năm"), std::string::npos) << text;
  EXPECT_NE(text.find("Đã thu hồi"), std::string::npos) << text;
  EXPECT_NE(text.find("Từ số 1 đến số 2"), std::string::npos) << text;
}

TEST_F(RegisterBookTest, AnEmptyRegisterPrintsItsCoverAndAnEmptyTable) {
  const std::filesystem::path pdf = book();
  const std::string text = words(output_of("pdftotext -layout '" + pdf.string() + "' -"));
  EXPECT_NE(text.find("Chưa có văn bản nào được vào sổ"), std::string::npos) << text;
  EXPECT_NE(text.find("Tác giả"), std::string::npos);
  EXPECT_NE(output_of("pdfinfo '" + pdf.string() + "'").find("Pages:           2"),
            std::string::npos);
}

TEST_F(RegisterBookTest, RegistersTheAgencyCannotPrintAreTypedErrorsAndLeaveNoFile) {
  const Agency other = agency("000.00.05.H57", "Sở Tài chính");
  const auto theirs = incoming_.registers(other.id, "incoming").value().front().id;
  const auto outgoing = incoming_.registers(agency_.id, "outgoing").value().front().id;
  const std::map<std::int64_t, std::string> expected{{theirs, "register.not_found"},
                                                     {999999, "register.not_found"},
                                                     {outgoing, "register.not_incoming"}};
  for (const auto& [register_id, code] : expected) {
    SCOPED_TRACE(register_id);
    auto written = register_books_.write_incoming(agency_.id, register_id, book_);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, code);
    EXPECT_FALSE(std::filesystem::exists(book_));
  }
  // A destination cairo cannot write: a typed error, not a crash.
  auto unwritable =
      register_books_.write_incoming(agency_.id, register_id_, directory_.path() / "no" / "x.pdf");
  ASSERT_FALSE(unwritable);
  EXPECT_EQ(unwritable.error().code, "office.pdf_failed");
}

}  // namespace
}  // namespace truc::office
