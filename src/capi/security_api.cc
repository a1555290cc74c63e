// coap_net.h / coap_session.h / coap_dtls.h: (D)TLS configuration entry
// points. They need a (D)TLS engine; while the linked backend offers none
// (coap_dtls_is_supported() == 0), they fail exactly as libcoap built
// without (D)TLS does: a log line and the documented failure value.
#include "capi/api_lock.h"
#include "coap3/coap.h"
#include "runtime/log.h"

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

}  // namespace

extern "C" {

int coap_context_set_psk(coap_context_t *ctx, const char *hint, const uint8_t *key,
                         size_t key_len) {
  (void)ctx, (void)hint, (void)key, (void)key_len;
  secure_available("coap_context_set_psk");
  return 0;
}

int coap_context_set_psk2(coap_context_t *ctx, coap_dtls_spsk_t *setup_data) {
  (void)ctx, (void)setup_data;
  secure_available("coap_context_set_psk2");
  return 0;
}

int coap_context_set_pki(coap_context_t *ctx, const coap_dtls_pki_t *setup_data) {
  (void)ctx, (void)setup_data;
  secure_available("coap_context_set_pki");
  return 0;
}

int coap_context_set_pki_root_cas(coap_context_t *ctx, const char *ca_file, const char *ca_dir) {
  (void)ctx, (void)ca_file, (void)ca_dir;
  secure_available("coap_context_set_pki_root_cas");
  return 0;
}

coap_session_t *coap_new_client_session_psk(coap_context_t *ctx, const coap_address_t *local_if,
                                            const coap_address_t *server, coap_proto_t proto,
                                            const char *identity, const uint8_t *key,
                                            unsigned key_len) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)identity, (void)key, (void)key_len;
  return refuse_secure_session();
}

coap_session_t *coap_new_client_session_psk2(coap_context_t *ctx, const coap_address_t *local_if,
                                             const coap_address_t *server, coap_proto_t proto,
                                             coap_dtls_cpsk_t *setup_data) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)setup_data;
  return refuse_secure_session();
}

coap_session_t *coap_new_client_session_pki(coap_context_t *ctx, const coap_address_t *local_if,
                                            const coap_address_t *server, coap_proto_t proto,
                                            coap_dtls_pki_t *setup_data) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)setup_data;
  return refuse_secure_session();
}

const coap_bin_const_t *coap_session_get_psk_hint(const coap_session_t *session) {
  (void)session;
  return nullptr;
}

const coap_bin_const_t *coap_session_get_psk_key(const coap_session_t *session) {
  (void)session;
  return nullptr;
}

const coap_bin_const_t *coap_session_get_psk_identity(const coap_session_t *session) {
  (void)session;
  return nullptr;
}

void *coap_session_get_tls(const coap_session_t *session, coap_tls_library_t *tls_lib) {
  // No (D)TLS session exists; tls_lib is left as it was, as libcoap does.
  (void)session, (void)tls_lib;
  return nullptr;
}

// coap_tls_engine_configure() and coap_tls_engine_remove() depend on the
// TLS library: each backend defines them (src/tls/*/).

}  // extern "C"
