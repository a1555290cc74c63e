// Client side of an exchange: responses, resets and failures are handed to
// the application's handlers.
#include "core/blockwise.h"
#include "core/context.h"
#include "core/exchange.h"
#include "core/messaging.h"
#include "core/observe.h"
#include "runtime/log.h"
#include "wire/pdu.h"

namespace coap {

void handle_response(coap_session_t *s, coap_pdu_t *sent, coap_pdu_t *response, uint64_t now) {
  coap_context_t *ctx = s->context;
  // Block-wise transfers (core/blockwise.h) may take the response (next
  // block requested) or rewrite it (original token, whole body).
  if (blockwise::client_response(s, sent, response, now)) return;
  // Observe (core/observe.h): a response without Observe ends the tracking
  // of a registration.
  observe::client_on_response(s, response);
  coap_response_t verdict = COAP_RESPONSE_OK;
  if (ctx->response_handler) {
    verdict = ctx->response_handler(s, sent, response, response->mid);
  }
  // A confirmable response is acknowledged, or rejected when the
  // application did not want it; a rejected NON gets a RST too.
  if (response->type == COAP_MESSAGE_CON) {
    send_empty(s, verdict == COAP_RESPONSE_OK ? COAP_MESSAGE_ACK : COAP_MESSAGE_RST, response->mid,
               now);
  } else if (response->type == COAP_MESSAGE_NON && verdict != COAP_RESPONSE_OK) {
    send_empty(s, COAP_MESSAGE_RST, response->mid, now);
  }
}

void handle_reset(coap_session_t *s, coap_pdu_t *sent, coap_mid_t mid, uint64_t now) {
  (void)now;
  coap_context_t *ctx = s->context;
  LOGD("mid 0x%04x: reset by the peer\n", static_cast<unsigned>(mid));
  if (mid == s->keepalive_mid) s->keepalive_mid = COAP_INVALID_MID;
  if (sent) blockwise::client_failed(s, sent);  // the application's token back into sent
  // Observe (core/observe.h): a RST to a notification ends that observation.
  observe::on_reset(s, sent, mid);
  if (sent && ctx->nack_handler) ctx->nack_handler(s, sent, COAP_NACK_RST, mid);
  // libcoap reports a RST that matches nothing pending too, without a PDU.
  if (!sent && ctx->nack_handler) ctx->nack_handler(s, nullptr, COAP_NACK_RST, mid);
  // A RST answering a ping is how the peer says it is alive.
  if (sent && sent->code == COAP_EMPTY_CODE && ctx->pong_handler) {
    ctx->pong_handler(s, sent, mid);
  }
}

void exchange_failed(coap_session_t *s, coap_pdu_t *sent, coap_nack_reason_t reason, coap_mid_t mid,
                     uint64_t now) {
  (void)now;
  coap_context_t *ctx = s->context;
  if (mid == s->keepalive_mid) {
    // Our keepalive ping went unanswered.
    s->keepalive_mid = COAP_INVALID_MID;
    ctx->notify(s, COAP_EVENT_KEEPALIVE_FAILURE);
    return;
  }
  blockwise::client_failed(s, sent);  // the application's token back into sent
  // Observe (core/observe.h): an unacknowledged CON notification ends the
  // observation.
  observe::on_failed(s, sent);
  if (ctx->nack_handler) ctx->nack_handler(s, sent, reason, mid);
}

}  // namespace coap
