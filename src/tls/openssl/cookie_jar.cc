#include "tls/openssl/cookie_jar.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

bool CookieJar::rotate(uint64_t now) {
  if (have_current_ && (now < born_ || now - born_ < kRotateMs)) return true;
  uint8_t fresh[kSecretLength];
  if (RAND_bytes(fresh, sizeof(fresh)) != 1) {
    log_errors(COAP_LOG_WARN, "DTLS cookie secret");
    return have_current_;
  }
  // After a long quiet spell the old secret is too old to honour.
  have_previous_ = have_current_ && now - born_ < 2 * kRotateMs;
  if (have_previous_) std::memcpy(previous_, current_, kSecretLength);
  std::memcpy(current_, fresh, kSecretLength);
  OPENSSL_cleanse(fresh, sizeof(fresh));
  have_current_ = true;
  born_ = now;
  return true;
}

bool CookieJar::mac(const uint8_t *secret, const uint8_t *peer, size_t peer_length,
                    uint8_t out[kCookieLength]) {
  static const uint8_t kNoPeer = 0;
  unsigned int n = 0;
  const uint8_t *input = peer && peer_length ? peer : &kNoPeer;
  size_t input_length = peer && peer_length ? peer_length : 0;
  return HMAC(EVP_sha256(), secret, static_cast<int>(kSecretLength), input, input_length, out,
              &n) != nullptr &&
         n == kCookieLength;
}

bool CookieJar::make(const uint8_t *peer, size_t peer_length, uint8_t out[kCookieLength]) const {
  return have_current_ && mac(current_, peer, peer_length, out);
}

bool CookieJar::check(const uint8_t *cookie, size_t cookie_length, const uint8_t *peer,
                      size_t peer_length) const {
  if (!cookie || cookie_length != kCookieLength) return false;
  uint8_t expected[kCookieLength];
  if (have_current_ && mac(current_, peer, peer_length, expected) &&
      CRYPTO_memcmp(expected, cookie, kCookieLength) == 0) {
    return true;
  }
  return have_previous_ && mac(previous_, peer, peer_length, expected) &&
         CRYPTO_memcmp(expected, cookie, kCookieLength) == 0;
}

namespace {

const CookieScope *scope_of(SSL *ssl) {
  return static_cast<const CookieScope *>(SSL_get_ex_data(ssl, cookie_slot()));
}

int generate_cookie(SSL *ssl, unsigned char *cookie, unsigned int *length) {
  const CookieScope *scope = scope_of(ssl);
  // OpenSSL's buffer holds DTLS1_COOKIE_LENGTH (255) bytes.
  if (!scope || !scope->jar || !scope->jar->make(scope->peer, scope->peer_length, cookie)) {
    LOGW("DTLS: cannot make a cookie\n");
    return 0;
  }
  *length = CookieJar::kCookieLength;
  return 1;
}

int verify_cookie(SSL *ssl, const unsigned char *cookie, unsigned int length) {
  const CookieScope *scope = scope_of(ssl);
  bool ok =
      scope && scope->jar && scope->jar->check(cookie, length, scope->peer, scope->peer_length);
  if (!ok) LOGD("DTLS: ClientHello cookie not valid for this peer\n");
  return ok ? 1 : 0;
}

}  // namespace

void install_cookie_callbacks(SSL_CTX *ctx) {
  SSL_CTX_set_cookie_generate_cb(ctx, generate_cookie);
  SSL_CTX_set_cookie_verify_cb(ctx, verify_cookie);
}

void attach_cookie_scope(SSL *ssl, CookieScope *scope) {
  SSL_set_ex_data(ssl, cookie_slot(), scope);
}

}  // namespace coap::tls::ossl
