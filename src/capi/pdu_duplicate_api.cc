// coap_pdu_duplicate() (coap_pdu.h); the copying rules are in
// core/pdu_copy.h.
#include "capi/api_lock.h"
#include "core/pdu_copy.h"
#include "runtime/log.h"
#include "wire/pdu.h"

extern "C" {

coap_pdu_t *coap_pdu_duplicate(const coap_pdu_t *old_pdu, coap_session_t *session,
                               size_t token_length, const uint8_t *token,
                               coap_opt_filter_t *drop_options) {
  if (!old_pdu || !session || (token_length && !token)) {
    LOGW("coap_pdu_duplicate: no PDU, session or token\n");
    return nullptr;
  }
  coap::ApiLock lock(session);
  return coap::duplicate_pdu(old_pdu, session, token, token_length, drop_options);
}

}  // extern "C"
