// Session properties for the block helpers.
//
// To be completed when sessions and the CSM exchange land: BERT will then be
// "reliable protocol and Block-Wise-Transfer announced by both sides in CSM".
// Until then the answer below is the correct one for every session the
// library can have: without a CSM exchange no peer has agreed to BERT, and a
// NULL session never uses it (libcoap 4.3.5 behaves the same way).
#include "core/session_facts.h"

namespace coap {

bool session_uses_bert(const coap_session_t *session) {
  (void)session;
  return false;
}

}  // namespace coap
