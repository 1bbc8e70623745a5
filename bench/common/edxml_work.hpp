#pragma once

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/parse.hpp"
#include "truc/security/trust_store.hpp"

namespace truc::bench {

// What the hub does to a received package's bytes before it stores anything, shared by the
// edXML benchmark (which times it alone) and the hub benchmark (whose floor is built on it).

// Parses the document (attachments decoded and discarded) and validates it; `listener` sees the
// parse's events, as the signature reader does in the hub.
Status parse_and_validate(const edxml::Parser& parser, ByteSource& input,
                          edxml::XmlEventListener* listener = nullptr);

// The same, with the enveloped signature read in the same pass and verified against `trust`.
Status parse_validate_verify(const edxml::Parser& parser, ByteSource& input,
                             const security::TrustStore& trust);

}  // namespace truc::bench
