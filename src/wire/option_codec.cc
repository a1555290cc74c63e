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

TokenLengthCode token_length_code(size_t token_length) {
  if (token_length < 13) return {static_cast<uint8_t>(token_length), 0};
  if (token_length < 269) return {13, 1};
  return {14, 2};
}

}  // namespace coap::wire
