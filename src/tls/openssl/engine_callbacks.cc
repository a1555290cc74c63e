// The callbacks OpenSSL makes during a handshake, and what they ask of the
// application: certificate checks, PSK identities and keys, server names.
#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/ossl_backend.h"
#include "tls/openssl/ossl_engine.h"

namespace coap::tls::ossl {

const coap_dtls_pki_t *OsslEngine::pki() const {
  if (role_ == Role::kClient) return has_client_pki_ ? &client_pki_ : nullptr;
  return backend_ ? backend_->server_pki() : nullptr;
}

int OsslEngine::verify_callback(int preverify_ok, X509_STORE_CTX *store) {
  auto *ssl =
      static_cast<SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  OsslEngine *engine = of(ssl);
  if (!engine) return preverify_ok;
  return check_certificate(preverify_ok, store, engine->pki(), engine->session_, &engine->trace_);
}

unsigned int OsslEngine::client_psk_callback(SSL *ssl, const char *hint, char *identity,
                                             unsigned int max_identity, unsigned char *psk,
                                             unsigned int max_psk) {
  OsslEngine *engine = of(ssl);
  return engine ? engine->client_psk(hint, identity, max_identity, psk, max_psk) : 0;
}

unsigned int OsslEngine::client_psk(const char *hint, char *identity, unsigned int max_identity,
                                    unsigned char *psk, unsigned int max_psk) {
  coap_bin_const_t id = {client_identity_.size(), client_identity_.data()};
  coap_bin_const_t key = {client_key_.size(), client_key_.data()};
  // (D)TLS 1.2 servers may send a hint; TLS 1.3 has none (hint == NULL).
  if (hint && *hint) {
    used_hint_.assign(reinterpret_cast<const uint8_t *>(hint), std::strlen(hint));
    if (hint_callback_) {
      coap_str_const_t offered = {used_hint_.size(), used_hint_.data()};
      const coap_dtls_cpsk_info_t *choice = hint_callback_(&offered, session_, hint_callback_arg_);
      if (!choice) {
        LOGW("%s: identity hint '%s' refused by the application\n", label(), hint);
        return 0;
      }
      id = choice->identity;
      key = choice->key;
    }
  }
  if (!key.s || key.length == 0 || key.length > max_psk) {
    LOGW("%s: no usable pre-shared key (%zu bytes, at most %u)\n", label(), key.length, max_psk);
    return 0;
  }
  // OpenSSL takes the identity as a C string.
  if (id.length >= max_identity || (id.length && std::memchr(id.s, 0, id.length))) {
    LOGW("%s: the PSK identity cannot be used (too long or has a zero byte)\n", label());
    return 0;
  }
  if (id.length) std::memcpy(identity, id.s, id.length);
  identity[id.length] = 0;
  std::memcpy(psk, key.s, key.length);
  used_identity_.assign(id.s, id.length);
  used_key_.assign(key.s, key.length);
  return static_cast<unsigned int>(key.length);
}

unsigned int OsslEngine::server_psk_callback(SSL *ssl, const char *identity, unsigned char *psk,
                                             unsigned int max_psk) {
  OsslEngine *engine = of(ssl);
  if (!engine || !identity) return 0;
  // In TLS 1.3 the PSK is looked up before the server name callback runs.
  if (!engine->resolve_sni()) return 0;
  return engine->server_psk(identity, psk, max_psk);
}

unsigned int OsslEngine::server_psk(const char *identity, unsigned char *psk,
                                    unsigned int max_psk) {
  const coap_dtls_spsk_t *setup = backend_ ? backend_->server_psk() : nullptr;
  if (!setup) return 0;
  used_identity_.assign(reinterpret_cast<const uint8_t *>(identity), std::strlen(identity));
  coap_bin_const_t key = {server_key_.size(), server_key_.data()};
  if (setup->validate_id_call_back) {
    coap_bin_const_t offered = {used_identity_.size(), used_identity_.data()};
    const coap_bin_const_t *chosen =
        setup->validate_id_call_back(&offered, session_, setup->id_call_back_arg);
    if (!chosen) {
      LOGW("%s: PSK identity '%s' refused by the application\n", label(), identity);
      return 0;
    }
    key = *chosen;
  }
  if (!key.s || key.length == 0 || key.length > max_psk) {
    LOGW("%s: no usable pre-shared key for identity '%s'\n", label(), identity);
    return 0;
  }
  std::memcpy(psk, key.s, key.length);
  used_key_.assign(key.s, key.length);
  if (server_hint_.size()) used_hint_.assign(server_hint_.data(), server_hint_.size());
  return static_cast<unsigned int>(key.length);
}

int OsslEngine::client_hello_callback(SSL *ssl, int *alert, void *arg) {
  (void)arg;
  OsslEngine *engine = of(ssl);
  if (!engine) return SSL_CLIENT_HELLO_SUCCESS;
  // TLS 1.3 looks up the PSK before it parses the server name, so take
  // the name from the ClientHello now (RFC 6066 section 3: a list of
  // typed names; the host_name one is used).
  const unsigned char *ext = nullptr;
  size_t length = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext, &length) == 1 && length >= 2) {
    size_t list = (static_cast<size_t>(ext[0]) << 8) | ext[1];
    size_t at = 2;
    while (list == length - 2 && at + 3 <= length) {
      uint8_t type = ext[at];
      size_t name_length = (static_cast<size_t>(ext[at + 1]) << 8) | ext[at + 2];
      at += 3;
      if (name_length > length - at) break;
      if (type == TLSEXT_NAMETYPE_host_name) {
        if (name_length && name_length <= TLSEXT_MAXLEN_host_name &&
            !std::memchr(ext + at, 0, name_length)) {
          engine->sni_name_.assign(ext + at, name_length);
        }
        break;
      }
      at += name_length;
    }
  }
  if (engine->resolve_sni()) return SSL_CLIENT_HELLO_SUCCESS;
  *alert = SSL_AD_UNRECOGNIZED_NAME;
  return SSL_CLIENT_HELLO_ERROR;
}

