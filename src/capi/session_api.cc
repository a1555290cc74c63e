// coap_session.h: client sessions, server endpoints, and the per-session
// settings and identifiers.
#include <cstdio>
#include <cstring>

#include "capi/api_lock.h"
#include "capi/stream_wait.h"
#include "core/context.h"
#include "core/dtls.h"
#include "core/messaging.h"
#include "core/reliable.h"
#include "core/secure.h"
#include "core/session_manager.h"
#include "runtime/clock.h"
#include "runtime/features.h"
#include "runtime/log.h"
#include "transport/udp.h"
#include "wire/pdu.h"

using coap::ApiLock;

namespace {

const char *proto_name(coap_proto_t proto) {
  switch (proto) {
    case COAP_PROTO_UDP:
      return "UDP";
    case COAP_PROTO_DTLS:
      return "DTLS";
    case COAP_PROTO_TCP:
      return "TCP";
    case COAP_PROTO_TLS:
      return "TLS";
    case COAP_PROTO_WS:
      return "WS";
    case COAP_PROTO_WSS:
      return "WSS";
    default:
      return "NONE";
  }
}

// Secure transports and WebSockets arrive with later work; until then they
// are refused the way a libcoap build without them refuses them.
bool proto_available(coap_proto_t proto, const char *who) {
  if (proto == COAP_PROTO_UDP) return true;
  if (proto == COAP_PROTO_TCP && coap::features::kTcp) return true;
  // (D)TLS needs the linked backend (core/secure.h).
  if (proto == COAP_PROTO_DTLS && coap::features::dtls()) return true;
  if (proto == COAP_PROTO_TLS && coap::features::tls()) return true;
  // WebSockets (core/websocket.h); coaps+ws also needs TLS.
  if (proto == COAP_PROTO_WS && coap::features::kWs) return true;
  if (proto == COAP_PROTO_WSS && coap::features::wss()) return true;
  if (proto == COAP_PROTO_DTLS || proto == COAP_PROTO_TLS || proto == COAP_PROTO_WSS) {
    COAP_LOG(COAP_LOG_CRIT, "%s: (D)TLS is not supported by this library build\n", who);
  } else if (proto == COAP_PROTO_TCP) {
    LOGW("%s: TCP is not supported by this library build\n", who);
  } else if (proto == COAP_PROTO_WS) {
    LOGW("%s: WebSockets are not supported by this library build\n", who);
  } else {
    LOGW("%s: unknown protocol %d\n", who, static_cast<int>(proto));
  }
  return false;
}

// Timing parameters below one second are refused, the setting unchanged.
bool at_least_one_second(coap_fixed_point_t v) {
  return v.integer_part >= 1;
}

// Setters give the session its own parameters first (core/session_params.h);
// when that allocation fails the setting stays unchanged.
template <class T, class V>
void set_param(coap_session_t *s, T coap::SessionParams::*field, V value) {
  coap::SessionParams *p = s->own_params();
  if (!p) {
    LOGW("out of memory: session parameter unchanged\n");
    return;
  }
  p->*field = static_cast<T>(value);
}

}  // namespace

