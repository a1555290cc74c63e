// RFC 6455 section 5 framing, as pure functions over bytes: the frame
// header (FIN, RSV, opcode, MASK, the 7/16/64-bit payload length, the
// masking key) and the XOR masking of payloads. What frames mean and which
// are allowed is decided by the WebSocket layer (core/websocket.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap::wire {

// Opcodes (section 5.2); the rest are reserved.
enum WsOpcode : uint8_t {
  kWsContinuation = 0x0,
  kWsText = 0x1,
  kWsBinary = 0x2,
  kWsClose = 0x8,
  kWsPing = 0x9,
  kWsPong = 0xa,
};

// Close status codes used here (section 7.4.1).
enum WsStatus : uint16_t {
  kWsNormal = 1000,
  kWsGoingAway = 1001,
  kWsProtocolError = 1002,
  kWsUnsupportedData = 1003,
  kWsNoStatus = 1005,  // never sent: a close frame without a code
  kWsInvalidData = 1007,
  kWsTooBig = 1009,
  kWsInternalError = 1011,
};

// The longest frame header: 2 bytes, 8 of extended length, 4 of mask.
constexpr size_t kWsMaxHeader = 14;
// Control frames carry at most this much (section 5.5).
constexpr size_t kWsMaxControlPayload = 125;

struct WsFrameHeader {
  bool fin = false;
  uint8_t rsv = 0;  // the three reserved bits, as a number 0..7
  uint8_t opcode = 0;
  bool masked = false;
  uint8_t mask[4] = {0, 0, 0, 0};
  uint64_t length = 0;     // payload length
  size_t header_size = 0;  // bytes of header before the payload
};

struct WsHeaderScan {
  enum Status {
    kNeedMore,  // `need` bytes in total must be available
    kComplete,  // `header` is filled in
    kInvalid,   // a 64-bit length with its top bit set (section 5.2)
  };
  Status status = kNeedMore;
  size_t need = 2;
  WsFrameHeader header;
};

// Looks at the first avail bytes of a frame.
WsHeaderScan scan_ws_header(const uint8_t *p, size_t avail);

// Writes a frame header for a payload of length bytes into out (room for
// kWsMaxHeader bytes); mask == nullptr: unmasked. Returns its size.
size_t encode_ws_header(uint8_t *out, bool fin, uint8_t opcode, uint64_t length,
                        const uint8_t *mask);

// XORs n bytes with the masking key; `offset` is the position of data[0]
// within the payload, so a payload can be (un)masked in pieces.
void ws_mask(uint8_t *data, size_t n, const uint8_t mask[4], uint64_t offset);
// The same from src into dst (which may be src).
void ws_mask_copy(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t mask[4],
                  uint64_t offset);

// Control and data frames (section 5.5): opcodes 0x8 and above are control.
inline bool ws_is_control(uint8_t opcode) {
  return (opcode & 0x8) != 0;
}
// Opcodes this version of the protocol defines.
bool ws_opcode_known(uint8_t opcode);
// Status codes a peer may send in a close frame (section 7.4).
bool ws_close_status_valid(uint16_t status);
// Whether n bytes are well-formed UTF-8 (RFC 3629), as a close frame's
// reason must be (section 5.5.1).
bool ws_utf8_valid(const uint8_t *p, size_t n);

}  // namespace coap::wire