int OsslEngine::servername_callback(SSL *ssl, int *alert, void *arg) {
  (void)arg;
  OsslEngine *engine = of(ssl);
  if (!engine || engine->resolve_sni()) return SSL_TLSEXT_ERR_OK;
  *alert = SSL_AD_UNRECOGNIZED_NAME;
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

bool OsslEngine::resolve_sni() {
  if (sni_done_) return sni_ok_;
  sni_done_ = true;
  const char *name =
      sni_name_.is_set() ? sni_name_.c_str() : SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  if (!name || !*name || !backend_) return sni_ok_ = true;
  const coap_dtls_spsk_t *psk = backend_->server_psk();
  if (psk && psk->validate_sni_call_back) {
    const PskChoice *choice = backend_->psk_for_name(name, session_);
    if (!choice) {
      LOGW("%s: server name '%s' refused by the application\n", label(), name);
      return sni_ok_ = false;
    }
    server_hint_.assign(choice->hint.data(), choice->hint.size());
    server_key_.assign(choice->key.data(), choice->key.size());
    if (SSL_use_psk_identity_hint(ssl_, server_hint_.size() ? server_hint_.c_str() : nullptr) !=
        1) {
      log_errors(COAP_LOG_WARN, "TLS: cannot set the PSK identity hint");
      return sni_ok_ = false;
    }
  }
  const coap_dtls_pki_t *pki = backend_->server_pki();
  if (pki && pki->validate_sni_call_back) {
    const PkiChoice *choice = backend_->pki_for_name(name);
    if (!choice) {
      LOGW("%s: server name '%s' refused by the application\n", label(), name);
      return sni_ok_ = false;
    }
    if (!choice->credentials.use_in(ssl_)) return sni_ok_ = false;
    if (choice->store && SSL_set1_verify_cert_store(ssl_, choice->store) != 1) {
      log_errors(COAP_LOG_WARN, "TLS: cannot use the CA chosen for the server name");
      return sni_ok_ = false;
    }
    CertStack *cas = choice->credentials.cas();
    if (pki->verify_peer_cert && pki->check_common_ca && cas) {
      STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
      for (int i = 0; names && i < sk_X509_num(cas); ++i) {
        X509_NAME *subject = X509_NAME_dup(X509_get_subject_name(sk_X509_value(cas, i)));
        if (subject && !sk_X509_NAME_push(names, subject)) X509_NAME_free(subject);
      }
      if (names) SSL_set_client_CA_list(ssl_, names);  // takes ownership
    }
  }
  return sni_ok_ = true;
}

void OsslEngine::info_callback(const SSL *ssl, int where, int value) {
  OsslEngine *engine = of(ssl);
  const char *who = engine ? engine->label() : "TLS";
  if (where & SSL_CB_ALERT) {
    const bool fatal = std::strcmp(SSL_alert_type_string(value), "F") == 0;
    if (fatal && (where & SSL_CB_WRITE) && engine) engine->fatal_alert_sent_ = true;
    COAP_LOG(fatal ? COAP_LOG_WARN : COAP_LOG_DEBUG, "%s: alert %s: %s: %s\n", who,
             (where & SSL_CB_READ) ? "received" : "sent", SSL_alert_type_string_long(value),
             SSL_alert_desc_string_long(value));
    return;
  }
  if ((where & SSL_CB_LOOP) && log::enabled(COAP_LOG_DEBUG) &&
      log::dtls_level() >= COAP_LOG_DEBUG) {
    log::emit(COAP_LOG_DEBUG, "%s: %s\n", who, SSL_state_string_long(ssl));
  }
}

unsigned int OsslEngine::timer_callback(SSL *ssl, unsigned int previous_us) {
  OsslEngine *engine = of(ssl);
  // previous_us != 0: a retransmission is under way; back off.
  if (engine && previous_us) engine->timer_.backed_off();
  return kLibraryTimerUs;
}

}  // namespace coap::tls::ossl
