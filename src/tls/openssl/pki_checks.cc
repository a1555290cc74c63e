#include "tls/openssl/pki_checks.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/credentials.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

bool copy_pki_setup(const coap_dtls_pki_t &src, coap_dtls_pki_t *dst) {
  // Every libcoap release so far (4.3.1 included) uses version 1; only the
  // key union grew since, and copy_key() handles that.
  if (src.version != COAP_DTLS_PKI_SETUP_VERSION) {
    LOGE("PKI: setup version %u is not supported\n", src.version);
    return false;
  }
  std::memset(dst, 0, sizeof(*dst));
  dst->version = src.version;
  dst->verify_peer_cert = src.verify_peer_cert;
  dst->check_common_ca = src.check_common_ca;
  dst->allow_self_signed = src.allow_self_signed;
  dst->allow_expired_certs = src.allow_expired_certs;
  dst->cert_chain_validation = src.cert_chain_validation;
  dst->cert_chain_verify_depth = src.cert_chain_verify_depth;
  dst->check_cert_revocation = src.check_cert_revocation;
  dst->allow_no_crl = src.allow_no_crl;
  dst->allow_expired_crl = src.allow_expired_crl;
  dst->allow_bad_md_hash = src.allow_bad_md_hash;
  dst->allow_short_rsa_length = src.allow_short_rsa_length;
  dst->is_rpk_not_cert = src.is_rpk_not_cert;
  dst->use_cid = src.use_cid;
  dst->validate_cn_call_back = src.validate_cn_call_back;
  dst->cn_call_back_arg = src.cn_call_back_arg;
  dst->validate_sni_call_back = src.validate_sni_call_back;
  dst->sni_call_back_arg = src.sni_call_back_arg;
  dst->additional_tls_setup_call_back = src.additional_tls_setup_call_back;
  dst->client_sni = src.client_sni;
  copy_key(src.pki_key, &dst->pki_key);
  return true;
}

X509_STORE *make_trust_store(const coap_dtls_pki_t &setup, const Credentials &credentials,
                             const char *root_file, const char *root_dir) {
  CertStack *common_cas = credentials.cas();
  X509_STORE *store = X509_STORE_new();
  if (!store) {
    log_errors(COAP_LOG_ERR, "PKI: trust store");
    return nullptr;
  }
  const int common = common_cas ? sk_X509_num(common_cas) : 0;
  for (int i = 0; i < common; ++i) {
    // A certificate already present is not an error worth failing for.
    if (X509_STORE_add_cert(store, sk_X509_value(common_cas, i)) != 1) drop_errors("PKI CA");
  }
  CrlStack *crls = credentials.crls();
  for (int i = 0; crls && i < sk_X509_CRL_num(crls); ++i) {
    if (X509_STORE_add_crl(store, sk_X509_CRL_value(crls, i)) != 1) drop_errors("PKI CRL");
  }
  if (!setup.check_common_ca || common == 0) {
    bool ok = true;
    if (root_file || root_dir) {
      if (root_file && X509_STORE_load_file(store, root_file) != 1) ok = false;
      if (root_dir && X509_STORE_load_path(store, root_dir) != 1) ok = false;
    } else if (X509_STORE_set_default_paths(store) != 1) {
      ok = false;
    }
    if (!ok) log_errors(COAP_LOG_WARN, "PKI: root CAs");
  }
  if (setup.verify_peer_cert && setup.check_cert_revocation) {
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  }
  return store;
}

void set_verify_params(X509_VERIFY_PARAM *param, const coap_dtls_pki_t &setup) {
  if (setup.verify_peer_cert && setup.cert_chain_validation) {
    // OpenSSL's depth counts the CA certificates between the peer's own
    // and the trust anchor, which is what cert_chain_verify_depth means.
    X509_VERIFY_PARAM_set_depth(param, setup.cert_chain_verify_depth);
  }
  if (setup.verify_peer_cert && setup.check_cert_revocation) {
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  }
}

bool wants_relaxed_security(const coap_dtls_pki_t &setup) {
  return setup.allow_short_rsa_length || setup.allow_bad_md_hash;
}

