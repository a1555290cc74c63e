// PKI credentials from a coap_dtls_key_t: our certificate (with any chain
// certificates that follow it), our private key and the common CA. Every
// form OpenSSL reads without an ENGINE is accepted: PEM files, PEM and DER
// in memory, DER files (COAP_PKI_KEY_DEFINE). PKCS#11, raw public keys and
// ENGINE keys are refused with a log line.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>

#include "coap3/coap.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

// An enum field as the application stored it: C code may put any int
// there, which C++ must not load as the enum type.
template <class E>
int enum_value(const E &field) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized");
  int value;
  std::memcpy(&value, &field, sizeof(value));
  return value;
}

// Copies the member of `src` that key_type selects, and nothing else:
// applications built against libcoap 4.3.1 pass a smaller union (it has no
// `define` member), so copying the whole struct could read past theirs.
void copy_key(const coap_dtls_key_t &src, coap_dtls_key_t *dst);

class Credentials {
 public:
  Credentials() = default;
  ~Credentials();
  Credentials(const Credentials &) = delete;
  Credentials &operator=(const Credentials &) = delete;

  // Whether the forms `key` uses can be read at all (logs why not).
  static bool supported(const coap_dtls_key_t &key, bool is_rpk);

  // Reads everything `key` names. `is_rpk` is the setup's is_rpk_not_cert.
  // False, with a log line saying why, if anything cannot be used.
  bool load(const coap_dtls_key_t &key, bool is_rpk);

  bool has_identity() const { return cert_ != nullptr; }
  X509 *cert() const { return cert_; }
  EVP_PKEY *key() const { return key_; }
  CertStack *chain() const { return chain_; }
  // The common CA certificate(s); may be nullptr.
  CertStack *cas() const { return cas_; }
  // CRLs found with the CA (PEM forms only); may be nullptr.
  CrlStack *crls() const { return crls_; }

  // Installs certificate, key and chain; false (logged) on failure.
  bool use_in(SSL_CTX *ctx) const;
  bool use_in(SSL *ssl) const;

 private:
  X509 *cert_ = nullptr;
  EVP_PKEY *key_ = nullptr;
  CertStack *chain_ = nullptr;
  CertStack *cas_ = nullptr;
  CrlStack *crls_ = nullptr;
};

}  // namespace coap::tls::ossl
