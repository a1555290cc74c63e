// Human-readable rendering of a PDU, as coap_show_pdu() prints it: one
// summary line (header, token, options, payload) and, for binary payloads,
// a hex line and a character line. Pure text production; where the lines
// go is the caller's business.
#pragma once

#include <cstddef>

#include "coap3/coap.h"

namespace coap::wire {

// How the message travels, which decides the header part of the summary.
enum class ShowFraming {
  kDatagram,   // UDP/DTLS: version, type, code and message id
  kReliable,   // TCP/TLS: code only
  kWebSocket,  // WS/WSS: code only
};

// The framing used by a session of this protocol.
ShowFraming framing_for_proto(coap_proto_t proto);

// The framing to show for this PDU: that of its session, datagram when it
// has none (not yet sent nor received).
ShowFraming show_framing(const coap_pdu_t &pdu);

// The output lines. Each line is bounded like libcoap's line buffer and
// ends with '\n'.
struct PduText {
  static constexpr size_t kLineSize = 2056;  // bytes, including the NUL
  static constexpr size_t kMaxLines = 3;
  char lines[kMaxLines][kLineSize];
  size_t count = 0;
};

// Renders pdu into out (out->count lines).
void format_pdu(const coap_pdu_t &pdu, ShowFraming framing, PduText *out);

}  // namespace coap::wire
