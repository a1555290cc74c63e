#include "wire/ws_frame.h"

namespace coap::wire {

WsHeaderScan scan_ws_header(const uint8_t *p, size_t avail) {
  WsHeaderScan scan;
  if (avail < 2) {
    scan.need = 2;
    return scan;
  }
  WsFrameHeader &h = scan.header;
  h.fin = (p[0] & 0x80) != 0;
  h.rsv = static_cast<uint8_t>((p[0] >> 4) & 7);
  h.opcode = p[0] & 0x0f;
  h.masked = (p[1] & 0x80) != 0;
  uint8_t len7 = p[1] & 0x7f;
  size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  size_t size = 2 + ext + (h.masked ? 4 : 0);
  if (avail < size) {
    scan.need = size;
    return scan;
  }
  uint64_t length = len7;
  if (ext) {
    length = 0;
    for (size_t i = 0; i < ext; ++i) length = (length << 8) | p[2 + i];
  }
  // Section 5.2: the most significant bit of a 64-bit length is 0. (A
  // length not in its shortest form is tolerated: it is still unambiguous.)
  if (ext == 8 && (length >> 63)) {
    scan.status = WsHeaderScan::kInvalid;
    return scan;
  }
  h.length = length;
  if (h.masked) {
    for (size_t i = 0; i < 4; ++i) h.mask[i] = p[2 + ext + i];
  }
  h.header_size = size;
  scan.need = size;
  scan.status = WsHeaderScan::kComplete;
  return scan;
}

size_t encode_ws_header(uint8_t *out, bool fin, uint8_t opcode, uint64_t length,
                        const uint8_t *mask) {
  out[0] = static_cast<uint8_t>((fin ? 0x80 : 0) | (opcode & 0x0f));
  size_t n = 2;
  if (length < 126) {
    out[1] = static_cast<uint8_t>(length);
  } else if (length <= 0xffff) {
    out[1] = 126;
    out[2] = static_cast<uint8_t>(length >> 8);
    out[3] = static_cast<uint8_t>(length);
    n = 4;
  } else {
    out[1] = 127;
    for (size_t i = 0; i < 8; ++i) out[2 + i] = static_cast<uint8_t>(length >> (56 - 8 * i));
    n = 10;
  }
  if (mask) {
    out[1] |= 0x80;
    for (size_t i = 0; i < 4; ++i) out[n + i] = mask[i];
    n += 4;
  }
  return n;
}

void ws_mask(uint8_t *data, size_t n, const uint8_t mask[4], uint64_t offset) {
  ws_mask_copy(data, data, n, mask, offset);
}

void ws_mask_copy(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t mask[4],
                  uint64_t offset) {
  size_t k = static_cast<size_t>(offset & 3);
  for (size_t i = 0; i < n; ++i) {
    dst[i] = src[i] ^ mask[k];
    k = (k + 1) & 3;
  }
}

bool ws_opcode_known(uint8_t opcode) {
  switch (opcode) {
    case kWsContinuation:
    case kWsText:
    case kWsBinary:
    case kWsClose:
    case kWsPing:
    case kWsPong:
      return true;
    default:
      return false;
  }
}

bool ws_close_status_valid(uint16_t status) {
  // 1004-1006 and 1015 are reserved for reports, never sent; 1012-1014 are
  // registered since RFC 6455 (IANA registry); 3000-4999 for libraries,
  // frameworks and applications.
  if (status >= 1000 && status <= 1003) return true;
  if (status >= 1007 && status <= 1014) return true;
  return status >= 3000 && status <= 4999;
}

bool ws_utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: how many continuation bytes, and the smallest code point
    // (overlong forms are invalid); surrogates and values above U+10FFFF
    // are not characters.
    size_t more;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
      more = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      more = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      more = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (n - i <= more) return false;
    for (size_t k = 1; k <= more; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += more + 1;
  }
  return true;
}

}  // namespace coap::wire
