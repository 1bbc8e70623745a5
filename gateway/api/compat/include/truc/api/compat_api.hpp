#pragma once

// gateway/api/compat: the national platform's API for agency software written against that
// platform, as thin handlers over the hub core.

#include <chrono>
#include <filesystem>
#include <string>

#include "truc/common/clock.hpp"
#include "truc/http/http.hpp"
#include "truc/hub/directory.hpp"
#include "truc/hub/hub.hpp"

namespace truc::api {

struct CompatSettings {
  // What XroadVnpt-timestamp is checked against; outlives the routes.
  const Clock& clock;
  // 32 bytes (compat.secret_key_file): the key the systems' HMAC secrets are stored under.
  std::string secret_key;
  // How far XroadVnpt-timestamp may be from the hub's clock, either way.
  std::chrono::seconds max_clock_skew{300};
  // Where the listener spools bodies (the blob store's tmp/): uploads are extracted there and
  // large answers written there, so that Hub::submit can adopt the file.
  std::filesystem::path spool_directory;
};

// The national platform's face (docs/api/compat.md) for agency software written against that
// platform: /sendEdoc, /getReceivedEdocList, /getEdoc, /updateStatus, /getSentEdocList,
// /countReceiveEdoc, /countReceiveStatus, /downloadEdoc, /getAgenciesList and
// /getAgenciesListQD20, authenticated by HMAC headers (each header set once), in
// the platform's answer shape ({status, ErrorCode, ErrorDesc, ...}), on the same Hub core as /v1.
void add_compat_api(http::Router& router, hub::Hub& hub, hub::Directory& directory,
                    CompatSettings settings);

}  // namespace truc::api
