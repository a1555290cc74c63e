// RFC 7252 section 3.1 option header: a delta/length nibble byte followed by
// 0, 1 or 2 extension bytes for each. Pure functions over byte buffers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap::wire {

constexpr uint8_t kPayloadMarker = 0xff;
// Largest delta or length an option header can express (65535 + 269).
constexpr uint32_t kMaxOptionField = 65804;

struct OptionHeader {
  uint32_t delta = 0;
  uint32_t length = 0;
  uint32_t header_size = 0;  // bytes taken by the header itself
};

// Decodes the option header at p (avail bytes readable). False when the
// header is truncated, starts with the payload marker or uses a reserved
// nibble (15). The value itself is not checked against avail.
bool decode_option_header(const uint8_t *p, size_t avail, OptionHeader *out);

// Extension bytes and nibble of one header field (RFC 7252 section 3.1).
inline size_t extension_size(uint32_t v) {
  return v < 13 ? 0 : v < 269 ? 1 : 2;
}
inline uint8_t nibble_of(uint32_t v) {
  return v < 13 ? static_cast<uint8_t>(v) : v < 269 ? 13 : 14;
}
inline size_t write_extension(uint8_t *out, uint32_t v) {
  if (v < 13) return 0;
  if (v < 269) {
    out[0] = static_cast<uint8_t>(v - 13);
    return 1;
  }
  uint32_t e = v - 269;
  out[0] = static_cast<uint8_t>(e >> 8);
  out[1] = static_cast<uint8_t>(e);
  return 2;
}

// Bytes needed for the header of an option with this delta and length; 0
// when a field is out of range. Inline: it is on every option's path.
inline size_t option_header_size(uint32_t delta, size_t length) {
  if (delta > kMaxOptionField || length > kMaxOptionField) return 0;
  return 1 + extension_size(delta) + extension_size(static_cast<uint32_t>(length));
}

// Writes the header; returns its size, or 0 when cap is too small or a field
// is out of range.
inline size_t encode_option_header(uint8_t *out, size_t cap, uint32_t delta, size_t length) {
  size_t need = option_header_size(delta, length);
  if (need == 0 || need > cap) return 0;
  uint32_t len = static_cast<uint32_t>(length);
  out[0] = static_cast<uint8_t>((nibble_of(delta) << 4) | nibble_of(len));
  size_t pos = 1;
  pos += write_extension(out + pos, delta);
  pos += write_extension(out + pos, len);
  return pos;
}

// Token length on the wire (RFC 8974): the TKL nibble and the number of
// extension bytes that follow the fixed header.
struct TokenLengthCode {
  uint8_t nibble;
  uint8_t ext_size;
};
TokenLengthCode token_length_code(size_t token_length);
constexpr size_t kMaxTokenLength = 65804;

}  // namespace coap::wire
