#include "truc/testing/edxml_samples.hpp"

#include <fstream>
#include <stdexcept>

#include "truc/common/byte_stream.hpp"
#include "truc/edxml/build.hpp"

namespace truc::testing {

edxml::Package sample_package() {
  using namespace std::chrono;
  edxml::Package package;
  package.from = {kSenderCode,
                  "Văn phòng Chính phủ",
                  "Văn phòng Chính phủ",
                  "Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
                  "vanthu@chinhphu.vn",
                  "0243 8258 261",
                  "",
                  "https://chinhphu.vn"};
  package.to.push_back(
      {kRecipientCode, "", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "", "", "", "", ""});
  package.document_id = std::string(kSenderCode) + ",2024/03/15,1234/VPCP-KGVX";
  package.code = {"1234", "VPCP-KGVX"};
  package.promulgation_info = {"Hà Nội", edxml::Date{year(2024), month(3), day(15)}};
  package.document_type = {1, 1, "Công văn"};
  package.subject = "V/v triển khai thí điểm trục liên thông văn bản điện tử cấp tỉnh";
  package.content = "Thực hiện chỉ đạo của Thủ tướng Chính phủ về gửi, nhận văn bản điện tử…";
  package.signer_info = {"KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Nguyễn Văn Sơn"};
  package.due_date = edxml::Date{year(2024), month(4), day(15)};
  package.other_info.priority = edxml::Priority::urgent;
  package.other_info.sphere_of_promulgation = "Liên thông văn bản quốc gia";
  package.other_info.typer_notation = "TVC";
  package.other_info.promulgation_amount = 3;
  package.other_info.page_amount = 2;
  package.other_info.direction = false;
  package.steering_type = edxml::SteeringType::not_directive;
  package.to_places = {"Như trên;", "Lưu: VT, KGVX (3)."};
  package.trace_headers.push_back(
      {kSenderCode, local_days(year(2024) / month(3) / day(15)) + hours(9) + minutes(30)});
  package.attachments.push_back(
      {"cid:1", "1234-VPCP-KGVX.pdf", "Văn bản chính", "application/pdf", {}, 0, {}});
  package.attachments.push_back(
      {"cid:2", "Phụ lục kèm theo.pdf", "Phụ lục", "application/pdf", {}, 0, {}});
  return package;
}

edxml::StatusPacket sample_status(edxml::StatusCode code) {
  using namespace std::chrono;
  edxml::StatusPacket status;
  status.from = {kRecipientCode, "", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "", "", "", "", ""};
  status.response_for = {kSenderCode, "1234/VPCP-KGVX", edxml::Date{year(2024), month(3), day(15)},
                         std::string(kSenderCode) + ",2024/03/15,1234/VPCP-KGVX"};
  status.staff_info =
      edxml::StaffInfo{"Văn thư", "Trần Thị Hoa", "vanthu@thuathienhue.gov.vn", "0912345678"};
  status.status_code = code;
  status.description = "Đã tiếp nhận văn bản";
  status.timestamp = local_days(year(2024) / month(3) / day(15)) + hours(10);
  return status;
}

std::vector<std::filesystem::path> write_attachment_files(const edxml::Package& package,
                                                          const std::filesystem::path& directory,
                                                          std::size_t size) {
  std::vector<std::filesystem::path> files;
  for (std::size_t index = 0; index < package.attachments.size(); ++index) {
    auto path = directory / ("attachment-" + std::to_string(index) + ".bin");
    std::string content = "%PDF-1.4\n% Trục test attachment " + std::to_string(index) + "\n";
    while (content.size() < size)
      content += static_cast<char>('a' + (content.size() * 7 + index) % 26);
    content.resize(size);
    std::ofstream stream(path, std::ios::binary);
    stream << content;
    files.push_back(path);
  }
  return files;
}

std::string build_package(const edxml::Package& package,
                          const std::vector<std::filesystem::path>& files) {
  StringSink sink;
  Status written = edxml::write_package(package, files, sink);
  if (!written) throw std::runtime_error("write_package: " + written.error().to_string());
  return sink.text();
}

std::string build_status(const edxml::StatusPacket& status) {
  StringSink sink;
  Status written = edxml::write_status(status, sink);
  if (!written) throw std::runtime_error("write_status: " + written.error().to_string());
  return sink.text();
}

Result<edxml::Parsed> parse_bytes(const std::string& bytes, edxml::XmlEventListener* listener) {
  static const edxml::Parser parser;
  MemorySource source(bytes);
  edxml::DiscardAttachments attachments;
  return parser.parse(source, attachments, listener);
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  auto position = text.find(from);
  if (position == std::string::npos)
    throw std::runtime_error("replace_once: '" + from + "' not found");
  return text.replace(position, from.size(), to);
}

}  // namespace truc::testing
