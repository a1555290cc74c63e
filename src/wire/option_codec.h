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

// Bytes needed for the header of an option with this delta and length.
size_t option_header_size(uint32_t delta, size_t length);

// Writes the header; returns its size, or 0 when cap is too small or a field
// is out of range.
size_t encode_option_header(uint8_t *out, size_t cap, uint32_t delta, size_t length);

// Token length on the wire (RFC 8974): the TKL nibble and the number of
// extension bytes that follow the fixed header.
struct TokenLengthCode {
  uint8_t nibble;
  uint8_t ext_size;
};
TokenLengthCode token_length_code(size_t token_length);
constexpr size_t kMaxTokenLength = 65804;

}  // namespace coap::wire
