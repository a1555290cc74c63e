// Backend-specific library information for the build without (D)TLS.
#include <cstdio>

#include "coap3/coap.h"

extern "C" {

int coap_dtls_is_supported(void) { return 0; }
int coap_tls_is_supported(void) { return 0; }
int coap_dtls_psk_is_supported(void) { return 0; }
int coap_dtls_pki_is_supported(void) { return 0; }
int coap_dtls_pkcs11_is_supported(void) { return 0; }
int coap_dtls_rpk_is_supported(void) { return 0; }
int coap_dtls_cid_is_supported(void) { return 0; }

coap_tls_version_t *coap_get_tls_library_version(void) {
  static coap_tls_version_t version = {0, COAP_TLS_LIBRARY_NOTLS, 0};
  return &version;
}

}  // extern "C"
