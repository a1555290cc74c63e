#include "core/stream.h"

#include "core/context.h"
#include "core/reliable.h"
#include "core/secure.h"
#include "core/session_manager.h"
#include "core/stream_socket.h"
#include "core/tcp_framer.h"
#include "core/websocket.h"
#include "runtime/log.h"
#include "util/memory.h"

namespace coap::stream {

namespace {

// The layers of a stream session, top to bottom.
Channel *build_stack(coap_session_t *s, bool connecting) {
  bool ws = s->proto == COAP_PROTO_WS || s->proto == COAP_PROTO_WSS;
  if (s->proto != COAP_PROTO_TCP && s->proto != COAP_PROTO_TLS && !ws) {
    LOGW("%s: no stream channel for this protocol in this build\n", coap_session_str(s));
    return nullptr;
  }
  StreamSocket *sock = create<StreamSocket>(s, connecting);
  // Messages are framed by RFC 8323 lengths, or are WebSocket messages
  // (core/websocket.h; clients are the ones that connect).
  uint64_t limit = s->context->csm_max_message_size;
  Channel *framer = ws ? static_cast<Channel *>(create<WebSocket>(s, connecting, limit))
                       : create<TcpFramer>(s, limit);
  ReliableEnd *top = create<ReliableEnd>(s);
  // TLS: the (D)TLS layer sits right above the socket (core/secure.h);
  // coaps+ws has it under the WebSocket layer.
  bool tls = s->proto == COAP_PROTO_TLS || s->proto == COAP_PROTO_WSS;
  SecureLayer *secure = tls ? secure::make_tls_layer(s, connecting) : nullptr;
  if (!sock || !framer || !top || (tls && !secure)) {
    destroy(sock);
    destroy(framer);
    destroy(top);
    destroy(secure);
    return nullptr;
  }
  if (secure) secure->stack_on(sock);
  framer->stack_on(secure ? static_cast<Channel *>(secure) : sock);
  top->stack_on(framer);
  return top;
}

StreamSocket *socket_of(const coap_session_t *s) {
  // The bottom of every stream stack is a StreamSocket (build_stack()).
  return s && s->channel ? static_cast<StreamSocket *>(bottom_layer(s->channel)) : nullptr;
}

}  // namespace

bool open_client(coap_session_t *s, uint64_t now) {
  (void)now;
  s->channel = build_stack(s, true);
  if (!s->channel) return false;
  s->state = COAP_SESSION_STATE_CONNECTING;
  if (!s->context->io || !s->context->io->stream_connect(s)) {
    destroy_channel(s->channel);
    s->channel = nullptr;
    s->state = COAP_SESSION_STATE_NONE;
    return false;
  }
  return true;
}

coap_session_t *accepted(coap_endpoint_t *ep, const coap_addr_tuple_t &addrs, uint64_t now) {
  make_room_for_session(ep);
  coap_session_t *s = coap_session_t::create(ep->context, COAP_SESSION_TYPE_SERVER, ep->proto);
  if (!s) return nullptr;
  s->endpoint = ep;
  s->addr_info = addrs;
  s->mtu = ep->default_mtu;
  s->last_activity = now;
  s->channel = build_stack(s, false);
  if (!s->channel) {
    coap_session_t::destroy(s);
    return nullptr;
  }
  ep->add_session(s);
  schedule_housekeeping(s, now);
  return s;
}

void start(coap_session_t *s, uint64_t now) {
  StreamSocket *sock = socket_of(s);
  if (!sock) return;
  reliable::Hold hold(s);
  LOGD("%s: new incoming session\n", coap_session_str(s));
  sock->connected(now, false);
  if (s->channel->closed()) return;
  s->context->notify(s, COAP_EVENT_SERVER_SESSION_NEW);
  sock->announce_open(now);
}

void connected(coap_session_t *s, uint64_t now) {
  StreamSocket *sock = socket_of(s);
  if (!sock) return;
  reliable::Hold hold(s);
  sock->connected(now, true);
}

void input(coap_session_t *s, const uint8_t *data, size_t length, uint64_t now) {
  StreamSocket *sock = socket_of(s);
  if (!sock) return;
  reliable::Hold hold(s);
  touch_session(s, now);
  sock->on_input(data, length, now);
}

void writable(coap_session_t *s, uint64_t now) {
  if (StreamSocket *sock = socket_of(s)) sock->writable(now);
}

void closed(coap_session_t *s, int err, uint64_t now) {
  StreamSocket *sock = socket_of(s);
  if (!sock) return;
  reliable::Hold hold(s);
  sock->socket_closed(err, now);
}

bool connecting(const coap_session_t *s) {
  StreamSocket *sock = socket_of(s);
  return sock && sock->connecting();
}

size_t queued(const coap_session_t *s) {
  StreamSocket *sock = socket_of(s);
  return sock ? sock->queued() : 0;
}

}  // namespace coap::stream
