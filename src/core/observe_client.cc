// Client side of Observe: which registrations to cancel when a session
// goes away (see observe.h). In libcoap 4.3.5 the observation itself lives
// in the block-wise receive state (lg_crcv), so cancelling goes through
// blockwise::cancel_observe(), which rebuilds the registering request with
// Observe=1 (same token, options, Request-Tag and body).
#include <cstring>

#include "core/blockwise.h"
#include "core/context.h"
#include "core/observe.h"
#include "core/observe_registry.h"
#include "core/observe_util.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

namespace {

using observe_detail::TokenKey;

TokenKey key_of(const coap_session_t *s, const uint8_t *token, size_t length) {
  return TokenKey{nullptr, s, token, length};
}

ClientObservation *find(ObserveRegistry *reg, const coap_session_t *s, const uint8_t *token,
                        size_t length) {
  auto it = reg->client_by_token.find(key_of(s, token, length));
  return it == reg->client_by_token.end() ? nullptr : it->second;
}

void forget(ObserveRegistry *reg, ClientObservation *o) {
  reg->client_by_token.erase(key_of(o->session, o->token, o->token_length));
  o->session->observations.remove(o);
  coap::deallocate(o->token);
  coap::destroy(o);
}

void remember(ObserveRegistry *reg, coap_session_t *s, const uint8_t *token, size_t length) {
  if (find(reg, s, token, length)) return;
  ClientObservation *o = coap::create<ClientObservation>();
  if (!o) return;
  o->token = static_cast<uint8_t *>(coap::allocate(length ? length : 1));
  if (!o->token) {
    coap::destroy(o);
    return;
  }
  if (length) std::memcpy(o->token, token, length);
  o->token_length = length;
  o->session = s;
  s->observations.push_back(o);
  reg->client_by_token[key_of(s, o->token, length)] = o;
}

bool observe_value(const coap_pdu_t *pdu, unsigned *value) {
  coap_opt_iterator_t it;
  coap_opt_t *opt = coap_check_option(pdu, COAP_OPTION_OBSERVE, &it);
  if (!opt) return false;
  *value = coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
  return true;
}

}  // namespace

namespace observe_util {

void close_client_observations(ObserveRegistry *reg, coap_session_t *s) {
  while (ClientObservation *o = s->observations.front()) {
    if (!s->no_observe_cancel) {
      // The server would otherwise keep notifying a socket that is gone
      // (libcoap sends this as NON). Nothing is sent when the observation
      // already ended.
      coap_binary_t token{o->token_length, o->token};
      if (blockwise::cancel_observe(s, &token, COAP_MESSAGE_NON, s->last_activity)) {
        LOGD("observe: cancelled an observation as its session closes\n");
      }
    }
    forget(reg, o);
  }
}

}  // namespace observe_util

namespace observe {

void client_on_send(coap_session_t *s, const coap_pdu_t *pdu) {
  // Observations are followed only in block mode (COAP_BLOCK_USE_LIBCOAP),
  // where libcoap keeps its receive state.
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP) || !is_request_code(pdu->code)) return;
  unsigned action;
  if (!observe_value(pdu, &action)) return;
  ObserveRegistry *reg = ObserveRegistry::of(s->context);
  if (!reg) return;
  if (action == COAP_OBSERVE_ESTABLISH) {
    remember(reg, s, pdu->token(), pdu->token_length());
  } else if (action == COAP_OBSERVE_CANCEL) {
    // The application deregisters by itself: nothing left to cancel.
    if (ClientObservation *o = find(reg, s, pdu->token(), pdu->token_length())) forget(reg, o);
  }
}

void client_on_response(coap_session_t *s, const coap_pdu_t *response) {
  ObserveRegistry *reg = s->context->observe;
  if (!reg || reg->client_by_token.empty()) return;
  ClientObservation *o = find(reg, s, response->token(), response->token_length());
  unsigned seq;
  // No Observe option: the server did not (or no longer does) register us
  // (RFC 7641 sections 3.1 and 3.2).
  if (o && !observe_value(response, &seq)) forget(reg, o);
}

int cancel(coap_session_t *s, const uint8_t *token, size_t length, coap_pdu_type_t type,
           uint64_t now) {
  if (ObserveRegistry *reg = s->context->observe) {
    if (ClientObservation *o = find(reg, s, token, length)) forget(reg, o);
  }
  // libcoap 4.3.5 cancels only observations its block-wise state follows
  // (COAP_BLOCK_USE_LIBCOAP); otherwise this fails.
  coap_binary_t t{length, const_cast<uint8_t *>(token)};
  return blockwise::cancel_observe(s, token ? &t : nullptr, type, now) ? 1 : 0;
}

}  // namespace observe
}  // namespace coap