extern "C" {

coap_session_t *coap_new_client_session(coap_context_t *ctx, const coap_address_t *local_if,
                                        const coap_address_t *server, coap_proto_t proto) {
  if (!ctx || !server) return nullptr;
  if (!proto_available(proto, "coap_new_client_session")) return nullptr;
  ApiLock lock(ctx);
  coap_address_t remote = *server;
  bool secure = proto == COAP_PROTO_DTLS || proto == COAP_PROTO_TLS || proto == COAP_PROTO_WSS;
  if ((remote.addr.sa.sa_family == AF_INET || remote.addr.sa.sa_family == AF_INET6) &&
      coap_address_get_port(&remote) == 0) {
    coap_address_set_port(&remote, secure ? COAPS_DEFAULT_PORT : COAP_DEFAULT_PORT);
  }
  uint64_t now = coap::clock::ticks_ms();
  coap_session_t *s = coap::new_client_session(ctx, local_if, remote, proto, now);
  // (D)TLS without credentials: anonymous, the server's certificate is
  // not checked (core/secure.h).
  if (s && secure && !coap::secure::start_client(s, nullptr, nullptr, now)) {
    coap::release_session(s);
    s = nullptr;
  }
  if (s)
    LOGD("***%s: session %p: created outgoing session\n", coap_session_str(s),
         static_cast<void *>(s));
  return s;
}

coap_session_t *coap_session_reference(coap_session_t *s) {
  if (!s) return nullptr;
  ApiLock lock(s);
  coap::reference_session(s);
  return s;
}

void coap_session_release(coap_session_t *s) {
  if (!s) return;
  coap_context_t *ctx = s->context;
  ApiLock lock(ctx);
  coap::release_session(s);
}

void coap_session_disconnected(coap_session_t *s, coap_nack_reason_t reason) {
  if (!s) return;
  ApiLock lock(s);
  uint64_t now = coap::clock::ticks_ms();
  // Everything still outstanding is reported as failed and dropped.
  coap::reference_session(s);
  while (coap::PendingMessage *m = s->pending.front()) {
    s->pending.remove(m);
    s->context->timers.cancel(&m->timer);
    if (s->context->nack_handler) s->context->nack_handler(s, m->pdu, reason, m->mid);
    coap::PendingMessage::destroy(m);
  }
  while (coap::PendingMessage *m = s->delayed.front()) {
    s->delayed.remove(m);
    if (s->context->nack_handler) s->context->nack_handler(s, m->pdu, reason, m->mid);
    coap::PendingMessage::destroy(m);
  }
  s->serial = s->context->next_session_serial();  // its duplicate records no longer match
  // Stream sessions: the connection ends (core/reliable.h).
  if (s->reliable()) coap::reliable::disconnect(s, reason, now);
  // DTLS: close_notify and COAP_EVENT_DTLS_CLOSED (core/dtls.h).
  if (s->proto == COAP_PROTO_DTLS) coap::dtls::disconnect(s, now);
  coap::release_session(s);
}

void coap_session_set_app_data(coap_session_t *s, void *data) {
  if (s) s->app_data = data;
}

void *coap_session_get_app_data(const coap_session_t *s) {
  return s ? s->app_data : nullptr;
}

const coap_address_t *coap_session_get_addr_remote(const coap_session_t *s) {
  return s ? &s->addr_info.remote : nullptr;
}

const coap_address_t *coap_session_get_addr_local(const coap_session_t *s) {
  return s ? &s->addr_info.local : nullptr;
}

const coap_address_t *coap_session_get_addr_mcast(const coap_session_t *s) {
  return s && s->is_mcast ? &s->params->mcast_addr : nullptr;
}

coap_proto_t coap_session_get_proto(const coap_session_t *s) {
  return s ? s->proto : COAP_PROTO_NONE;
}

coap_session_type_t coap_session_get_type(const coap_session_t *s) {
  return s ? s->type : COAP_SESSION_TYPE_NONE;
}

coap_session_state_t coap_session_get_state(const coap_session_t *s) {
  return s ? s->state : COAP_SESSION_STATE_NONE;
}

int coap_session_get_ifindex(const coap_session_t *s) {
  return s ? s->ifindex : -1;
}

coap_context_t *coap_session_get_context(const coap_session_t *s) {
  return s ? s->context : nullptr;
}

int coap_session_set_type_client(coap_session_t *s) {
  if (!s) return 0;
  ApiLock lock(s);
  if (s->type != COAP_SESSION_TYPE_SERVER) return 0;
  // Call-home: the session now lives as long as the application holds it.
  s->type = COAP_SESSION_TYPE_CLIENT;
  coap::reference_session(s);
  return 1;
}

void coap_session_set_mtu(coap_session_t *s, unsigned mtu) {
  if (!s) return;
  // Below 64 bytes no useful message fits.
  s->mtu = mtu < 64 ? 64 : mtu;
  coap::secure::mtu_changed(s);  // DTLS handshake flights (core/secure.h)
}

size_t coap_session_max_pdu_size(const coap_session_t *s) {
  if (!s) return 0;
  ApiLock lock(s);
  // A new stream client session learns the peer's limit from its CSM; as
  // in libcoap, the answer waits for it (capi/stream_wait.h).
  coap::wait_until_connected(const_cast<coap_session_t *>(s));
  return s->max_pdu_size();
}

uint16_t coap_new_message_id(coap_session_t *s) {
  if (!s) return 0;
  ApiLock lock(s);
  // Reliable transports (RFC 8323) carry no message id.
  return s->reliable() ? 0 : s->next_mid();
}

void coap_session_init_token(coap_session_t *s, size_t length, const uint8_t *token) {
  if (!s) return;
  ApiLock lock(s);
  // Only the first 8 bytes seed the counter; the next token is this value.
  s->tx_token = coap_decode_var_bytes8(token, length > 8 ? 8 : length) - 1;
}

void coap_session_new_token(coap_session_t *s, size_t *length, uint8_t *token) {
  if (!s || !length || !token) return;
  ApiLock lock(s);
  *length = coap_encode_var_safe8(token, 8, ++s->tx_token);
}

const char *coap_session_str(const coap_session_t *s) {
  static thread_local char text[160];
  if (!s) return "";
  char local[64] = "", remote[64] = "";
  coap_print_addr(&s->addr_info.local, reinterpret_cast<unsigned char *>(local), sizeof(local));
  coap_print_addr(&s->addr_info.remote, reinterpret_cast<unsigned char *>(remote), sizeof(remote));
  std::snprintf(text, sizeof(text), "%s <-> %s %s ", local, remote, proto_name(s->proto));
  return text;
}

coap_mid_t coap_session_send_ping(coap_session_t *s) {
  if (!s) return COAP_INVALID_MID;
  ApiLock lock(s);
  // Reliable transports: a 7.02 Ping (RFC 8323 section 5.4).
  if (s->reliable()) return coap::reliable::send_ping(s, coap::clock::ticks_ms());
  coap_pdu_t *ping = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, s->next_mid(), 0);
  if (!ping) return COAP_INVALID_MID;
  return coap::send_pdu(s, ping, coap::clock::ticks_ms());
}

