#include "core/session_manager.h"

#include "core/channel.h"
#include "core/context.h"
#include "core/dtls.h"
#include "core/messaging.h"
#include "core/observe.h"
#include "core/stream.h"
#include "runtime/log.h"
#include "wire/address.h"
#include "wire/pdu.h"

namespace coap {

namespace {

constexpr uint64_t kDefaultSessionTimeoutMs = 300 * 1000;

bool is_idle(const coap_session_t *s) {
  return s->ref == 0 && s->pending.empty() && s->delayed.empty();
}

// One timer per session covers both idle expiry of server sessions and
// keepalive pings (coap_context_set_keepalive()).
void on_house_timer(Timer *t, uint64_t now) {
  coap_session_t *s = container_of(t, &coap_session_t::house_timer);
  coap_context_t *ctx = s->context;
  if (s->type == COAP_SESSION_TYPE_SERVER) {
    uint64_t timeout = session_timeout_ms(ctx);
    if (now >= s->last_activity + timeout && is_idle(s)) {
      LOGD("session %p: idle for %llu ms, removed\n", static_cast<void *>(s),
           static_cast<unsigned long long>(now - s->last_activity));
      free_session(s);
      return;
    }
  }
  uint64_t keepalive = ctx->ping_timeout * 1000ull;
  if (keepalive && s->keepalive_mid == COAP_INVALID_MID && now >= s->last_activity + keepalive &&
      !s->reliable()) {
    // Quiet for too long: an empty CON ping solicits a RST (RFC 7252
    // section 4.3), keeping NAT bindings alive and proving the peer is up.
    coap_pdu_t *ping = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, s->next_mid(), 0);
    if (ping) {
      s->keepalive_mid = ping->mid;
      send_pdu(s, ping, now);
    }
  }
  schedule_housekeeping(s, now);
}

}  // namespace

// Enforces coap_context_set_max_idle_sessions() before a new session is
// added: the least recently used idle session makes room.
void make_room_for_session(coap_endpoint_t *ep) {
  unsigned limit = ep->context->max_idle_sessions;
  if (limit == 0) return;
  unsigned idle = 0;
  coap_session_t *oldest_idle = nullptr;
  ep->sessions.for_each([&](coap_session_t *s) {
    if (is_idle(s)) {
      ++idle;
      if (!oldest_idle) oldest_idle = s;
    }
  });
  if (idle >= limit && oldest_idle) {
    LOGD("max idle sessions (%u) reached: removing the least recently used\n", limit);
    free_session(oldest_idle);
  }
}

void schedule_housekeeping(coap_session_t *s, uint64_t now) {
  coap_context_t *ctx = s->context;
  uint64_t due = UINT64_MAX;
  if (s->type == COAP_SESSION_TYPE_SERVER) {
    uint64_t expiry = s->last_activity + session_timeout_ms(ctx);
    due = expiry > now ? expiry : now + session_timeout_ms(ctx);
  }
  if (ctx->ping_timeout && !s->reliable()) {
    uint64_t ping = s->last_activity + ctx->ping_timeout * 1000ull;
    if (ping <= now) ping = now + ctx->ping_timeout * 1000ull;
    if (ping < due) due = ping;
  }
  s->house_timer.fire = on_house_timer;
  if (due == UINT64_MAX) {
    ctx->timers.cancel(&s->house_timer);
  } else {
    ctx->timers.schedule(&s->house_timer, due);
  }
  // Stream sessions: CSM wait and RFC 8323 keepalive (core/channel.h).
  if (s->channel) channel_housekeeping(s, now);
}

uint64_t session_timeout_ms(const coap_context_t *context) {
  return context->session_timeout ? context->session_timeout * 1000ull : kDefaultSessionTimeoutMs;
}

