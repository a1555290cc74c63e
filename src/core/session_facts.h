// The few session properties that message-level helpers depend on, asked
// through functions so that wire/ code and the C shims need not know the
// session's layout.
#pragma once

#include "coap3/coap.h"

namespace coap {

// True when blocks on this session may use BERT (SZX 7, RFC 8323 section 6):
// a reliable transport on which both peers announced the Block-Wise-Transfer
// capability in their CSM. False for NULL, as libcoap treats a missing
// session as one without BERT.
bool session_uses_bert(const coap_session_t *session);

// The session's protocol (COAP_PROTO_NONE for NULL).
coap_proto_t session_proto(const coap_session_t *session);

}  // namespace coap
