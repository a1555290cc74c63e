#include "core/dtls.h"

#include <cstring>

#include "core/context.h"
#include "core/messaging.h"
#include "core/secure.h"
#include "core/session_manager.h"
#include "runtime/log.h"
#include "util/container_of.h"
#include "wire/pdu.h"

namespace coap {

namespace {

// Keeps a session alive across a call that may end its connection; a
// server session whose DTLS connection ended is freed when the last Hold
// goes and the application holds no reference (as libcoap does at once).
class Hold {
 public:
  explicit Hold(coap_session_t *s) : s_(s) { reference_session(s); }
  ~Hold() {
    DtlsEnd *end = dtls::end_of(s_);
    bool reap = end && end->reap && s_->type == COAP_SESSION_TYPE_SERVER;
    release_session(s_);  // may free a client session the application let go
    if (reap && s_->ref == 0) free_session(s_);
  }
  Hold(const Hold &) = delete;
  Hold &operator=(const Hold &) = delete;

 private:
  coap_session_t *s_;
};

// What the cookie of a peer is bound to: family, port and address.
size_t peer_identity(const coap_address_t &a, uint8_t *out, size_t size) {
  size_t n = 0;
  auto put = [&](const void *p, size_t len) {
    if (n + len <= size) std::memcpy(out + n, p, len);
    n += len;
  };
  uint8_t family = static_cast<uint8_t>(a.addr.sa.sa_family);
  put(&family, 1);
  if (a.addr.sa.sa_family == AF_INET) {
    put(&a.addr.sin.sin_port, sizeof(a.addr.sin.sin_port));
    put(&a.addr.sin.sin_addr, sizeof(a.addr.sin.sin_addr));
  } else if (a.addr.sa.sa_family == AF_INET6) {
    put(&a.addr.sin6.sin6_port, sizeof(a.addr.sin6.sin6_port));
    put(&a.addr.sin6.sin6_addr, sizeof(a.addr.sin6.sin6_addr));
    put(&a.addr.sin6.sin6_scope_id, sizeof(a.addr.sin6.sin6_scope_id));
  } else if (a.addr.sa.sa_family == AF_UNIX) {
    size_t len = strnlen(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path));
    put(a.addr.cun.sun_path, len);
  }
  return n <= size ? n : size;
}

// The channel of a DTLS session: DtlsEnd -> SecureLayer -> DatagramLink.
DtlsEnd *build_stack(coap_session_t *s, tls::Role role) {
  DatagramLink *link = create<DatagramLink>(s);
  SecureLayer *secure = create<SecureLayer>(s, tls::Kind::kDtls, role);
  DtlsEnd *top = create<DtlsEnd>(s);
  if (!link || !secure || !top) {
    destroy(link);
    destroy(secure);
    destroy(top);
    LOGE("%s: out of memory\n", coap_session_str(s));
    return nullptr;
  }
  secure->stack_on(link);
  top->stack_on(secure);
  return top;
}

// Sends a HelloVerifyRequest to a peer that has no session: a stand-in
// session on the stack carries the addressing the PacketIo needs.
void reply_without_session(coap_context_t *ctx, coap_endpoint_t *ep, const coap_addr_tuple_t &addrs,
                           int ifindex, const uint8_t *data, size_t length) {
  if (!ctx->io) return;
  coap_session_t stand_in;
  stand_in.type = COAP_SESSION_TYPE_SERVER;
  stand_in.proto = COAP_PROTO_DTLS;
  stand_in.endpoint = ep;
  stand_in.addr_info = addrs;
  stand_in.ifindex = ifindex;
  ctx->io->send(&stand_in, data, length);
}

// coap_context_set_max_handshake_sessions(): the least recently active
// server session still in its handshake goes when the limit is reached.
void limit_handshakes(coap_context_t *ctx) {
  unsigned limit = ctx->max_handshake_sessions;
  if (!limit) return;
  unsigned count = 0;
  coap_session_t *oldest = nullptr;
  ctx->endpoints.for_each([&](coap_endpoint_t *ep) {
    ep->sessions.for_each([&](coap_session_t *s) {
      if (s->proto != COAP_PROTO_DTLS || s->state != COAP_SESSION_STATE_HANDSHAKE) return;
      ++count;
      if (!oldest || s->last_activity < oldest->last_activity) oldest = s;
    });
  });
  if (count >= limit && oldest) {
    LOGI("%s: %u sessions in a DTLS handshake (the limit): dropping the oldest\n",
         coap_session_str(oldest), count);
    free_session(oldest);
  }
}

// A ClientHello with a valid cookie from a new peer: its server session.
coap_session_t *new_server_session(tls::Backend *backend, coap_endpoint_t *ep,
                                   const coap_addr_tuple_t &addrs, int ifindex, const uint8_t *peer,
                                   size_t peer_length, uint64_t now) {
  coap_context_t *ctx = ep->context;
  limit_handshakes(ctx);
  make_room_for_session(ep);
  coap_session_t *s = coap_session_t::create(ctx, COAP_SESSION_TYPE_HELLO, COAP_PROTO_DTLS);
  if (!s) return nullptr;
  s->endpoint = ep;
  s->addr_info = addrs;
  s->ifindex = ifindex;
  s->mtu = ep->default_mtu;
  s->tls_overhead = dtls::kDefaultOverhead;
  s->last_activity = now;
  s->channel = build_stack(s, tls::Role::kServer);
  tls::Engine *engine =
      s->channel ? backend->new_server(tls::Kind::kDtls, s, peer, peer_length) : nullptr;
  if (!engine) {
    LOGW("%s: cannot set up the DTLS server side\n", coap_session_str(s));
    coap_session_t::destroy(s);
    return nullptr;
  }
  engine->set_mtu(s->mtu);
  secure::layer_of(s)->set_engine(engine);
  ep->add_session(s);
  schedule_housekeeping(s, now);
  LOGD("%s: new incoming DTLS session\n", coap_session_str(s));
  // libcoap reports the peer while it is only saying hello.
  ctx->notify(s, COAP_EVENT_SERVER_SESSION_NEW);
  s->type = COAP_SESSION_TYPE_SERVER;
  s->state = COAP_SESSION_STATE_HANDSHAKE;
  return s;
}

void feed(coap_session_t *s, const uint8_t *data, size_t length, uint64_t now) {
  Hold hold(s);
  touch_session(s, now);
  bottom_layer(s->channel)->on_input(data, length, now);
}

}  // namespace