coap_session_t *server_session_for(coap_endpoint_t *ep, const coap_addr_tuple_t &addrs, int ifindex,
                                   uint64_t now) {
  if (coap_session_t *s = ep->find_session(addrs.remote)) {
    s->ifindex = ifindex;
    if (!wire::addresses_equal(s->addr_info.local, addrs.local)) {
      s->addr_info.local = addrs.local;
      s->local_is_group = coap_is_mcast(&addrs.local) != 0;
    }
    return s;
  }
  make_room_for_session(ep);
  coap_session_t *s = coap_session_t::create(ep->context, COAP_SESSION_TYPE_SERVER, ep->proto);
  if (!s) return nullptr;
  s->endpoint = ep;
  s->addr_info = addrs;
  s->local_is_group = coap_is_mcast(&addrs.local) != 0;
  s->ifindex = ifindex;
  s->mtu = ep->default_mtu;
  s->state = COAP_SESSION_STATE_ESTABLISHED;
  s->last_activity = now;
  ep->add_session(s);
  schedule_housekeeping(s, now);
  ep->context->notify(s, COAP_EVENT_SERVER_SESSION_NEW);
  return s;
}

coap_session_t *new_client_session(coap_context_t *ctx, const coap_address_t *local_if,
                                   const coap_address_t &server, coap_proto_t proto, uint64_t now) {
  coap_session_t *s = coap_session_t::create(ctx, COAP_SESSION_TYPE_CLIENT, proto);
  if (!s) return nullptr;
  s->addr_info.remote = server;
  if (local_if) {
    s->addr_info.local = *local_if;
  } else {
    coap_address_init(&s->addr_info.local);
  }
  s->ref = 1;
  s->last_activity = now;
  s->is_mcast = coap_is_mcast(&server) != 0;
  if (s->is_mcast) {
    coap::SessionParams *p = s->own_params();
    if (!p) {
      coap_session_t::destroy(s);
      return nullptr;
    }
    p->mcast_addr = server;
  }
  if (s->reliable()) {
    // Stream transports connect first (core/stream.h): CONNECTING.
    if (!stream::open_client(s, now)) {
      coap_session_t::destroy(s);
      return nullptr;
    }
  } else if (!ctx->io || !ctx->io->open_client(s)) {
    coap_session_t::destroy(s);
    return nullptr;
  } else if (s->proto == COAP_PROTO_DTLS) {
    // DTLS: HANDSHAKE until the engine (secure::start_client()) connects.
    if (!dtls::open_client(s, now)) {
      ctx->io->close_client(s);
      coap_session_t::destroy(s);
      return nullptr;
    }
  } else {
    s->state = COAP_SESSION_STATE_ESTABLISHED;
  }
  ctx->client_sessions.push_back(s);
  schedule_housekeeping(s, now);
  return s;
}

void reference_session(coap_session_t *s) {
  ++s->ref;
}

void release_session(coap_session_t *s) {
  if (s->ref > 0) --s->ref;
  if (s->ref == 0 && s->type == COAP_SESSION_TYPE_CLIENT) free_session(s);
}

void free_session(coap_session_t *s) {
  coap_context_t *ctx = s->context;
  // Subscriptions go; a client's observations are cancelled unless
  // no_observe_cancel (core/observe.h).
  observe::session_closing(s);
  // Stream sessions: the connection ends quietly with the session. (D)TLS
  // says close_notify; a DTLS server session reports SERVER_SESSION_DEL
  // before COAP_EVENT_DTLS_CLOSED, as libcoap does.
  bool server = s->type == COAP_SESSION_TYPE_SERVER && s->endpoint;
  bool del_first = server && s->proto == COAP_PROTO_DTLS;
  if (s->channel && !del_first) channel_session_freeing(s);
  if (server) {
    ctx->notify(s, COAP_EVENT_SERVER_SESSION_DEL);
    if (s->channel && del_first) channel_session_freeing(s);
    s->endpoint->remove_session(s);
  } else if (s->link.linked()) {
    ctx->client_sessions.remove(s);
  }
  if (s->type == COAP_SESSION_TYPE_CLIENT && ctx->io) ctx->io->close_client(s);
  coap_session_t::destroy(s);
}

void touch_session(coap_session_t *s, uint64_t now) {
  s->last_activity = now;
  if (s->endpoint && s->type == COAP_SESSION_TYPE_SERVER) {
    // Most recently used sessions live at the back of the endpoint list.
    s->endpoint->sessions.remove(s);
    s->endpoint->sessions.push_back(s);
  }
}

}  // namespace coap
