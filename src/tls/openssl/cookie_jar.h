// Stateless DTLS cookies (RFC 6347 section 4.2.1): a cookie is an HMAC of
// the client's identity (its address, as the session names it) under a
// per-backend secret. The secret is replaced every kRotateMs; cookies made
// with the one before are still accepted, so a cookie lives between one
// and two periods.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>

namespace coap::tls::ossl {

class CookieJar {
 public:
  static constexpr size_t kCookieLength = 32;
  static constexpr uint64_t kRotateMs = 60000;

  // Creates the first secret or replaces an old one. False if no secret
  // could be made (the random generator failed).
  bool rotate(uint64_t now);

  bool make(const uint8_t *peer, size_t peer_length, uint8_t out[kCookieLength]) const;
  bool check(const uint8_t *cookie, size_t cookie_length, const uint8_t *peer,
             size_t peer_length) const;

 private:
  static constexpr size_t kSecretLength = 32;
  static bool mac(const uint8_t *secret, const uint8_t *peer, size_t peer_length,
                  uint8_t out[kCookieLength]);

  uint8_t current_[kSecretLength] = {};
  uint8_t previous_[kSecretLength] = {};
  bool have_current_ = false;
  bool have_previous_ = false;
  uint64_t born_ = 0;
};

// What the cookie callbacks of one SSL work with: the jar and the peer the
// ClientHello came from. Attached with attach_cookie_scope().
struct CookieScope {
  const CookieJar *jar = nullptr;
  const uint8_t *peer = nullptr;
  size_t peer_length = 0;
};

// Installs the generate/verify callbacks on a DTLS server context.
void install_cookie_callbacks(SSL_CTX *ctx);
// Binds `scope` (which must outlive the SSL or be detached) to `ssl`.
void attach_cookie_scope(SSL *ssl, CookieScope *scope);

}  // namespace coap::tls::ossl
