// Backend-specific library information for the OpenSSL build.
//
// The (D)TLS engine over OpenSSL is not in place yet, so the *_is_supported
// probes answer 0 and secure sessions are refused, exactly as a libcoap
// build without (D)TLS does; the library identification already names the
// OpenSSL this library is linked with.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

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
  static coap_tls_version_t version;
  version.version = OpenSSL_version_num();
  version.type = COAP_TLS_LIBRARY_OPENSSL;
  version.built_version = OPENSSL_VERSION_NUMBER;
  return &version;
}

}  // extern "C"
