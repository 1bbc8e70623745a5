#include "edxml_work.hpp"

#include "truc/edxml/validate.hpp"
#include "truc/security/xmldsig.hpp"

namespace truc::bench {

Status parse_and_validate(const edxml::Parser& parser, ByteSource& input,
                          edxml::XmlEventListener* listener) {
  edxml::DiscardAttachments attachments;
  auto parsed = parser.parse(input, attachments, listener);
  if (!parsed) return std::move(parsed).error();
  edxml::ValidationReport report = edxml::validate(*parsed);
  if (const edxml::Finding* problem = report.first_error())
    return Error{problem->code, problem->message, problem->path};
  return ok_status();
}

Status parse_validate_verify(const edxml::Parser& parser, ByteSource& input,
                             const security::TrustStore& trust) {
  security::SignatureReader signature;
  TRUC_TRY(parse_and_validate(parser, input, &signature));
  auto verified = signature.verify(trust, {});
  if (!verified) return std::move(verified).error();
  return ok_status();
}

}  // namespace truc::bench
