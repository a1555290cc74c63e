// coap_async.h: separate responses. The logic lives in core/async.h; this
// checks arguments and supplies the time. In a build without
// COAP_ASYNC_SUPPORT every call reports "unsupported" the way libcoap's
// does: nothing is registered or found.
#include "capi/api_lock.h"
#include "core/async.h"
#include "runtime/clock.h"
#include "runtime/features.h"
#include "runtime/log.h"
#include "wire/pdu.h"

using coap::ApiLock;

namespace {
constexpr bool kOn = coap::features::kAsync;
}

extern "C" {

coap_async_t *coap_register_async(coap_session_t *session, const coap_pdu_t *request,
                                  coap_tick_t delay) {
  if (!kOn) return nullptr;
  if (!session || !request || !session->context) {
    LOGW("coap_register_async: no session or request\n");
    return nullptr;
  }
  ApiLock lock(session);
  return coap::register_async(session, request, delay, lock.now());
}

void coap_async_set_delay(coap_async_t *async, coap_tick_t delay) {
  if (!kOn || !async) return;
  ApiLock lock(async->session);
  coap::set_async_delay(async, delay, lock.now());
}

void coap_async_trigger(coap_async_t *async) {
  if (!kOn || !async) return;
  ApiLock lock(async->session);
  coap::trigger_async(async, lock.now());
}

void coap_free_async(coap_session_t *session, coap_async_t *async) {
  // The registration knows its session; `session` only has to agree.
  if (!kOn || !async) return;
  if (session && session != async->session) {
    LOGW("coap_free_async: the async belongs to another session\n");
    return;
  }
  coap_context_t *ctx = async->session->context;
  ApiLock lock(ctx);
  coap::free_async(async);
}

coap_async_t *coap_find_async(coap_session_t *session, coap_bin_const_t token) {
  if (!kOn || !session || !session->context || (token.length && !token.s)) return nullptr;
  ApiLock lock(session);
  return coap::find_async(session, token.s, token.length);
}

void coap_async_set_app_data(coap_async_t *async, void *app_data) {
  if (kOn && async) async->app_data = app_data;
}

void *coap_async_get_app_data(const coap_async_t *async) {
  return kOn && async ? async->app_data : nullptr;
}

}  // extern "C"
