#include "util/base64.h"

namespace coap {

namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of one alphabet character, -1 for anything else.
int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

void base64_encode(const uint8_t *data, size_t length, char *out) {
  size_t i = 0;
  for (; i + 3 <= length; i += 3) {
    uint32_t v = (static_cast<uint32_t>(data[i]) << 16) |
                 (static_cast<uint32_t>(data[i + 1]) << 8) | data[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  size_t rest = length - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(data[i]) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(data[i + 1]) << 8;
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    *out++ = '=';
  }
  *out = '\0';
}

long base64_decode(const char *text, size_t text_length, uint8_t *out, size_t out_size) {
  if (text_length % 4 != 0) return -1;
  size_t written = 0;
  for (size_t i = 0; i < text_length; i += 4) {
    bool last = i + 4 == text_length;
    // Padding only at the very end: "xx==" or "xxx=".
    size_t pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      int d = j < 4 - pad ? value_of(text[i + j]) : 0;
      if (d < 0) return -1;
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    size_t n = 3 - pad;
    // The bits beyond the last byte must be zero (canonical encoding).
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) return -1;
    if (written + n > out_size) return -1;
    out[written++] = static_cast<uint8_t>(v >> 16);
    if (n > 1) out[written++] = static_cast<uint8_t>(v >> 8);
    if (n > 2) out[written++] = static_cast<uint8_t>(v);
  }
  return static_cast<long>(written);
}

}  // namespace coap
