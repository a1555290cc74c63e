// coap_net.h (messaging part): sending PDUs and the canned replies.
#include "capi/api_lock.h"
#include "capi/stream_wait.h"
#include "core/blockwise.h"
#include "core/context.h"
#include "core/exchange.h"
#include "core/messaging.h"
#include "core/observe.h"
#include "runtime/clock.h"
#include "runtime/log.h"
#include "wire/pdu.h"

using coap::ApiLock;

extern "C" {

coap_pdu_t *coap_new_pdu(coap_pdu_type_t type, coap_pdu_code_t code, coap_session_t *session) {
  if (!session) return nullptr;
  coap_pdu_t *pdu =
      coap_pdu_init(type, code, coap_new_message_id(session), coap_session_max_pdu_size(session));
  if (pdu) pdu->session = session;
  return pdu;
}

coap_mid_t coap_send(coap_session_t *session, coap_pdu_t *pdu) {
  if (!pdu) return COAP_INVALID_MID;
  if (!session) {
    coap_pdu_t::destroy(pdu);
    return COAP_INVALID_MID;
  }
  ApiLock lock(session);
  // A new stream client session sends once its CSM exchange is done; as in
  // libcoap, the first send waits for that (capi/stream_wait.h).
  coap::wait_until_connected(session);
  // The PDU may have been sized for another transport: its header room
  // always fits any framing, only the limit changes.
  // In block mode requests go through the block-wise engine (Request-Tag,
  // following Block2 responses); otherwise straight to the message layer.
  // Observe registrations are noted for cancelling at session close
  // (core/observe.h).
  coap::observe::client_on_send(session, pdu);
  return coap::blockwise::send(session, pdu, lock.now());
}

coap_mid_t coap_send_ack(coap_session_t *session, const coap_pdu_t *request) {
  return coap_send_message_type(session, request, COAP_MESSAGE_ACK);
}

coap_mid_t coap_send_rst(coap_session_t *session, const coap_pdu_t *request) {
  return coap_send_message_type(session, request, COAP_MESSAGE_RST);
}

coap_mid_t coap_send_message_type(coap_session_t *session, const coap_pdu_t *request,
                                  coap_pdu_type_t type) {
  if (!session || !request) return COAP_INVALID_MID;
  // Only acknowledgements and resets of received messages make sense.
  if (type != COAP_MESSAGE_ACK && type != COAP_MESSAGE_RST) return COAP_INVALID_MID;
  if (type == COAP_MESSAGE_ACK && request->type != COAP_MESSAGE_CON) return COAP_INVALID_MID;
  ApiLock lock(session);
  coap::send_empty(session, type, request->mid, lock.now());
  return request->mid;
}

coap_pdu_t *coap_new_error_response(const coap_pdu_t *request, coap_pdu_code_t code,
                                    coap_opt_filter_t *opts) {
  if (!request) return nullptr;
  return coap::make_error_response(request, code, opts, 0);
}

coap_mid_t coap_send_error(coap_session_t *session, const coap_pdu_t *request, coap_pdu_code_t code,
                           coap_opt_filter_t *opts) {
  if (!session || !request) return COAP_INVALID_MID;
  coap_pdu_t *response = coap_new_error_response(request, code, opts);
  if (!response) return COAP_INVALID_MID;
  return coap_send(session, response);
}

}  // extern "C"