// --- DtlsEnd -----------------------------------------------------------------

DtlsEnd::DtlsEnd(coap_session_t *session) : Channel(session) {
  timer_.timer.fire = on_timer_fired;
  timer_.owner = this;
}

DtlsEnd::~DtlsEnd() {
  if (session_->context) session_->context->timers.cancel(&timer_.timer);
  for (coap_pdu_t *pdu : held_) coap_pdu_t::destroy(pdu);
}

bool DtlsEnd::send(const uint8_t *data, size_t length, uint64_t now) {
  return !closed_ && !down && lower_ && lower_->send(data, length, now);
}

bool DtlsEnd::transmit(coap_pdu_t *pdu, uint64_t now) {
  if (down || closed_ || session_->state != COAP_SESSION_STATE_ESTABLISHED) {
    LOGD("%s: DTLS not connected: message not sent\n", coap_session_str(session_));
    return false;
  }
  if (!pdu->write_header(COAP_PROTO_DTLS)) {
    LOGW("cannot encode a message of %zu bytes\n", pdu->used_size());
    return false;
  }
  pdu->session = session_;
  if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
  bool ok = send(pdu->wire_begin(), pdu->wire_size(), now);
  touch_session(session_, now);
  return ok;
}

bool DtlsEnd::hold(coap_pdu_t *pdu) {
  if (down || session_->state == COAP_SESSION_STATE_ESTABLISHED) return false;
  held_.push_back(pdu);
  LOGD("%s: mid 0x%04x held until the DTLS handshake is done\n", coap_session_str(session_),
       static_cast<unsigned>(pdu->mid));
  return true;
}

void DtlsEnd::drop_held(coap_nack_reason_t reason) {
  coap_context_t *ctx = session_->context;
  while (!held_.empty()) {
    coap_pdu_t *pdu = held_.front();
    held_.erase(held_.begin());
    LOGD("%s: mid 0x%04x not sent: no DTLS connection\n", coap_session_str(session_),
         static_cast<unsigned>(pdu->mid));
    if (pdu->type == COAP_MESSAGE_CON && ctx->nack_handler) {
      ctx->nack_handler(session_, pdu, reason, pdu->mid);
    }
    coap_pdu_t::destroy(pdu);
  }
}

