#include "truc/http/multipart.hpp"

#include <algorithm>
#include <cctype>
#include <span>
#include <vector>

#include "truc/common/ascii.hpp"

namespace truc::http {
namespace {

constexpr std::size_t kReadBytes = 64 * 1024;
constexpr std::size_t kMaxPaddingBytes = 256;

Error invalid(std::string detail) {
  return Error{"request.multipart_invalid", "the multipart/form-data body is malformed",
               std::move(detail)};
}

Error truncated() {
  return Error{"request.multipart_truncated",
               "the multipart/form-data body ends before its closing delimiter",
               "resend the whole body"};
}

// A header value of the form `type; key=value; key="quoted value"`: the type, lowercased, and
// the parameters by lowercased name.
struct HeaderValue {
  std::string type;
  std::map<std::string, std::string> parameters;
};

HeaderValue parse_header_value(std::string_view text) {
  HeaderValue value;
  auto semicolon = text.find(';');
  value.type = ascii_lowercase(trim_blanks(text.substr(0, semicolon)));
  std::size_t position = semicolon == std::string_view::npos ? text.size() : semicolon + 1;
  while (position < text.size()) {
    auto equals = text.find('=', position);
    auto next = text.find(';', position);
    if (equals == std::string_view::npos || (next != std::string_view::npos && next < equals)) {
      position = next == std::string_view::npos ? text.size() : next + 1;
      continue;
    }
    std::string name = ascii_lowercase(trim_blanks(text.substr(position, equals - position)));
    position = equals + 1;
    while (position < text.size() && (text[position] == ' ' || text[position] == '\t')) ++position;
    std::string parameter;
    if (position < text.size() && text[position] == '"') {
      for (++position; position < text.size() && text[position] != '"'; ++position) {
        if (text[position] == '\\' && position + 1 < text.size()) ++position;
        parameter.push_back(text[position]);
      }
      next = text.find(';', position);
    } else {
      next = text.find(';', position);
      parameter = std::string(trim_blanks(text.substr(position, next - position)));
    }
    value.parameters.emplace(std::move(name), std::move(parameter));
    position = next == std::string_view::npos ? text.size() : next + 1;
  }
  return value;
}

// RFC 2046 §5.1.1: 1 to 70 of DIGIT ALPHA '()+_,-./:=? and space, not ending in a space.
bool valid_boundary(std::string_view boundary) {
  static constexpr std::string_view kSpecials = "'()+_,-./:=? ";
  return !boundary.empty() && boundary.size() <= 70 && boundary.back() != ' ' &&
         std::all_of(boundary.begin(), boundary.end(), [](unsigned char character) {
           return std::isalnum(character) ||
                  kSpecials.find(static_cast<char>(character)) != std::string_view::npos;
         });
}

// The bytes read from the body and not consumed yet. It starts with a line break of its own, so
// that a delimiter on the body's first line reads like any other ("\r\n--boundary").
class Window {
 public:
  explicit Window(ByteSource& source) : source_(source), buffer_("\r\n") {}

  std::string_view view() const { return std::string_view(buffer_).substr(start_); }
  void consume(std::size_t count) { start_ += count; }

  // Reads the next piece; false at the end of the body.
  Result<bool> more() {
    if (ended_) return false;
    buffer_.erase(0, start_);
    start_ = 0;
    std::size_t kept = buffer_.size();
    buffer_.resize(kept + kReadBytes);
    auto count = source_.read(std::span<char>(buffer_.data() + kept, kReadBytes));
    buffer_.resize(kept + (count ? *count : 0));
    if (!count) return std::move(count).error();
    ended_ = *count == 0;
    return !ended_;
  }

  // Reads until `count` bytes are available; request.multipart_truncated if the body ends first.
  Status ensure(std::size_t count) {
    while (view().size() < count) {
      auto read = more();
      if (!read) return std::move(read).error();
      if (!*read) return truncated();
    }
    return ok_status();
  }