void coap_session_set_no_observe_cancel(coap_session_t *s) {
  if (s) s->no_observe_cancel = true;
}

// --- transmission parameters (RFC 7252 section 4.8) ---

void coap_session_set_ack_timeout(coap_session_t *s, coap_fixed_point_t value) {
  if (s && at_least_one_second(value)) set_param(s, &coap::SessionParams::ack_timeout, value);
}

coap_fixed_point_t coap_session_get_ack_timeout(const coap_session_t *s) {
  return s ? s->params->ack_timeout : coap_fixed_point_t{0, 0};
}

void coap_session_set_ack_random_factor(coap_session_t *s, coap_fixed_point_t value) {
  if (s && at_least_one_second(value)) set_param(s, &coap::SessionParams::ack_random_factor, value);
}

coap_fixed_point_t coap_session_get_ack_random_factor(const coap_session_t *s) {
  return s ? s->params->ack_random_factor : coap_fixed_point_t{0, 0};
}

void coap_session_set_max_retransmit(coap_session_t *s, uint16_t value) {
  if (s && value > 0) set_param(s, &coap::SessionParams::max_retransmit, value);
}

uint16_t coap_session_get_max_retransmit(const coap_session_t *s) {
  return s ? s->params->max_retransmit : 0;
}

void coap_session_set_nstart(coap_session_t *s, uint16_t value) {
  if (s && value > 0) set_param(s, &coap::SessionParams::nstart, value);
}

uint16_t coap_session_get_nstart(const coap_session_t *s) {
  return s ? s->params->nstart : 0;
}

void coap_session_set_default_leisure(coap_session_t *s, coap_fixed_point_t value) {
  if (s && at_least_one_second(value)) set_param(s, &coap::SessionParams::default_leisure, value);
}

coap_fixed_point_t coap_session_get_default_leisure(const coap_session_t *s) {
  return s ? s->params->default_leisure : coap_fixed_point_t{0, 0};
}

void coap_session_set_probing_rate(coap_session_t *s, uint32_t value) {
  if (s && value > 0) set_param(s, &coap::SessionParams::probing_rate, value);
}

