// The message layer of RFC 7252 section 4 for one session: sending with
// retransmission of confirmable messages, NSTART, matching ACK/RST to what
// was sent, and turning received datagrams into PDUs for the layers above.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

// Sends pdu on session and takes ownership of it. Confirmable messages are
// kept for retransmission until acknowledged. Returns the message id, or
// COAP_INVALID_MID (the pdu is freed in every case).
coap_mid_t send_pdu(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);

// Encodes and hands pdu to the session's PacketIo once, without keeping it.
bool transmit(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);

// Sends an empty ACK or RST for mid.
void send_empty(coap_session_t *session, coap_pdu_type_t type, coap_mid_t mid, uint64_t now);

// Removes the pending confirmable message with this id, returning its PDU
// (the caller owns it) or nullptr if none is pending.
coap_pdu_t *take_pending(coap_session_t *session, coap_mid_t mid, uint64_t now);

// One datagram arrived. `endpoint` is set for traffic to a server endpoint
// (the session is looked up or created by remote address), `session` for
// traffic on a client session's own socket.
void receive_datagram(coap_context_t *context, coap_endpoint_t *endpoint, coap_session_t *session,
                      const uint8_t *data, size_t length, const coap_addr_tuple_t &addrs,
                      int ifindex, uint64_t now);

// Processes one parsed message received on session (takes ownership).
void handle_pdu(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);

// True when nothing is waiting to be (re)transmitted in the context.
bool nothing_pending(const coap_context_t *context);

}  // namespace coap