 private:
  ByteSource& source_;
  std::string buffer_;
  std::size_t start_ = 0;
  bool ended_ = false;
};

// Passes the bytes before the next `delimiter` to `emit` in pieces and consumes the delimiter.
// request.multipart_truncated when the body ends first.
template <typename Emit>
Status until_delimiter(Window& window, std::string_view delimiter, Emit&& emit) {
  while (true) {
    std::string_view data = window.view();
    auto found = data.find(delimiter);
    if (found != std::string_view::npos) {
      TRUC_TRY(emit(data.substr(0, found)));
      window.consume(found + delimiter.size());
      return ok_status();
    }
    // The tail could be the start of a delimiter that the next read completes: keep it.
    std::size_t safe = data.size() >= delimiter.size() ? data.size() - delimiter.size() + 1 : 0;
    if (safe > 0) {
      TRUC_TRY(emit(data.substr(0, safe)));
      window.consume(safe);
    }
    auto read = window.more();
    if (!read) return std::move(read).error();
    if (!*read) return truncated();
  }
}

// After a delimiter: "--" closes the body (false); optional padding and a line break open a
// part (true).
Result<bool> part_follows(Window& window) {
  TRUC_TRY(window.ensure(2));
  if (window.view().substr(0, 2) == "--") return false;
  for (std::size_t padding = 0; window.view().front() == ' ' || window.view().front() == '\t';) {
    if (++padding > kMaxPaddingBytes) return invalid("spaces after a delimiter");
    window.consume(1);
    TRUC_TRY(window.ensure(2));
  }
  if (window.view().substr(0, 2) != "\r\n") return invalid("characters after a delimiter");
  window.consume(2);
  return true;
}

// The part's header block, up to the empty line that ends it; the part's name.
Result<std::string> part_name(Window& window, std::size_t max_header_bytes) {
  std::string_view block;
  while (true) {
    std::string_view data = window.view();
    if (data.substr(0, 2) == "\r\n") {
      window.consume(2);
      return invalid("a part without a Content-Disposition name");
    }
    auto end = data.find("\r\n\r\n");
    if (end != std::string_view::npos) {
      block = data.substr(0, end);
      if (block.size() > max_header_bytes) break;
      std::string name;
      while (!block.empty()) {
        auto line_end = block.find("\r\n");
        std::string_view line = block.substr(0, line_end);
        block =
            line_end == std::string_view::npos ? std::string_view() : block.substr(line_end + 2);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) return invalid("a part header without ':'");
        if (ascii_lowercase(trim_blanks(line.substr(0, colon))) != "content-disposition") continue;
        auto disposition = parse_header_value(line.substr(colon + 1));
        auto found = disposition.parameters.find("name");
        if (found != disposition.parameters.end()) name = ascii_lowercase(found->second);
      }
      window.consume(end + 4);
      if (name.empty()) return invalid("a part without a Content-Disposition name");
      return name;
    }
    // A block of max_header_bytes may be here with its closing "\r\n\r\n" cut by where the read
    // ended: only max_header_bytes + 4 bytes without it prove the block too long.
    if (data.size() >= max_header_bytes + 4) break;
    auto read = window.more();
    if (!read) return std::move(read).error();
    if (!*read) return truncated();
  }
  return invalid("part headers over " + std::to_string(max_header_bytes) + " bytes");
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  HeaderValue value = parse_header_value(content_type);
  auto boundary = value.parameters.find("boundary");
  if (value.type != "multipart/form-data" || boundary == value.parameters.end() ||
      !valid_boundary(boundary->second)) {
    return std::nullopt;
  }
  return boundary->second;
}

Result<MultipartForm> read_multipart(ByteSource& body, std::string_view boundary,
                                     std::string_view file_part, ByteSink& file,
                                     const MultipartLimits& limits) {
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::string file_name = ascii_lowercase(file_part);
  Window window(body);
  std::size_t preamble = 0;
  Status opened = until_delimiter(window, delimiter, [&](std::string_view bytes) -> Status {
    preamble += bytes.size();
    if (preamble > limits.max_preamble_bytes) return truncated();
    return ok_status();
  });
  if (!opened) {
    if (opened.error().code != "request.multipart_truncated") return std::move(opened).error();
    return invalid("no delimiter line --" + std::string(boundary) + " starts the body");
  }

  MultipartForm form;
  std::size_t parts = 0;
  while (true) {
    auto follows = part_follows(window);
    if (!follows) return std::move(follows).error();
    if (!*follows) return form;
    if (++parts > limits.max_parts) {
      return invalid("more than " + std::to_string(limits.max_parts) + " parts");
    }
    auto name = part_name(window, limits.max_header_bytes);
    if (!name) return std::move(name).error();
    if (*name == file_name) {
      if (form.has_file) return invalid("two " + std::string(file_part) + " parts");
      form.has_file = true;
      TRUC_TRY(until_delimiter(window, delimiter, [&](std::string_view bytes) -> Status {
        form.file_size += bytes.size();
        return bytes.empty() ? ok_status() : file.write(bytes);
      }));
      continue;
    }
    std::string value;
    TRUC_TRY(until_delimiter(window, delimiter, [&](std::string_view bytes) -> Status {
      if (value.size() + bytes.size() > limits.max_field_bytes) {
        return invalid("field " + *name + " over " + std::to_string(limits.max_field_bytes) +
                       " bytes");
      }
      value.append(bytes);
      return ok_status();
    }));
    // Two values for one name: which one the sender meant is ambiguous.
    if (!form.fields.emplace(*name, std::move(value)).second) {
      return invalid("field " + *name + " given twice");
    }
  }
}

}  // namespace truc::http
