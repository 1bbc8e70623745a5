#pragma once

#include <filesystem>
#include <span>

#include "truc/common/byte_stream.hpp"
#include "truc/common/error.hpp"
#include "truc/edxml/model.hpp"

namespace truc::edxml {

// Writes `package` as an unsigned edXML document. Output is deterministic: the same model and
// files give the same bytes. The content of attachment i streams, base64-encoded, from
// attachment_files[i]; the model's attachment size, sha256 and detected type are not written, and
// the manifest is derived from the attachments so that the two always agree.
// Fails with field.missing when a value the standard requires is empty, io.* when a file fails.
Status write_package(const Package& package,
                     std::span<const std::filesystem::path> attachment_files, ByteSink& out);

// Writes `status` as an unsigned edXML status packet.
Status write_status(const StatusPacket& status, ByteSink& out);

}  // namespace truc::edxml