namespace {

// The name the CN callback gets: the first DNS subjectAltName, else the
// first commonName of the subject; "" if the certificate has neither.
void certificate_name(X509 *cert, char *out, size_t size) {
  out[0] = 0;
  if (!cert) return;
  auto *names =
      static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
      if (name->type != GEN_DNS) continue;
      const unsigned char *text = ASN1_STRING_get0_data(name->d.dNSName);
      int length = ASN1_STRING_length(name->d.dNSName);
      if (length <= 0 || static_cast<size_t>(length) >= size ||
          std::memchr(text, 0, static_cast<size_t>(length))) {
        continue;
      }
      std::memcpy(out, text, static_cast<size_t>(length));
      out[length] = 0;
      break;
    }
    GENERAL_NAMES_free(names);
    if (out[0]) return;
  }
  X509_NAME *subject = X509_get_subject_name(cert);
  int index = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
  if (index < 0) return;
  ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char *utf8 = nullptr;
  int length = value ? ASN1_STRING_to_UTF8(&utf8, value) : -1;
  if (length > 0 && static_cast<size_t>(length) < size &&
      !std::memchr(utf8, 0, static_cast<size_t>(length))) {
    std::memcpy(out, utf8, static_cast<size_t>(length));
    out[length] = 0;
  }
  OPENSSL_free(utf8);
}

// Whether the setup's allow_* switches excuse this verification error.
bool excused(int error, const coap_dtls_pki_t &setup) {
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return setup.allow_expired_certs;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return setup.allow_self_signed && !setup.check_common_ca;
    // A chain ending in a self-signed root we do not trust is an unknown
    // CA, whatever allow_self_signed says (libcoap refuses it too).
    case X509_V_ERR_UNABLE_TO_GET_CRL:
      return setup.allow_no_crl;
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
      return setup.allow_expired_crl;
    case X509_V_ERR_CA_MD_TOO_WEAK:
      return setup.allow_bad_md_hash;
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
      return setup.allow_short_rsa_length;
    default:
      return false;
  }
}

constexpr int kTrackedDepths = 32;

uint32_t depth_bit(int depth) {
  return depth >= 0 && depth < kTrackedDepths ? 1u << depth : 0;
}

}  // namespace

int check_certificate(int preverify_ok, X509_STORE_CTX *store, const coap_dtls_pki_t *setup,
                      coap_session_t *session, VerifyTrace *trace) {
  if (!setup) return 1;  // no PKI settings: no certificate checks
  const int depth = X509_STORE_CTX_get_error_depth(store);
  const int error = X509_STORE_CTX_get_error(store);
  X509 *cert = X509_STORE_CTX_get_current_cert(store);
  char name[256];
  certificate_name(cert, name, sizeof(name));

  if (!preverify_ok) {
    // OpenSSL reports each problem as it finds it and, if told to go on,
    // signals success for every certificate at the end (see below).
    trace->errors |= depth_bit(depth);
    if (!setup->verify_peer_cert) return 1;
    if (excused(error, *setup)) {
      LOGI("PKI: %s: '%s' depth=%d: allowed by the setup\n", X509_verify_cert_error_string(error),
           name, depth);
      return 1;
    }
    if (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
        error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
        error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
      LOGW("PKI: unknown CA: '%s' depth=%d\n", name, depth);
    } else {
      LOGW("PKI: %s: '%s' depth=%d\n", X509_verify_cert_error_string(error), name, depth);
    }
    return 0;
  }

  // The success signal for this certificate: now the application may judge
  // its name, once per certificate, knowing whether TLS found any problem.
  const uint32_t bit = depth_bit(depth);
  if (setup->validate_cn_call_back && !(trace->named & bit)) {
    trace->named |= bit;
    int der_length = cert ? i2d_X509(cert, nullptr) : -1;
    unsigned char *der = nullptr;
    if (der_length > 0 && i2d_X509(cert, &der) != der_length) der_length = -1;
    int accepted = setup->validate_cn_call_back(
        name, der, der_length > 0 ? static_cast<size_t>(der_length) : 0, session,
        static_cast<unsigned int>(depth), (trace->errors & bit) ? 0 : 1, setup->cn_call_back_arg);
    OPENSSL_free(der);
    if (!accepted) {
      LOGW("PKI: '%s' depth=%d rejected by the CN callback\n", name, depth);
      X509_STORE_CTX_set_error(store,
                               depth == 0 ? X509_V_ERR_CERT_REJECTED : X509_V_ERR_INVALID_CA);
      return 0;
    }
  }
  return 1;
}

}  // namespace coap::tls::ossl
