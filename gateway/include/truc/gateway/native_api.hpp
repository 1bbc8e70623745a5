#pragma once

#include "truc/gateway/http.hpp"
#include "truc/gateway/hub.hpp"

namespace truc::gateway {

// The native REST face, /v1 (docs/api/openapi.yaml): agencies authenticate with their TLS client
// certificate, registered in the directory.
void add_native_api(Router& router, Hub& hub);

}  // namespace truc::gateway
