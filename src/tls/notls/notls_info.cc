// Backend-specific library information for the build without (D)TLS.
#include <cstdio>

#include "coap3/coap.h"
#include "runtime/log.h"

extern "C" {

int coap_dtls_is_supported(void) {
  return 0;
}
int coap_tls_is_supported(void) {
  return 0;
}
int coap_dtls_psk_is_supported(void) {
  return 0;
}
int coap_dtls_pki_is_supported(void) {
  return 0;
}
int coap_dtls_pkcs11_is_supported(void) {
  return 0;
}
int coap_dtls_rpk_is_supported(void) {
  return 0;
}
int coap_dtls_cid_is_supported(void) {
  return 0;
}

coap_tls_version_t *coap_get_tls_library_version(void) {
  static coap_tls_version_t version = {0, COAP_TLS_LIBRARY_NOTLS, 0};
  return &version;
}

// There is no TLS library, so no ENGINE to configure.
int coap_tls_engine_configure(coap_str_const_t *conf_mem) {
  (void)conf_mem;
  LOGD("coap_tls_engine_configure: (D)TLS is not supported by this library\n");
  return 0;
}

int coap_tls_engine_remove(void) {
  return 0;
}

}  // extern "C"
