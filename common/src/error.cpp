#include "truc/common/error.hpp"

namespace truc {

std::string Error::to_string() const {
  std::string text = code + ": " + message;
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

}  // namespace truc
