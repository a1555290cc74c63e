// Backend-specific library information for the OpenSSL build.
//
// Sessions use the (D)TLS engine (src/tls/openssl/ossl_*.cc, core/secure.h):
// DTLS and TLS with PSK and PKI work. PKCS#11, raw public keys and
// connection IDs are not implemented by the engine, so those probes stay 0.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include <cstring>

#include "coap3/coap.h"
#include "runtime/log.h"

extern "C" {

int coap_dtls_is_supported(void) {
  return 1;
}
int coap_tls_is_supported(void) {
  return 1;
}
int coap_dtls_psk_is_supported(void) {
  return 1;
}
int coap_dtls_pki_is_supported(void) {
  return 1;
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
  static coap_tls_version_t version;
  version.version = OpenSSL_version_num();
  version.type = COAP_TLS_LIBRARY_OPENSSL;
  version.built_version = OPENSSL_VERSION_NUMBER;
  return &version;
}

// OpenSSL 3 deprecates ENGINEs and this library loads none: every
// configuration ends the way libcoap's OpenSSL build ends for an engine
// OpenSSL does not know, with the same log lines and 0.
int coap_tls_engine_configure(coap_str_const_t *conf_mem) {
  if (!conf_mem) return 0;
  const char *text = conf_mem->s ? reinterpret_cast<const char *>(conf_mem->s) : "";
  size_t length = conf_mem->s ? conf_mem->length : 0;
  // Lines are "keyword:value\n"; only complete lines count, and the first
  // "engine:" line names the engine.
  size_t start = 0;
  while (start < length) {
    const char *line = text + start;
    const char *end = static_cast<const char *>(std::memchr(line, '\n', length - start));
    if (!end) break;
    size_t line_length = static_cast<size_t>(end - line);
    start += line_length + 1;
    if (line_length && line[line_length - 1] == '\r') --line_length;
    static const char kEngine[] = "engine:";
    const size_t keyword = sizeof(kEngine) - 1;
    if (line_length > keyword && std::memcmp(line, kEngine, keyword) == 0) {
      LOGW("coap_tls_engine_configure: engine '%.*s' not known\n",
           static_cast<int>(line_length - keyword), line + keyword);
      return 0;
    }
  }
  LOGW("coap_tls_engine_configure: engine not defined\n");
  return 0;
}

// No engine is ever configured, so there is none to remove.
int coap_tls_engine_remove(void) {
  return 0;
}

}  // extern "C"
