#pragma once

// Typed model of the two edXML documents (QCVN 102:2016/BTTTT): the package ("edoc") and the
// status packet. Field names follow the standard's element names; text is kept exactly as sent
// (UTF-8, Vietnamese diacritics untouched). See ../shared/docs/edxml.md for the element tree.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace truc::edxml {

inline constexpr std::string_view kNamespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

using Date = std::chrono::year_month_day;
// edXML timestamps ("yyyy/MM/dd HH:mm:ss") carry no zone: they are the sender's local time.
using LocalDateTime = std::chrono::local_seconds;

struct Organization {
  std::string organ_id;
  std::string organization_in_charge;
  std::string organ_name;
  std::string organ_add;
  std::string email;
  std::string telephone;
  std::string fax;
  std::string website;
};

// Số, ký hiệu: number and notation, printed as "<code_number>/<code_notation>".
struct DocumentCode {
  std::string code_number;
  std::string code_notation;
};

struct PromulgationInfo {
  std::string place;
  std::optional<Date> promulgation_date;
};

struct DocumentType {
  std::optional<int> type;
  std::optional<int> type_detail;
  std::string type_name;  // e.g. "Công văn"
};

struct SignerInfo {
  std::string competence;  // e.g. "TL. BỘ TRƯỞNG"
  std::string position;
  std::string full_name;
};

// Độ khẩn.
enum class Priority : int {
  normal = 0,         // Thường
  urgent = 1,         // Khẩn
  very_urgent = 2,    // Thượng khẩn
  express = 3,        // Hỏa tốc
  timed_express = 4,  // Hỏa tốc hẹn giờ
};

struct OtherInfo {
  std::optional<Priority> priority;
  std::string sphere_of_promulgation;
  std::string typer_notation;
  std::optional<int> promulgation_amount;
  std::optional<int> page_amount;
  std::optional<bool> direction;
  std::vector<std::string> appendixes;
};

// The document this one answers (or, in a status packet, the document the status is about).
struct ResponseFor {
  std::string organ_id;
  std::string code;
  std::optional<Date> promulgation_date;
  std::string document_id;
};

enum class SteeringType : int {
  not_directive = 0,
  directive = 1,         // chỉ đạo
  directive_report = 2,  // báo cáo việc thực hiện chỉ đạo
};

// One hop. Hubs append a TraceHeader; they never replace the sender's.
struct TraceHeader {
  std::string organ_id;
  std::optional<LocalDateTime> timestamp;
};

enum class BusinessDocType : int {
  new_document = 0,
  recall = 1,   // thu hồi
  update = 2,   // cập nhật
  replace = 3,  // thay thế
};

struct Receiver {
  std::string organ_id;
  std::optional<int> receiver_type;
};

struct BusinessDocumentInfo {
  std::optional<bool> document_info;
  std::optional<bool> document_receiver;
  std::vector<Receiver> receivers;
};

struct ReplacementInfo {
  std::string document_id;
  std::vector<std::string> organ_ids;
};

struct StaffInfo {
  std::string department;
  std::string staff;
  std::string email;
  std::string mobile;
};

// The standard spells the element "Bussiness"; the model uses the English word.
struct Business {
  std::string document_id;
  BusinessDocType business_doc_type = BusinessDocType::new_document;
  std::string business_doc_reason;
  std::optional<bool> paper;
  std::optional<BusinessDocumentInfo> business_document_info;
  std::vector<ReplacementInfo> replacement_info;
  std::optional<StaffInfo> staff_info;
};

struct ManifestReference {
  std::string content_id;  // "cid:…"
  std::string content_type;
  std::string description;
  std::string attachment_name;
};

// An attachment as declared and as received: the decoded bytes went to the caller's sink, and
// the parser measured them on the way.
struct Attachment {
  std::string content_id;
  std::string attachment_name;
  std::string description;
  std::string content_type;   // as declared by the sender
  std::string detected_type;  // from the bytes, e.g. "application/pdf"
  std::uint64_t size = 0;     // decoded bytes
  std::string sha256;         // hex of the decoded bytes
};

// Văn bản điện tử: an edoc package.
struct Package {
  Organization from;
  std::vector<Organization> to;
  std::string document_id;
  DocumentCode code;
  PromulgationInfo promulgation_info;
  DocumentType document_type;
  std::string subject;  // trích yếu
  std::string content;
  SignerInfo signer_info;
  std::optional<Date> due_date;
  OtherInfo other_info;
  std::vector<ResponseFor> response_for;
  std::optional<SteeringType> steering_type;
  std::vector<std::string> to_places;

  std::vector<TraceHeader> trace_headers;
  std::optional<Business> business;

  std::string manifest_version;
  std::vector<ManifestReference> manifest;
  std::vector<Attachment> attachments;
};

enum class StatusCode : int {
  arrived = 1,          // đã đến
  rejected = 2,         // từ chối tiếp nhận
  accepted = 3,         // đã tiếp nhận
  assigned = 4,         // phân công xử lý
  processing = 5,       // đang xử lý
  finished = 6,         // hoàn thành
  recall_request = 13,  // đề nghị lấy lại văn bản
  agreed = 15,          // đồng ý cập nhật/thu hồi
  refused = 16,         // từ chối cập nhật/thu hồi
};

struct StatusPacket {
  Organization from;
  ResponseFor response_for;
  std::optional<StaffInfo> staff_info;
  StatusCode status_code = StatusCode::arrived;
  std::string description;
  std::optional<LocalDateTime> timestamp;
  std::vector<TraceHeader> trace_headers;
};

using Document = std::variant<Package, StatusPacket>;

// Code values as written in documents, and back. The parse functions return nullopt for values
// the standard does not define.
std::optional<StatusCode> parse_status_code(std::string_view text);
std::string format_status_code(StatusCode code);     // two digits, e.g. "03"
std::string_view status_code_name(StatusCode code);  // e.g. "accepted"
std::optional<Priority> parse_priority(std::string_view text);
std::optional<BusinessDocType> parse_business_doc_type(std::string_view text);
std::optional<SteeringType> parse_steering_type(std::string_view text);

// "yyyy/MM/dd" and "yyyy/MM/dd HH:mm:ss", the formats the standard uses.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);
std::optional<LocalDateTime> parse_local_date_time(std::string_view text);
std::string format_local_date_time(LocalDateTime time);

// The national agency code form: four dot-separated groups such as "000.00.00.G22".
bool is_agency_code(std::string_view text);

}  // namespace truc::edxml
