// coap_debug.h / coap_dtls.h: text describing the (D)TLS library this build
// is linked with and what it supports. The facts come from the backend
// (coap_get_tls_library_version(), coap_*_is_supported()).
#include <cstdio>
#include <cstring>

#include "coap3/coap.h"
#include "runtime/log.h"

namespace {

// OpenSSL version numbers in the MNNFFPPS layout libcoap prints them in.
void format_openssl(char *out, size_t size, uint64_t v) {
  unsigned major = static_cast<unsigned>((v >> 28) & 0xf);
  unsigned minor = static_cast<unsigned>((v >> 20) & 0xff);
  unsigned fix = static_cast<unsigned>((v >> 12) & 0xff);
  unsigned patch = static_cast<unsigned>((v >> 4) & 0xff);
  unsigned status = static_cast<unsigned>(v & 0xf);
  char letter[2] = {patch ? static_cast<char>('a' + patch - 1) : '\0', '\0'};
  std::snprintf(out, size, "%u.%u.%u%s%s", major, minor, fix, letter,
                status == 0 ? "-dev" : (status == 0xf ? "" : "-beta"));
}

}  // namespace

extern "C" {

char *coap_string_tls_version(char *buffer, size_t bufsize) {
  if (!buffer || bufsize == 0) return buffer;
  coap_tls_version_t *v = coap_get_tls_library_version();
  if (v && v->type == COAP_TLS_LIBRARY_OPENSSL) {
    char runtime[32], built[32];
    format_openssl(runtime, sizeof(runtime), v->version);
    format_openssl(built, sizeof(built), v->built_version);
    std::snprintf(buffer, bufsize, "TLS Library: OpenSSL - runtime %s, libcoap built for %s",
                  runtime, built);
  } else {
    std::snprintf(buffer, bufsize, "TLS Library: None");
  }
  return buffer;
}

char *coap_string_tls_support(char *buffer, size_t bufsize) {
  if (!buffer || bufsize == 0) return buffer;
  bool dtls = coap_dtls_is_supported(), tls = coap_tls_is_supported();
  if (!dtls && !tls) {
    std::snprintf(buffer, bufsize, "(No DTLS or TLS support)");
    return buffer;
  }
  std::snprintf(buffer, bufsize, "(%s%s support; %s, %s, %s, %s and %s support)",
                dtls ? "DTLS" : "", dtls && tls ? " and TLS" : (tls ? "TLS" : ""),
                coap_dtls_psk_is_supported() ? "PSK" : "no PSK",
                coap_dtls_pki_is_supported() ? "PKI" : "no PKI",
                coap_dtls_pkcs11_is_supported() ? "PKCS11" : "no PKCS11",
                coap_dtls_rpk_is_supported() ? "RPK" : "no RPK",
                coap_dtls_cid_is_supported() ? "CID" : "no CID");
  if (coap_oscore_is_supported() || coap_ws_is_supported()) {
    size_t n = std::strlen(buffer);
    if (coap_oscore_is_supported()) n += std::snprintf(buffer + n, bufsize - n, "\n(Have OSCORE)");
    if (n < bufsize && coap_ws_is_supported()) {
      std::snprintf(buffer + n, bufsize - n, "\n(Have WebSockets)");
    }
  }
  return buffer;
}

void coap_show_tls_version(coap_log_t level) {
  if (!coap::log::enabled(level)) return;
  char text[128];
  coap_string_tls_version(text, sizeof(text));
  coap::log::emit(level, "%s\n", text);
}

}  // extern "C"
