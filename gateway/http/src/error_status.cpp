#include <utility>

#include "truc/http/http.hpp"

namespace truc::http {

// One table for every face of the API: integrators see the same status for the same code.
unsigned error_status(std::string_view code) {
  static constexpr std::pair<std::string_view, unsigned> kExact[] = {
      {"parse.too_large", 413},
      {"attachment.too_large", 413},
      {"request.too_large", 413},
      {"request.not_found", 404},
      {"package.not_found", 404},
      {"agency.not_found", 404},
      {"request.method_not_allowed", 405},
      {"package.duplicate_document_id", 409},
      {"agency.exists", 409},
      {"agency.in_use", 409},
      {"evidence.not_sealed", 409},
      {"auth.unknown_certificate", 403},
      {"request.unsupported_media_type", 415},
      {"auth.account_locked", 429},
      {"auth.csrf_mismatch", 403},
      {"user.exists", 409},
      {"catalogue.duplicate", 409},
      {"catalogue.not_found", 404},
      {"user.not_found", 404},
      {"user.self_change", 409},
      {"incoming.not_found", 404},
      {"register.not_found", 404},
      {"register.not_incoming", 409},
      {"register.closed", 409},
      {"incoming.already_registered", 409},
      {"incoming.already_returned", 409},
      {"incoming.recalled", 409},
      {"incoming.no_recall", 409},
      {"incoming.not_registered", 409},
      {"incoming.already_assigned", 409},
      {"task.already_started", 409},
      {"task.already_done", 409},
      {"task.not_started", 409},
      {"office.font_missing", 500},
      {"office.pdf_failed", 500},
      {"task.no_department", 409},
      {"task.outside_department", 422},
      {"department.not_found", 404},
      {"department.no_head", 409},
      {"upload.empty", 422},
      {"upload.unsupported_type", 415},
      {"upload.not_found", 404},
      {"upload.already_used", 409},
      {"delegation.not_found", 404},
      {"delegation.overlaps", 409},
      {"delegation.already_ended", 409},
  };
  for (auto [known, status] : kExact) {
    if (code == known) return status;
  }
  static constexpr std::pair<std::string_view, unsigned> kByArea[] = {
      {"parse.", 400},
      {"attachment.", 400},
      {"request.", 400},
      {"schema.", 422},
      {"field.", 422},
      {"password.", 422},
      {"delivery.", 422},
      {"manifest.", 422},
      {"business.", 422},
      {"route.", 422},
      {"status.", 422},
      {"signature.", 422},
      {"agency.", 400},
      {"delegation.", 422},  // delegation.self, delegation.ends_before_start
      {"auth.sender_mismatch", 403},
      {"auth.forbidden", 403},
      {"auth.", 401},
      {"server.busy", 503},
      {"store.", 503},
  };
  for (auto [prefix, status] : kByArea) {
    if (code.substr(0, prefix.size()) == prefix) return status;
  }
  return 500;
}

}  // namespace truc::http
