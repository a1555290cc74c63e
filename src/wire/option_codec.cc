#include "wire/option_codec.h"

namespace coap::wire {

namespace {

// Reads the extension of one nibble; false when truncated or reserved.
bool read_extended(uint8_t nibble, const uint8_t *p, size_t avail, size_t *pos, uint32_t *out) {
  switch (nibble) {
    case 13:
      if (*pos + 1 > avail) return false;
      *out = 13u + p[*pos];
      *pos += 1;
      return true;
    case 14:
      if (*pos + 2 > avail) return false;
      *out = 269u + ((static_cast<uint32_t>(p[*pos]) << 8) | p[*pos + 1]);
      *pos += 2;
      return true;
    case 15:
      return false;
    default:
      *out = nibble;
      return true;
  }
}

size_t extension_size(uint32_t v) {
  return v < 13 ? 0 : v < 269 ? 1 : 2;
}

uint8_t nibble_of(uint32_t v) {
  return v < 13 ? static_cast<uint8_t>(v) : v < 269 ? 13 : 14;
}

size_t write_extension(uint8_t *out, uint32_t v) {
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

}  // namespace

bool decode_option_header(const uint8_t *p, size_t avail, OptionHeader *out) {
  if (avail == 0 || p[0] == kPayloadMarker) return false;
  size_t pos = 1;
  uint32_t delta = 0, length = 0;
  if (!read_extended(p[0] >> 4, p, avail, &pos, &delta)) return false;
  if (!read_extended(p[0] & 0x0f, p, avail, &pos, &length)) return false;
  out->delta = delta;
  out->length = length;
  out->header_size = static_cast<uint32_t>(pos);
  return true;
}

size_t option_header_size(uint32_t delta, size_t length) {
  if (delta > kMaxOptionField || length > kMaxOptionField) return 0;
  return 1 + extension_size(delta) + extension_size(static_cast<uint32_t>(length));
}

size_t encode_option_header(uint8_t *out, size_t cap, uint32_t delta, size_t length) {
  size_t need = option_header_size(delta, length);
  if (need == 0 || need > cap) return 0;
  uint32_t len = static_cast<uint32_t>(length);
  out[0] = static_cast<uint8_t>((nibble_of(delta) << 4) | nibble_of(len));
  size_t pos = 1;
  pos += write_extension(out + pos, delta);
  pos += write_extension(out + pos, len);
  return pos;
}

TokenLengthCode token_length_code(size_t token_length) {
  if (token_length < 13) return {static_cast<uint8_t>(token_length), 0};
  if (token_length < 269) return {13, 1};
  return {14, 2};
}

}  // namespace coap::wire
