// coap_net.h / coap_session.h / coap_dtls.h: (D)TLS configuration entry
// points and accessors. They hand the credentials to the context's (D)TLS
// backend (core/secure.h). A library without one (libcoap-3-notls,
// coap_dtls_is_supported() == 0) fails exactly as libcoap built without
// (D)TLS does: a log line and the documented failure value.
#include <cstring>

#include "capi/api_lock.h"
#include "coap3/coap.h"
#include "core/context.h"
#include "core/secure.h"
#include "core/session_manager.h"
#include "runtime/clock.h"
#include "runtime/features.h"
#include "runtime/log.h"

using coap::ApiLock;

namespace {

bool secure_available(const char *who) {
  if (coap_dtls_is_supported() || coap_tls_is_supported()) return true;
  LOGD("%s: (D)TLS is not supported by this library\n", who);
  return false;
}

coap_session_t *refuse_secure_session() {
  COAP_LOG(COAP_LOG_CRIT, "coap_new_client_session*: DTLS not supported\n");
  return nullptr;
}

// The context's backend, or nullptr (logged) when there is none.
coap::tls::Backend *backend(coap_context_t *ctx, const char *who) {
  if (!ctx || !secure_available(who)) return nullptr;
  coap::tls::Backend *b = coap::secure::backend_of(ctx);
  if (!b) LOGW("%s: the (D)TLS backend cannot be set up\n", who);
  return b;
}

bool is_secure(coap_proto_t proto) {
  return proto == COAP_PROTO_DTLS || proto == COAP_PROTO_TLS || proto == COAP_PROTO_WSS;
}

bool proto_usable(coap_proto_t proto) {
  if (proto == COAP_PROTO_DTLS) return coap::features::dtls();
  if (proto == COAP_PROTO_TLS) return coap::features::tls();
  if (proto == COAP_PROTO_WSS) return coap::features::wss();
  return false;
}

// The secure client sessions: a session of the protocol whose engine gets
// the credentials. Unsecured protocols get a plain session, as in libcoap.
coap_session_t *secure_client(coap_context_t *ctx, const coap_address_t *local_if,
                              const coap_address_t *server, coap_proto_t proto,
                              const coap_dtls_cpsk_t *psk, const coap_dtls_pki_t *pki,
                              const char *who) {
  if (!ctx || !server) return nullptr;
  if (!coap_dtls_is_supported() && !coap_tls_is_supported()) return refuse_secure_session();
  if (!is_secure(proto)) return coap_new_client_session(ctx, local_if, server, proto);
  if (!proto_usable(proto)) {
    LOGW("%s: protocol %d is not supported by this library\n", who, static_cast<int>(proto));
    return nullptr;
  }
  ApiLock lock(ctx);
  coap_address_t remote = *server;
  if ((remote.addr.sa.sa_family == AF_INET || remote.addr.sa.sa_family == AF_INET6) &&
      coap_address_get_port(&remote) == 0) {
    coap_address_set_port(&remote, COAPS_DEFAULT_PORT);
  }
  uint64_t now = coap::clock::ticks_ms();
  coap_session_t *s = coap::new_client_session(ctx, local_if, remote, proto, now);
  if (!s) return nullptr;
  if (!coap::secure::start_client(s, psk, pki, now)) {
    coap::release_session(s);
    return nullptr;
  }
  LOGD("***%s: session %p: created outgoing session\n", coap_session_str(s),
       static_cast<void *>(s));
  return s;
}

const coap::tls::Engine *engine_of(const coap_session_t *s) {
  coap::SecureLayer *layer = coap::secure::layer_of(s);
  return layer ? layer->engine() : nullptr;
}

}  // namespace

