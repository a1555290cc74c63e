#include "wire/tcp_frame.h"

namespace coap::wire {

namespace {

// Extension bytes after the first byte for the Len nibble (section 3.2).
size_t len_ext_size(uint8_t nibble) {
  switch (nibble) {
    case 13:
      return 1;
    case 14:
      return 2;
    case 15:
      return 4;
    default:
      return 0;
  }
}

uint64_t big_endian(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

TcpFrameScan scan_tcp_frame(const uint8_t *p, size_t avail) {
  TcpFrameScan scan;
  if (avail < 1) return scan;  // need 1
  uint8_t len_nibble = p[0] >> 4;
  uint8_t tkl = p[0] & 0x0f;
  if (tkl == 15) {
    scan.status = TcpFrameScan::kInvalid;
    return scan;
  }
  size_t ext = len_ext_size(len_nibble);
  size_t token_ext = tkl == 13 ? 1 : tkl == 14 ? 2 : 0;
  // Byte 0, the Len extension, the code, the token length extension.
  size_t prefix = 1 + ext + 1 + token_ext;
  if (avail < prefix) {
    scan.need = prefix;
    return scan;
  }
  uint64_t len = len_nibble;
  if (len_nibble == 13) len = 13 + big_endian(p + 1, 1);
  if (len_nibble == 14) len = 269 + big_endian(p + 1, 2);
  if (len_nibble == 15) len = 65805 + big_endian(p + 1, 4);
  uint64_t token = tkl;
  const uint8_t *te = p + 2 + ext;
  if (tkl == 13) token = 13 + big_endian(te, 1);
  if (tkl == 14) token = 269 + big_endian(te, 2);
  scan.status = TcpFrameScan::kComplete;
  scan.need = prefix;
  // Len counts what follows the token: options, marker and payload.
  scan.total = prefix + token + len;
  return scan;
}

int tcp_frame_code(const uint8_t *p, size_t length) {
  if (length < 1) return -1;
  size_t ext = len_ext_size(p[0] >> 4);
  if (length < 2 + ext) return -1;
  return p[1 + ext];
}

size_t tcp_frame_options_offset(const uint8_t *p, size_t length) {
  TcpFrameScan scan = scan_tcp_frame(p, length);
  if (scan.status != TcpFrameScan::kComplete) return 0;
  uint8_t tkl = p[0] & 0x0f;
  uint64_t token = tkl;
  const uint8_t *te = p + scan.need - (tkl == 13 ? 1 : tkl == 14 ? 2 : 0);
  if (tkl == 13) token = 13 + big_endian(te, 1);
  if (tkl == 14) token = 269 + big_endian(te, 2);
  if (scan.need + token > length) return 0;
  return static_cast<size_t>(scan.need + token);
}

}  // namespace coap::wire
