// The RFC 8323 framing layer of a CoAP-over-TCP (or TLS) channel: finds
// message boundaries in the byte stream, whatever way it was split, and
// hands complete messages up. Outgoing messages are already framed by the
// PDU encoder (coap_pdu_t::write_header()) and pass straight down.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/channel.h"
#include "util/byte_buffer.h"

namespace coap {

class TcpFramer final : public Channel {
 public:
  // limit: the largest message accepted (the Max-Message-Size we announce).
  TcpFramer(coap_session_t *session, uint64_t limit) : Channel(session), limit_(limit) {}

  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;

  // Bytes of an incomplete message held (for tests).
  size_t buffered() const { return partial_.size(); }

 private:
  // Stops reading: the rest of the stream cannot be trusted.
  void fail(const char *detail, uint64_t now);
  // Checks a message length from its header; false when it is refused.
  bool acceptable(uint64_t total, uint64_t now);

  uint64_t limit_;
  ByteBuffer partial_;     // the start of a message not complete yet
  uint64_t expected_ = 0;  // its total length, 0 while its header is incomplete
  bool failed_ = false;
  char detail_[96];
};

}  // namespace coap
