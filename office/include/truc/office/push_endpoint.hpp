#pragma once

// The office's push endpoint: what the hub calls to deliver a package to any agency the office
// serves (docs/design.md, "Push delivery"). One route, POST /push, on a listener of its own that
// asks for client certificates; only the hub's own certificate (pinned by its SHA-256) is let in,
// since the CA that issued it may issue agencies' certificates too.

#include <string>

#include "truc/http/http.hpp"
#include "truc/office/inbox.hpp"

namespace truc::office {

// `hub_certificate_sha256`: lowercase hex of the DER of the certificate the hub pushes with.
http::Router push_routes(Inbox& inbox, std::string hub_certificate_sha256);

}  // namespace truc::office