void DtlsEnd::on_open(uint64_t now) {
  if (down) return;
  SecureLayer *secure = static_cast<SecureLayer *>(lower_);
  size_t overhead = secure && secure->engine() ? secure->engine()->overhead() : 0;
  if (overhead) session_->tls_overhead = static_cast<unsigned>(overhead);
  if (session_->tls_overhead >= session_->mtu) {
    LOGE("%s: the DTLS overhead exceeds the MTU\n", coap_session_str(session_));
    session_->tls_overhead = session_->mtu;
  }
  session_->state = COAP_SESSION_STATE_ESTABLISHED;
  LOGD("%s: session connected\n", coap_session_str(session_));
  reschedule(now);
  // Held messages go in order; confirmable ones start retransmission now.
  while (!held_.empty() && !down && session_->state == COAP_SESSION_STATE_ESTABLISHED) {
    coap_pdu_t *pdu = held_.front();
    held_.erase(held_.begin());
    send_pdu(session_, pdu, now);
  }
}

void DtlsEnd::on_input(const uint8_t *data, size_t length, uint64_t now) {
  if (down) return;
  coap_context_t *ctx = session_->context;
  coap_pdu_t *pdu = ctx->new_pdu(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0, length);
  if (!pdu) return;
  if (!pdu->parse(COAP_PROTO_DTLS, data, length)) {
    LOGD("%s: received a malformed message of %zu bytes\n", coap_session_str(session_), length);
    ctx->notify(session_, COAP_EVENT_BAD_PACKET);
    // RFC 7252 section 4.2: a malformed CON gets a RST.
    if (length >= 4 && (data[0] >> 6) == 1 && ((data[0] >> 4) & 3) == COAP_MESSAGE_CON) {
      send_empty(session_, COAP_MESSAGE_RST, (data[2] << 8) | data[3], now);
    }
    coap_pdu_t::destroy(pdu);
    return;
  }
  pdu->session = session_;
  if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
  handle_pdu(session_, pdu, now);
}

void DtlsEnd::on_down(ChannelDown why, const char *detail, uint64_t now) {
  (void)why;
  if (down) return;
  down = true;
  coap_context_t *ctx = session_->context;
  // libcoap's order: held and outstanding confirmable messages are nacked
  // first, then the session is NONE and COAP_EVENT_DTLS_CLOSED follows.
  drop_held(COAP_NACK_TLS_FAILED);
  while (PendingMessage *m = session_->pending.front()) {
    session_->pending.remove(m);
    ctx->timers.cancel(&m->timer);
    if (ctx->nack_handler) ctx->nack_handler(session_, m->pdu, COAP_NACK_TLS_FAILED, m->mid);
    PendingMessage::destroy(m);
  }
  while (PendingMessage *m = session_->delayed.front()) {
    session_->delayed.remove(m);
    if (ctx->nack_handler) ctx->nack_handler(session_, m->pdu, COAP_NACK_TLS_FAILED, m->mid);
    PendingMessage::destroy(m);
  }
  session_->state = COAP_SESSION_STATE_NONE;
  LOGD("%s: session disconnected (%s)\n", coap_session_str(session_),
       detail ? detail : "DTLS connection ended");
  ctx->timers.cancel(&timer_.timer);
  close(now);
  if (session_->type == COAP_SESSION_TYPE_SERVER) reap = true;
}

void DtlsEnd::freeing(uint64_t now) {
  if (down) return;
  down = true;
  session_->context->timers.cancel(&timer_.timer);
  // close_notify and COAP_EVENT_DTLS_CLOSED (in the state the session was
  // in), then the messages that never went are nacked.
  close(now);
  drop_held(COAP_NACK_TLS_FAILED);
}

void DtlsEnd::on_timer_fired(Timer *t, uint64_t now) {
  container_of(t, &TimerSlot::timer)->owner->fire(now);
}

void DtlsEnd::fire(uint64_t now) {
  Hold hold(session_);
  if (!down && lower_ && lower_->next_timeout() <= now) lower_->on_timer(now);
  if (!down) reschedule(now);
}

