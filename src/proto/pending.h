// Confirmable messages awaiting an ACK or RST (RFC 7252 section 4.2), and
// requests held back because NSTART exchanges are already outstanding
// (section 4.7). One PendingMessage per message; it owns the PDU that was
// sent so it can be retransmitted and handed to the response handler.
#pragma once

#include <cstdint>

#include "coap3/coap.h"
#include "util/intrusive_list.h"
#include "util/timer_queue.h"

namespace coap {

struct PendingMessage {
  coap_session_t *session = nullptr;
  coap_pdu_t *pdu = nullptr;  // owned
  coap_mid_t mid = COAP_INVALID_MID;
  uint16_t retransmits = 0;  // retransmissions done so far
  uint64_t interval = 0;     // current timeout in ms (doubles each time)
  Timer timer;               // retransmission timer
  ListHook link;             // in the session's pending or delayed list

  static PendingMessage *create(coap_session_t *session, coap_pdu_t *pdu);
  // Frees the message and its PDU; it must already be unlinked/unscheduled.
  static void destroy(PendingMessage *m);
};

using PendingList = IntrusiveList<PendingMessage, &PendingMessage::link>;

// Initial retransmission timeout: uniformly random between ACK_TIMEOUT and
// ACK_TIMEOUT * ACK_RANDOM_FACTOR, in milliseconds. `random` is any 32-bit
// random value (passed in so tests are deterministic).
uint64_t initial_ack_timeout_ms(coap_fixed_point_t ack_timeout, coap_fixed_point_t random_factor,
                                uint32_t random);

// Milliseconds of a fixed-point seconds value.
inline uint64_t fixed_point_ms(coap_fixed_point_t v) {
  return static_cast<uint64_t>(v.integer_part) * 1000u + v.fractional_part;
}

}  // namespace coap
