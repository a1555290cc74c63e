#include "core/mcast.h"

#include "core/context.h"
#include "core/messaging.h"
#include "core/session_manager.h"
#include "runtime/log.h"
#include "runtime/prng.h"
#include "util/container_of.h"
#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

McastPolicy mcast_policy(const coap_context_t *ctx, const coap_resource_t *r) {
  McastPolicy p;
  p.active = true;
  // Without coap_mcast_per_resource() every resource gets the defaults.
  if (!ctx->mcast_per_resource || !r) return p;
  p.delay = !(r->flags & COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_DELAYS);
  p.suppress_empty_205 = r->flags & COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_05;
  p.suppress_2xx = r->flags & COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_XX;
  p.suppress_4xx = !(r->flags & COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_4_XX);
  p.suppress_5xx = !(r->flags & COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_5_XX);
  return p;
}

bool mcast_allowed(const coap_context_t *ctx, const coap_resource_t *r) {
  if (!ctx->mcast_per_resource || !r) return true;
  return r->flags & COAP_RESOURCE_FLAGS_HAS_MCAST_SUPPORT;
}

bool mcast_suppressed(const McastPolicy &p, const coap_pdu_t *response) {
  if (!p.active) return false;
  switch (response->code >> 5) {
    case 2:
      if (p.suppress_2xx) return true;
      return p.suppress_empty_205 && response->code == COAP_RESPONSE_CODE_CONTENT &&
             !response->has_payload();
    case 4:
      return p.suppress_4xx;
    case 5:
      return p.suppress_5xx;
    default:
      return false;
  }
}

namespace {

void destroy_reply(coap_context_t *ctx, DelayedReply *d) {
  ctx->delayed_replies.remove(d);
  ctx->timers.cancel(&d->timer);
  coap_pdu_t::destroy(d->pdu);
  release_session(d->session);
  coap::destroy(d);
}

void on_leisure_over(Timer *t, uint64_t now) {
  DelayedReply *d = container_of(t, &DelayedReply::timer);
  coap_context_t *ctx = d->session->context;
  transmit(d->session, d->pdu, now);
  destroy_reply(ctx, d);
}

}  // namespace

void send_after_leisure(coap_session_t *s, coap_pdu_t *response, uint64_t now) {
  DelayedReply *d = coap::create<DelayedReply>();
  if (!d) {
    coap_pdu_t::destroy(response);
    return;
  }
  uint64_t leisure = fixed_point_ms(s->params->default_leisure);
  uint64_t wait = leisure ? prng::next_u32() % leisure : 0;
  d->session = s;
  d->pdu = response;
  d->timer.fire = on_leisure_over;
  reference_session(s);
  s->context->delayed_replies.push_back(d);
  s->context->timers.schedule(&d->timer, now + wait);
  LOGD("multicast response delayed by %llu ms\n", static_cast<unsigned long long>(wait));
}

void drop_delayed_replies(coap_context_t *ctx) {
  ctx->delayed_replies.for_each([ctx](DelayedReply *d) { destroy_reply(ctx, d); });
}

}  // namespace coap
