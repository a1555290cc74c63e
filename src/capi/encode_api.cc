// coap_encode.h: variable-length unsigned integers (RFC 7252 section 3.2).
#include "coap3/coap.h"
#include "util/bytes.h"

extern "C" {

int coap_fls(unsigned int i) {
  return i ? 32 - __builtin_clz(i) : 0;
}

int coap_flsll(long long i) {
  auto v = static_cast<unsigned long long>(i);
  return v ? 64 - __builtin_clzll(v) : 0;
}

// Longer inputs keep their low-order bytes (the high ones shift out), as
// libcoap does.
unsigned int coap_decode_var_bytes(const uint8_t *buf, size_t length) {
  unsigned int v = 0;
  for (size_t i = 0; buf && i < length; ++i) v = (v << 8) | buf[i];
  return v;
}

// libcoap reads at most the first eight bytes here.
uint64_t coap_decode_var_bytes8(const uint8_t *buf, size_t length) {
  uint64_t v = 0;
  for (size_t i = 0; buf && i < length && i < sizeof(v); ++i) v = (v << 8) | buf[i];
  return v;
}

unsigned int coap_encode_var_safe(uint8_t *buf, size_t length, unsigned int value) {
  return coap_encode_var_safe8(buf, length, value);
}

unsigned int coap_encode_var_safe8(uint8_t *buf, size_t length, uint64_t value) {
  size_t n = coap::uint_length(value);
  if (n > length || (n && !buf)) return 0;
  for (size_t i = n; i-- > 0;) {
    buf[i] = static_cast<uint8_t>(value);
    value >>= 8;
  }
  return static_cast<unsigned int>(n);
}

}  // extern "C"
