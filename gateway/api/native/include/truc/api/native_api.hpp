#pragma once

// gateway/api/native: the hub's own REST face, /v1, as thin handlers over the hub core.

#include "truc/http/http.hpp"
#include "truc/hub/hub.hpp"

namespace truc::api {

// The native REST face, /v1 (docs/api/openapi.yaml): agencies authenticate with their TLS client
// certificate, registered in the directory.
void add_native_api(http::Router& router, hub::Hub& hub);

}  // namespace truc::api
