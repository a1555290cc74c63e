#include "core/async.h"

#include <cstring>

#include "core/context.h"
#include "core/exchange.h"
#include "core/messaging.h"
#include "core/pdu_copy.h"
#include "core/session_manager.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

namespace {

// Unlinks and frees; the caller deals with the session reference.
void destroy_async(coap_async_t *a) {
  coap_context_t *ctx = a->session->context;
  ctx->timers.cancel(&a->timer);
  ctx->async_states.remove(a);
  coap_pdu_t::destroy(a->pdu);
  coap::destroy(a);
}

// The delay ran out: the handler gets the saved request once more and its
// response goes out as a separate one. The registration ends afterwards
// whatever the handler did, as in libcoap.
void on_due(Timer *t, uint64_t now) {
  coap_async_t *a = container_of(t, &coap_async_t::timer);
  coap_session_t *s = a->session;
  LOGD("async %p: answering the saved request\n", static_cast<void *>(a));
  a->firing = true;
  handle_request(s, a->pdu, now);
  a->firing = false;
  free_async(a);
}

void schedule(coap_async_t *a, uint64_t now) {
  coap_context_t *ctx = a->session->context;
  if (a->due == 0 || a->firing) {
    ctx->timers.cancel(&a->timer);
  } else {
    ctx->timers.schedule(&a->timer, a->due > now ? a->due : now);
  }
}

}  // namespace

coap_async_t *register_async(coap_session_t *s, const coap_pdu_t *request, uint64_t delay,
                             uint64_t now) {
  if (!is_request_code(request->code)) {
    LOGD("coap_register_async: the PDU is not a request\n");
    return nullptr;
  }
  if (find_async(s, request->token(), request->token_length())) {
    LOGD("coap_register_async: this token is already registered\n");
    return nullptr;
  }
  coap_async_t *a = coap::create<coap_async_t>();
  if (!a) return nullptr;
  // The copy takes the next message id now: the separate response uses it.
  a->pdu = duplicate_pdu(request, s, request->token(), request->token_length(), nullptr);
  if (!a->pdu) {
    LOGW("coap_register_async: out of memory\n");
    coap::destroy(a);
    return nullptr;
  }
  // The body as the handler saw it (block-wise reassembled, if it was). A
  // body too big for the copy is left out, as libcoap does.
  size_t length = 0;
  const uint8_t *data = nullptr;
  if (coap_get_data(request, &length, &data) && length && !coap_add_data(a->pdu, length, data)) {
    LOGW("coap_register_async: the request body does not fit the saved copy\n");
  }
  a->session = s;
  a->timer.fire = on_due;
  reference_session(s);
  s->context->async_states.push_front(a);
  set_async_delay(a, delay, now);
  return a;
}

void set_async_delay(coap_async_t *a, uint64_t delay, uint64_t now) {
  if (delay) {
    a->due = now + delay;
    LOGD("async %p: answering in %llu ms\n", static_cast<void *>(a),
         static_cast<unsigned long long>(delay));
  } else {
    a->due = 0;
    LOGD("async %p: waiting for a trigger\n", static_cast<void *>(a));
  }
  schedule(a, now);
}

void trigger_async(coap_async_t *a, uint64_t now) {
  // Tick 0 would read as "wait for a trigger".
  a->due = now ? now : 1;
  LOGD("async %p: triggered\n", static_cast<void *>(a));
  schedule(a, now);
}

coap_async_t *find_async(const coap_session_t *s, const uint8_t *token, size_t length) {
  coap_async_t *found = nullptr;
  s->context->async_states.for_each([&](coap_async_t *a) {
    if (!found && a->session == s && a->pdu->token_length() == length &&
        (length == 0 || std::memcmp(a->pdu->token(), token, length) == 0)) {
      found = a;
    }
  });
  return found;
}

void free_async(coap_async_t *a) {
  if (a->firing) {
    // Called from the handler it is being answered through: it ends when
    // the handler returns.
    return;
  }
  coap_session_t *s = a->session;
  destroy_async(a);
  release_session(s);
}

bool async_answering(const coap_session_t *s, const coap_pdu_t *request) {
  bool found = false;
  s->context->async_states.for_each([&](coap_async_t *a) {
    if (a->firing && a->pdu == request) found = true;
  });
  return found;
}

bool async_absorbs(coap_session_t *s, const coap_pdu_t *request, uint64_t now) {
  if (s->context->async_states.empty()) return false;
  coap_async_t *a = find_async(s, request->token(), request->token_length());
  if (!a || a->firing) return false;
  // Once due, a request with the token is handled like any other.
  if (a->due != 0 && a->due <= now) return false;
  LOGD("async %p: request repeated while the answer is pending\n", static_cast<void *>(a));
  // Reliable transports have no ACK messages.
  if (request->type == COAP_MESSAGE_CON && !s->reliable()) {
    send_empty(s, COAP_MESSAGE_ACK, request->mid, now);
  }
  return true;
}

void free_all_async(coap_context_t *ctx) {
  ctx->async_states.for_each([](coap_async_t *a) {
    a->firing = false;
    free_async(a);
  });
}

void drop_session_async(coap_session_t *s) {
  if (!s->context) return;
  s->context->async_states.for_each([s](coap_async_t *a) {
    if (a->session == s) destroy_async(a);
  });
}

}  // namespace coap
