// Base64 (RFC 4648 section 4, the standard alphabet with padding), as the
// WebSocket handshake uses it for Sec-WebSocket-Key and -Accept.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

// Characters base64_encode() writes for length bytes (without the NUL).
constexpr size_t base64_encoded_size(size_t length) {
  return (length + 2) / 3 * 4;
}

// Encodes length bytes into out, NUL-terminated; out must hold
// base64_encoded_size(length) + 1 characters.
void base64_encode(const uint8_t *data, size_t length, char *out);

// Decodes text (text_length characters: groups of four, the last one
// padded with '=' as needed, nothing else) into out, which has room for
// out_size bytes. Returns the number of bytes written, or -1 when the text
// is not valid base64 (bad character, length or padding, non-zero bits
// after the last character) or does not fit.
long base64_decode(const char *text, size_t text_length, uint8_t *out, size_t out_size);

}  // namespace coap
