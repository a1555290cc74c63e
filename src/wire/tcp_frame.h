// RFC 8323 section 3.2 message framing on a byte stream: how long the
// message starting at a given byte is, decided from as few bytes as
// possible (the Len nibble and its extension, the code, the token length
// and its RFC 8974 extension). Pure functions over byte buffers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap::wire {

struct TcpFrameScan {
  enum Status {
    kNeedMore,  // `need` bytes in total must be available to tell
    kComplete,  // the message is `total` bytes long (header to payload)
    kInvalid,   // not a CoAP-over-TCP header (reserved token length 15)
  };
  Status status = kNeedMore;
  size_t need = 1;
  uint64_t total = 0;
};

// Looks at the first `avail` bytes of a message.
TcpFrameScan scan_tcp_frame(const uint8_t *p, size_t avail);

// Code of the framed message at p (length >= its header), or -1 when the
// header is incomplete.
int tcp_frame_code(const uint8_t *p, size_t length);

// Offset of the first byte after the header and token (options, marker,
// payload) of the framed message at p, or 0 when they are incomplete.
size_t tcp_frame_options_offset(const uint8_t *p, size_t length);

}  // namespace coap::wire
