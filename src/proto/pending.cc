#include "proto/pending.h"

#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

PendingMessage *PendingMessage::create(coap_session_t *session, coap_pdu_t *pdu) {
  PendingMessage *m = coap::create<PendingMessage>();
  if (!m) return nullptr;
  m->session = session;
  m->pdu = pdu;
  m->mid = pdu->mid;
  return m;
}

void PendingMessage::destroy(PendingMessage *m) {
  if (!m) return;
  coap_pdu_t::destroy(m->pdu);
  coap::destroy(m);
}

uint64_t initial_ack_timeout_ms(coap_fixed_point_t ack_timeout, coap_fixed_point_t random_factor,
                                uint32_t random) {
  uint64_t base = fixed_point_ms(ack_timeout);
  uint64_t factor = fixed_point_ms(random_factor);  // in thousandths
  if (factor <= 1000) return base;
  uint64_t spread = base * (factor - 1000) / 1000;  // extra ms at most
  return base + (spread ? random % (spread + 1) : 0);
}

}  // namespace coap
