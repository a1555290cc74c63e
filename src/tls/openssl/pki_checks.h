// How a coap_dtls_pki_t turns into OpenSSL certificate checking: the trust
// store, the verify parameters, and the per-certificate decision that
// applies the allow_* exceptions and asks the application's CN callback.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>

#include "coap3/coap.h"

namespace coap::tls::ossl {

class Credentials;

// Copies a setup in the current layout, reading only what the caller's
// version has (see copy_key()). False, logged, for a version libcoap 4.3.5
// does not accept.
bool copy_pki_setup(const coap_dtls_pki_t &src, coap_dtls_pki_t *dst);

// The certificates peers are checked against: the common CA from the
// setup's key and, unless check_common_ca restricts trust to that CA, the
// context's root CAs (or OpenSSL's default locations when none were set).
// nullptr (logged) on failure.
X509_STORE *make_trust_store(const coap_dtls_pki_t &setup, const Credentials &credentials,
                             const char *root_file, const char *root_dir);

// Chain depth and revocation switches.
void set_verify_params(X509_VERIFY_PARAM *param, const coap_dtls_pki_t &setup);
// Short RSA keys and weak digests are refused by OpenSSL's security
// level before any certificate check runs: lower it when either is allowed.
bool wants_relaxed_security(const coap_dtls_pki_t &setup);

// What the checks saw so far in one handshake, per chain depth.
struct VerifyTrace {
  uint32_t errors = 0;  // depths at which OpenSSL reported a problem
  uint32_t named = 0;   // depths already shown to the CN callback
};

// The verify callback's decision for one call. `setup` is nullptr for a
// client without PKI settings (anything goes).
int check_certificate(int preverify_ok, X509_STORE_CTX *store, const coap_dtls_pki_t *setup,
                      coap_session_t *session, VerifyTrace *trace);

}  // namespace coap::tls::ossl
