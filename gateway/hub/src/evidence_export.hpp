#pragma once

#include <string>

#include "truc/evidence/container.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/repository.hpp"

namespace truc::hub {

// Gathers the evidence container of package `id` (Hub::evidence).
Result<evidence::Container> export_evidence(store::Repository& repository,
                                            const store::BlobStore& blobs, const std::string& id);

}  // namespace truc::hub
