#include "tls/openssl/ssl_context.h"

#include <openssl/evp.h>

#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

namespace {

// OpenSSL's defaults plus the AES-CCM suites (RFC 7252 names
// TLS_PSK_WITH_AES_128_CCM_8 and TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 as the
// CoAP baseline), which OpenSSL leaves out of DEFAULT.
constexpr const char *kCiphers = "DEFAULT:AESCCM";
constexpr const char *kPskCiphers = "aPSK:!eNULL";
// A TLS 1.3 PSK from the TLS 1.2-style callbacks is bound to SHA-256: a
// suite with another hash makes OpenSSL ignore the PSK.
constexpr const char *kPskSuites13 =
    "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256";
constexpr const char *kServerSuites13 =
    "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:"
    "TLS_AES_256_GCM_SHA384";

}  // namespace

SSL_CTX *new_ssl_context(Kind kind, Role role, Suites suites) {
  const bool dtls = kind == Kind::kDtls;
  const bool client = role == Role::kClient;
  const SSL_METHOD *method = dtls ? (client ? DTLS_client_method() : DTLS_server_method())
                                  : (client ? TLS_client_method() : TLS_server_method());
  SSL_CTX *ctx = SSL_CTX_new(method);
  if (!ctx) {
    log_errors(COAP_LOG_ERR, "TLS: cannot create a context");
    return nullptr;
  }
  bool ok = SSL_CTX_set_min_proto_version(ctx, dtls ? DTLS1_2_VERSION : TLS1_2_VERSION) == 1 &&
            SSL_CTX_set_cipher_list(ctx, suites == Suites::kPskOnly ? kPskCiphers : kCiphers) == 1;
  if (!dtls && suites == Suites::kPskOnly) {
    ok = ok && SSL_CTX_set_ciphersuites(ctx, kPskSuites13) == 1;
  } else if (!dtls && suites == Suites::kPskPreferred) {
    // The server's order decides, so PSK clients that list a SHA-384
    // suite first still get their PSK honoured.
    ok = ok && SSL_CTX_set_ciphersuites(ctx, kServerSuites13) == 1;
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  // No renegotiation and no session resumption: every session is one
  // handshake, and no tickets are sent that nobody would use.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  if (!client) {
    // TLS 1.3 treats an external PSK like a resumed session, which OpenSSL
    // refuses for servers that verify peers unless a context id is set.
    static const unsigned char kSessionContext[] = "libcoap";
    ok = ok && SSL_CTX_set_num_tickets(ctx, 0) == 1 &&
         SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1) == 1;
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!ok) {
    log_errors(COAP_LOG_ERR, "TLS: cannot configure a context");
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

size_t record_overhead(const SSL *ssl, Kind kind) {
  const SSL_CIPHER *cipher = ssl ? SSL_get_current_cipher(ssl) : nullptr;
  if (!cipher) return 0;
  size_t header = kind == Kind::kDtls ? 13 : 5;
  if (SSL_version(ssl) == TLS1_3_VERSION) return header + 1 + 16;  // inner type + tag
  const char *name = SSL_CIPHER_get_name(cipher);
  const bool ccm8 = name && std::strstr(name, "CCM8");
  if (SSL_CIPHER_is_aead(cipher)) {
    const bool chacha = name && std::strstr(name, "CHACHA20");
    return header + (chacha ? 0 : 8) + (ccm8 ? 8 : 16);  // explicit nonce + tag
  }
  // CBC: explicit IV, MAC, and padding of up to one block.
  size_t block = 16, mac = 48;
  const EVP_CIPHER *evp = EVP_get_cipherbynid(SSL_CIPHER_get_cipher_nid(cipher));
  if (evp && EVP_CIPHER_get_block_size(evp) > 0) block = EVP_CIPHER_get_block_size(evp);
  const EVP_MD *md = SSL_CIPHER_get_handshake_digest(cipher);
  int digest_nid = SSL_CIPHER_get_digest_nid(cipher);
  const EVP_MD *mac_md = digest_nid != NID_undef ? EVP_get_digestbynid(digest_nid) : md;
  if (mac_md && EVP_MD_get_size(mac_md) > 0) mac = EVP_MD_get_size(mac_md);
  return header + block + mac + block;
}

}  // namespace coap::tls::ossl
