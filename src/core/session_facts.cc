// Session properties for the block helpers and the PDU formatter.
#include "core/session_facts.h"

#include "core/reliable.h"
#include "core/session.h"

namespace coap {

bool session_uses_bert(const coap_session_t *session) {
  // A reliable transport on which both CSMs offered BERT (RFC 8323
  // section 6); never without a session, as in libcoap.
  return reliable::uses_bert(session);
}

coap_proto_t session_proto(const coap_session_t *session) {
  return session ? session->proto : COAP_PROTO_NONE;
}

}  // namespace coap
