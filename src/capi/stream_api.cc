// The wait for a new stream client session (capi/stream_wait.h).
#include "capi/stream_wait.h"

#include "core/context.h"
#include "core/session_manager.h"
#include "runtime/clock.h"
#include "transport/event_loop.h"

namespace coap {

namespace {

constexpr uint64_t kMaxWaitMs = 5000;  // libcoap's limit for the first exchange

bool setting_up(const coap_session_t *s) {
  // TLS sessions pass through HANDSHAKE between the two (core/secure.h).
  return s->state == COAP_SESSION_STATE_CONNECTING || s->state == COAP_SESSION_STATE_HANDSHAKE ||
         s->state == COAP_SESSION_STATE_CSM;
}

}  // namespace

void wait_until_connected(coap_session_t *s) {
  if (!s || s->type != COAP_SESSION_TYPE_CLIENT || !s->reliable() || !setting_up(s)) return;
  coap_context_t *ctx = s->context;
  if (!ctx || !ctx->loop || ctx->loop->busy()) return;
  uint64_t start = clock::ticks_ms();
  reference_session(s);
  for (;;) {
    uint64_t now = clock::ticks_ms();
    if (!setting_up(s) || now >= start + kMaxWaitMs) break;
    uint64_t left = start + kMaxWaitMs - now;
    if (ctx->loop->process(static_cast<uint32_t>(left < 100 ? left : 100), 0, nullptr, nullptr,
                           nullptr) < 0) {
      break;
    }
  }
  release_session(s);
}

}  // namespace coap