uint32_t coap_session_get_probing_rate(const coap_session_t *s) {
  return s ? s->params->probing_rate : 0;
}

void coap_session_set_max_payloads(coap_session_t *s, uint16_t value) {
  if (s && value > 0) set_param(s, &coap::SessionParams::max_payloads, value);
}

uint16_t coap_session_get_max_payloads(const coap_session_t *s) {
  return s ? s->params->max_payloads : 0;
}

void coap_session_set_non_max_retransmit(coap_session_t *s, uint16_t value) {
  if (s && value > 0) set_param(s, &coap::SessionParams::non_max_retransmit, value);
}

uint16_t coap_session_get_non_max_retransmit(const coap_session_t *s) {
  return s ? s->params->non_max_retransmit : 0;
}

void coap_session_set_non_timeout(coap_session_t *s, coap_fixed_point_t value) {
  if (s && at_least_one_second(value)) set_param(s, &coap::SessionParams::non_timeout, value);
}

coap_fixed_point_t coap_session_get_non_timeout(const coap_session_t *s) {
  return s ? s->params->non_timeout : coap_fixed_point_t{0, 0};
}

void coap_session_set_non_receive_timeout(coap_session_t *s, coap_fixed_point_t value) {
  if (s && at_least_one_second(value))
    set_param(s, &coap::SessionParams::non_receive_timeout, value);
}

coap_fixed_point_t coap_session_get_non_receive_timeout(const coap_session_t *s) {
  return s ? s->params->non_receive_timeout : coap_fixed_point_t{0, 0};
}

int coap_mcast_set_hops(coap_session_t *s, size_t hops) {
  if (!s || s->fd < 0 || !s->is_mcast) return 0;
  return coap::udp::set_multicast_hops(s->fd, s->addr_info.remote.addr.sa.sa_family,
                                       static_cast<int>(hops))
             ? 1
             : 0;
}

coap_session_t *coap_session_get_by_peer(const coap_context_t *ctx,
                                         const coap_address_t *remote_addr, int ifindex) {
  if (!ctx || !remote_addr) return nullptr;
  // Server sessions only: the peers that talk to this context's endpoints.
  return ctx->find_server_session(*remote_addr, ifindex);
}

// --- server endpoints ---

coap_endpoint_t *coap_new_endpoint(coap_context_t *ctx, const coap_address_t *listen_addr,
                                   coap_proto_t proto) {
  if (!ctx || !listen_addr) return nullptr;
  if (!proto_available(proto, "coap_new_endpoint")) return nullptr;
  ApiLock lock(ctx);
  if (proto == COAP_PROTO_DTLS || proto == COAP_PROTO_TLS || proto == COAP_PROTO_WSS) {
    // A secure endpoint needs the server's credentials first.
    coap::tls::Backend *backend = coap::secure::backend_of(ctx);
    if (!backend || !backend->has_server_credentials()) {
      LOGI(
          "coap_new_endpoint: one of coap_context_set_psk() or coap_context_set_pki() not "
          "called\n");
      return nullptr;
    }
  }
  coap_endpoint_t *ep = coap_endpoint_t::create(ctx, *listen_addr, proto);
  if (ep) LOGD("created %s endpoint %s\n", proto_name(proto), coap_endpoint_str(ep));
  return ep;
}

void coap_free_endpoint(coap_endpoint_t *ep) {
  if (!ep) return;
  ApiLock lock(ep->context);
  coap_endpoint_t::destroy(ep);
}

void coap_endpoint_set_default_mtu(coap_endpoint_t *ep, unsigned mtu) {
  if (ep) ep->default_mtu = mtu < 64 ? 64 : mtu;
}

const char *coap_endpoint_str(const coap_endpoint_t *ep) {
  static thread_local char text[96];
  if (!ep) return "";
  char addr[64] = "";
  coap_print_addr(&ep->bind_addr, reinterpret_cast<unsigned char *>(addr), sizeof(addr));
  std::snprintf(text, sizeof(text), "%s %s", addr, proto_name(ep->proto));
  return text;
}

}  // extern "C"

// coap_ws_set_host_request(): capi/websocket_api.cc.