void DtlsEnd::reschedule(uint64_t now) {
  (void)now;
  coap_context_t *ctx = session_->context;
  uint64_t due = down || !lower_ ? UINT64_MAX : lower_->next_timeout();
  if (due == UINT64_MAX) {
    ctx->timers.cancel(&timer_.timer);
  } else {
    ctx->timers.schedule(&timer_.timer, due);
  }
}

// --- DatagramLink ------------------------------------------------------------

bool DatagramLink::send(const uint8_t *data, size_t length, uint64_t now) {
  (void)now;
  coap_context_t *ctx = session_->context;
  if (closed_ || !ctx->io) return false;
  return ctx->io->send(session_, data, length) >= 0;
}

void DatagramLink::on_input(const uint8_t *data, size_t length, uint64_t now) {
  if (!closed_ && upper_) upper_->on_input(data, length, now);
}

// --- entry points --------------------------------------------------------------

namespace dtls {

DtlsEnd *end_of(const coap_session_t *s) {
  if (!s || !s->channel || s->proto != COAP_PROTO_DTLS) return nullptr;
  return static_cast<DtlsEnd *>(s->channel);
}

bool open_client(coap_session_t *s, uint64_t now) {
  (void)now;
  s->channel = build_stack(s, tls::Role::kClient);
  if (!s->channel) return false;
  s->tls_overhead = kDefaultOverhead;
  s->state = COAP_SESSION_STATE_HANDSHAKE;
  return true;
}

void receive(coap_context_t *ctx, coap_endpoint_t *ep, coap_session_t *session, const uint8_t *data,
             size_t length, const coap_addr_tuple_t &addrs, int ifindex, uint64_t now) {
  if (session) {
    session->ifindex = ifindex;
    if (session->channel) feed(session, data, length, now);
    return;
  }
  if (coap_session_t *s = ep->find_session(addrs.remote)) {
    s->ifindex = ifindex;
    s->addr_info.local = addrs.local;
    if (s->channel) feed(s, data, length, now);
    return;
  }
  // An unknown peer: only a ClientHello is worth an answer, and no state
  // is kept until it returns our cookie.
  tls::Backend *backend = secure::backend_of(ctx);
  if (!backend || !backend->has_server_credentials()) {
    LOGD("%s: %zu bytes dropped: no DTLS server credentials are set up\n", coap_endpoint_str(ep),
         length);
    return;
  }
  uint8_t peer[64];
  size_t peer_length = peer_identity(addrs.remote, peer, sizeof(peer));
  const uint8_t *reply = nullptr;
  size_t reply_length = 0;
  switch (backend->screen_hello(data, length, peer, peer_length, &reply, &reply_length, now)) {
    case tls::HelloVerdict::kDrop: {
      char from[64] = "";
      coap_print_addr(&addrs.remote, reinterpret_cast<unsigned char *>(from), sizeof(from));
      LOGD("%s: %zu bytes from %s dropped: not a DTLS ClientHello\n", coap_endpoint_str(ep), length,
           from);
      return;
    }
    case tls::HelloVerdict::kSendReply:
      reply_without_session(ctx, ep, addrs, ifindex, reply, reply_length);
      return;
    case tls::HelloVerdict::kAccept:
      break;
  }
  coap_session_t *s = new_server_session(backend, ep, addrs, ifindex, peer, peer_length, now);
  if (s) feed(s, data, length, now);
}

bool transmit(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  DtlsEnd *end = end_of(s);
  return end && end->transmit(pdu, now);
}

bool hold(coap_session_t *s, coap_pdu_t *pdu) {
  DtlsEnd *end = end_of(s);
  return end && end->hold(pdu);
}

void reschedule(coap_session_t *s, uint64_t now) {
  if (DtlsEnd *end = end_of(s)) end->reschedule(now);
}

bool has_output(const coap_session_t *s) {
  DtlsEnd *end = end_of(s);
  return end && !end->down && end->held() > 0;
}

void disconnect(coap_session_t *s, uint64_t now) {
  DtlsEnd *end = end_of(s);
  if (!end || end->down) return;
  Hold hold(s);
  end->on_down(ChannelDown::kLocal, "disconnected by the application", now);
}

void session_freeing(coap_session_t *s) {
  if (DtlsEnd *end = end_of(s)) end->freeing(s->last_activity);
}

}  // namespace dtls

}  // namespace coap
