#include "truc/common/base64.hpp"

#include <array>

namespace truc {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::int8_t kWhitespace = -2;
constexpr std::int8_t kPadding = -3;
constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int index = 0; index < 64; ++index) {
    table[static_cast<unsigned char>(kAlphabet[index])] = static_cast<std::int8_t>(index);
  }
  table[' '] = table['\t'] = table['\r'] = table['\n'] = kWhitespace;
  table['='] = kPadding;
  return table;
}

constexpr auto kDecodeTable = make_decode_table();

Error invalid_base64(std::uint64_t offset, std::string_view reason) {
  return Error{"attachment.base64_invalid", "attachment content is not valid base64",
               std::string(reason) + " at character " + std::to_string(offset)};
}

}  // namespace

Status Base64Decoder::feed(std::string_view chunk, std::string& out) {
  // Decoded bytes are written in place into room made up front (at most 3 per 4 characters).
  std::size_t written = out.size();
  out.resize(written + (chunk.size() + 3) / 4 * 3 + 3);
  auto fail = [&](std::string_view reason) {
    out.resize(written);
    return invalid_base64(consumed_, reason);
  };
  for (unsigned char character : chunk) {
    std::int8_t value = kDecodeTable[character];
    ++consumed_;
    if (value >= 0) {
      if (padding_ > 0) return fail("data after padding");
      quantum_ = (quantum_ << 6) | static_cast<std::uint32_t>(value);
      if (++quantum_length_ == 4) {
        out[written++] = static_cast<char>(quantum_ >> 16);
        out[written++] = static_cast<char>(quantum_ >> 8);
        out[written++] = static_cast<char>(quantum_);
        quantum_ = 0;
        quantum_length_ = 0;
      }
      continue;
    }
    if (value == kWhitespace) continue;
    if (value == kInvalid) return fail("unexpected character");
    if (quantum_length_ + padding_ < 2) return fail("misplaced padding");
    ++padding_;
    if (quantum_length_ + padding_ > 4) return fail("too much padding");
  }
  out.resize(written);
  return ok_status();
}

Status Base64Decoder::finish(std::string& out) {
  if (quantum_length_ == 0) {
    if (padding_ != 0) return invalid_base64(consumed_, "misplaced padding");
    return ok_status();
  }
  if (quantum_length_ + padding_ != 4 && padding_ != 0) {
    return invalid_base64(consumed_, "incomplete padding");
  }
  // Unpadded input is accepted when the final quantum is complete enough to carry whole bytes.
  if (quantum_length_ == 1) return invalid_base64(consumed_, "truncated data");
  if (quantum_length_ == 2) {
    out.push_back(static_cast<char>(quantum_ >> 4));
  } else {
    out.push_back(static_cast<char>(quantum_ >> 10));
    out.push_back(static_cast<char>(quantum_ >> 2));
  }
  quantum_ = 0;
  quantum_length_ = 0;
  padding_ = 0;
  return ok_status();
}

void Base64Encoder::feed(std::string_view bytes, std::string& out) {
  std::size_t index = 0;
  while (pending_length_ > 0 && pending_length_ < 3 && index < bytes.size()) {
    pending_[pending_length_++] = static_cast<unsigned char>(bytes[index++]);
  }
  if (pending_length_ == 3) {
    out.push_back(kAlphabet[pending_[0] >> 2]);
    out.push_back(kAlphabet[((pending_[0] & 0x03) << 4) | (pending_[1] >> 4)]);
    out.push_back(kAlphabet[((pending_[1] & 0x0f) << 2) | (pending_[2] >> 6)]);
    out.push_back(kAlphabet[pending_[2] & 0x3f]);
    pending_length_ = 0;
  }
  for (; index + 3 <= bytes.size(); index += 3) {
    auto first = static_cast<unsigned char>(bytes[index]);
    auto second = static_cast<unsigned char>(bytes[index + 1]);
    auto third = static_cast<unsigned char>(bytes[index + 2]);
    out.push_back(kAlphabet[first >> 2]);
    out.push_back(kAlphabet[((first & 0x03) << 4) | (second >> 4)]);
    out.push_back(kAlphabet[((second & 0x0f) << 2) | (third >> 6)]);
    out.push_back(kAlphabet[third & 0x3f]);
  }
  for (; index < bytes.size(); ++index)
    pending_[pending_length_++] = static_cast<unsigned char>(bytes[index]);
}

void Base64Encoder::finish(std::string& out) {
  if (pending_length_ == 0) return;
  unsigned char first = pending_[0];
  unsigned char second = pending_length_ > 1 ? pending_[1] : 0;
  out.push_back(kAlphabet[first >> 2]);
  out.push_back(kAlphabet[((first & 0x03) << 4) | (second >> 4)]);
  out.push_back(pending_length_ > 1 ? kAlphabet[(second & 0x0f) << 2] : '=');
  out.push_back('=');
  pending_length_ = 0;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  Base64Encoder encoder;
  encoder.feed(bytes, out);
  encoder.finish(out);
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  Base64Decoder decoder;
  TRUC_TRY(decoder.feed(text, out));
  TRUC_TRY(decoder.finish(out));
  return out;
}

}  // namespace truc