extern "C" {

int coap_context_set_psk(coap_context_t *ctx, const char *hint, const uint8_t *key,
                         size_t key_len) {
  coap_dtls_spsk_t setup;
  std::memset(&setup, 0, sizeof(setup));
  setup.version = COAP_DTLS_SPSK_SETUP_VERSION;
  if (hint) {
    setup.psk_info.hint.s = reinterpret_cast<const uint8_t *>(hint);
    setup.psk_info.hint.length = std::strlen(hint);
  }
  setup.psk_info.key.s = key;
  setup.psk_info.key.length = key ? key_len : 0;
  return coap_context_set_psk2(ctx, &setup);
}

int coap_context_set_psk2(coap_context_t *ctx, coap_dtls_spsk_t *setup_data) {
  coap::tls::Backend *b = backend(ctx, "coap_context_set_psk2");
  if (!b || !setup_data) return 0;
  ApiLock lock(ctx);
  return b->set_server_psk(setup_data) ? 1 : 0;
}

int coap_context_set_pki(coap_context_t *ctx, const coap_dtls_pki_t *setup_data) {
  coap::tls::Backend *b = backend(ctx, "coap_context_set_pki");
  if (!b || !setup_data) return 0;
  ApiLock lock(ctx);
  return b->set_server_pki(setup_data) ? 1 : 0;
}

int coap_context_set_pki_root_cas(coap_context_t *ctx, const char *ca_file, const char *ca_dir) {
  coap::tls::Backend *b = backend(ctx, "coap_context_set_pki_root_cas");
  if (!b) return 0;
  ApiLock lock(ctx);
  return b->set_root_cas(ca_file, ca_dir) ? 1 : 0;
}

coap_session_t *coap_new_client_session_psk(coap_context_t *ctx, const coap_address_t *local_if,
                                            const coap_address_t *server, coap_proto_t proto,
                                            const char *identity, const uint8_t *key,
                                            unsigned key_len) {
  coap_dtls_cpsk_t setup;
  std::memset(&setup, 0, sizeof(setup));
  setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
  if (identity) {
    setup.psk_info.identity.s = reinterpret_cast<const uint8_t *>(identity);
    setup.psk_info.identity.length = std::strlen(identity);
  }
  setup.psk_info.key.s = key;
  setup.psk_info.key.length = key ? key_len : 0;
  return secure_client(ctx, local_if, server, proto, &setup, nullptr,
                       "coap_new_client_session_psk");
}

coap_session_t *coap_new_client_session_psk2(coap_context_t *ctx, const coap_address_t *local_if,
                                             const coap_address_t *server, coap_proto_t proto,
                                             coap_dtls_cpsk_t *setup_data) {
  if (!setup_data) return nullptr;
  return secure_client(ctx, local_if, server, proto, setup_data, nullptr,
                       "coap_new_client_session_psk2");
}

coap_session_t *coap_new_client_session_pki(coap_context_t *ctx, const coap_address_t *local_if,
                                            const coap_address_t *server, coap_proto_t proto,
                                            coap_dtls_pki_t *setup_data) {
  if (!setup_data) return nullptr;
  return secure_client(ctx, local_if, server, proto, nullptr, setup_data,
                       "coap_new_client_session_pki");
}

const coap_bin_const_t *coap_session_get_psk_hint(const coap_session_t *session) {
  const coap::tls::Engine *e = engine_of(session);
  return e ? e->psk_hint() : nullptr;
}

const coap_bin_const_t *coap_session_get_psk_key(const coap_session_t *session) {
  const coap::tls::Engine *e = engine_of(session);
  return e ? e->psk_key() : nullptr;
}

const coap_bin_const_t *coap_session_get_psk_identity(const coap_session_t *session) {
  const coap::tls::Engine *e = engine_of(session);
  return e ? e->psk_identity() : nullptr;
}

void *coap_session_get_tls(const coap_session_t *session, coap_tls_library_t *tls_lib) {
  // Without a (D)TLS connection tls_lib is left as it was, as libcoap does.
  // A connection that has ended has no TLS object any more (libcoap frees
  // it). Without (D)TLS support tls_lib is left as it was, as libcoap does.
  coap::SecureLayer *layer = coap::secure::layer_of(session);
  const coap::tls::Engine *e = layer && !layer->closed() ? layer->engine() : nullptr;
  void *native = e ? e->native() : nullptr;
  // libcoap's (D)TLS builds name their library for any session.
  if (session && tls_lib && coap_dtls_is_supported()) {
    *tls_lib = coap_get_tls_library_version()->type;
  }
  return native;
}

// coap_tls_engine_configure() and coap_tls_engine_remove() depend on the
// TLS library: each backend defines them (src/tls/*/).

}  // extern "C"
