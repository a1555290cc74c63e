#include "tls/openssl/ossl_backend.h"

#include <openssl/err.h>
#include <strings.h>

#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/ossl_engine.h"
#include "tls/openssl/pki_checks.h"
#include "tls/openssl/ssl_context.h"
#include "util/memory.h"

namespace coap::tls {

Backend *create_backend(coap_context_t *context) {
  (void)context;  // callbacks get sessions, not the context
  Backend *backend = coap::create<ossl::OsslBackend>();
  if (!backend) LOGE("TLS: out of memory\n");
  return backend;
}

void destroy_backend(Backend *backend) {
  coap::destroy(backend);
}

namespace ossl {

PkiChoice::~PkiChoice() {
  X509_STORE_free(store);
}

OsslBackend::~OsslBackend() {
  drop_server_contexts();
  for (PskChoice *&choice : psk_choices_) coap::destroy(choice);
  for (PkiChoice *&choice : pki_choices_) coap::destroy(choice);
  if (listener_) {
    SSL_set_ex_data(listener_, cookie_slot(), nullptr);
    SSL_free(listener_);
  }
  SSL_CTX_free(listen_ctx_);
}

void OsslBackend::drop_server_contexts() {
  // Engines already made keep their SSL (and with it its context).
  for (SSL_CTX *&ctx : server_ctx_) {
    SSL_CTX_free(ctx);
    ctx = nullptr;
  }
  coap::destroy(server_credentials_);
  server_credentials_ = nullptr;
}

bool OsslBackend::set_server_psk(const coap_dtls_spsk_t *setup) {
  if (!setup) return false;
  // The layout is the same in every libcoap release (4.3.1 included).
  if (!default_hint_.assign(setup->psk_info.hint) || !default_key_.assign(setup->psk_info.key)) {
    LOGE("TLS: out of memory\n");
    return false;
  }
  psk_ = *setup;
  psk_.psk_info.hint = *default_hint_.bin();
  psk_.psk_info.key = *default_key_.bin();
  has_psk_ = true;
  for (PskChoice *&choice : psk_choices_) {
    coap::destroy(choice);
    choice = nullptr;
  }
  drop_server_contexts();
  return true;
}

bool OsslBackend::set_server_pki(const coap_dtls_pki_t *setup) {
  if (!setup) return false;
  coap_dtls_pki_t copy;
  if (!copy_pki_setup(*setup, &copy)) return false;
  // What this backend can never do is refused now; unreadable files are
  // found (and logged) when the first server connection is set up, as
  // libcoap does.
  if (!Credentials::supported(copy.pki_key, copy.is_rpk_not_cert)) return false;
  pki_ = copy;
  has_pki_ = true;
  for (PkiChoice *&choice : pki_choices_) {
    coap::destroy(choice);
    choice = nullptr;
  }
  drop_server_contexts();
  return true;
}

bool OsslBackend::set_root_cas(const char *ca_file, const char *ca_dir) {
  if (!ca_file && !ca_dir) {
    LOGW("TLS: root CAs: neither a file nor a directory given\n");
    return false;
  }
  if (ca_file) {
    X509_STORE *probe = X509_STORE_new();
    bool ok = probe && X509_STORE_load_file(probe, ca_file) == 1;
    X509_STORE_free(probe);
    if (!ok) {
      drop_errors("root CAs");
      LOGW("Unable to install root CAs (%s/%s)\n", ca_file, ca_dir ? ca_dir : "NULL");
      return false;
    }
  }
  bool ok = true;
  if (ca_file) {
    ok = root_file_.assign(reinterpret_cast<const uint8_t *>(ca_file), std::strlen(ca_file));
  } else {
    root_file_.clear();
  }
  if (ca_dir) {
    ok = ok && root_dir_.assign(reinterpret_cast<const uint8_t *>(ca_dir), std::strlen(ca_dir));
  } else {
    root_dir_.clear();
  }
  if (!ok) {
    LOGE("TLS: out of memory\n");
    return false;
  }
  drop_server_contexts();
  return true;
}

Engine *OsslBackend::new_client(Kind kind, coap_session_t *session, const coap_dtls_cpsk_t *psk,
                                const coap_dtls_pki_t *pki) {
  return OsslEngine::make_client(kind, session, psk, pki,
                                 root_file_.is_set() ? root_file_.c_str() : nullptr,
                                 root_dir_.is_set() ? root_dir_.c_str() : nullptr);
}

Engine *OsslBackend::new_server(Kind kind, coap_session_t *session, const uint8_t *peer,
                                size_t peer_length) {
  SSL_CTX *ctx = server_context(kind);
  if (!ctx) return nullptr;
  return OsslEngine::make_server(kind, session, this, ctx, peer, peer_length);
}

SSL_CTX *OsslBackend::server_context(Kind kind) {
  SSL_CTX *&ctx = server_ctx_[kind == Kind::kDtls ? 0 : 1];
  if (!ctx) ctx = build_server_context(kind);
  return ctx;
}

SSL_CTX *OsslBackend::build_server_context(Kind kind) {
  if (!has_psk_ && !has_pki_) {
    LOGW("TLS: the server has no credentials (no PSK or PKI set up)\n");
    return nullptr;
  }
  ERR_clear_error();
  if (has_pki_ && !server_credentials_) {
    server_credentials_ = coap::create<Credentials>();
    if (!server_credentials_ || !server_credentials_->load(pki_.pki_key, pki_.is_rpk_not_cert)) {
      LOGE("PKI: the server's credentials cannot be used\n");
      coap::destroy(server_credentials_);
      server_credentials_ = nullptr;
      if (!has_psk_) return nullptr;
    }
  }
  SSL_CTX *ctx =
      new_ssl_context(kind, Role::kServer, has_psk_ ? Suites::kPskPreferred : Suites::kAny);
  if (!ctx) return nullptr;
  bool ok = true;
  SSL_CTX_set_client_hello_cb(ctx, OsslEngine::client_hello_callback, nullptr);
  SSL_CTX_set_tlsext_servername_callback(ctx, OsslEngine::servername_callback);
  if (has_psk_) SSL_CTX_set_psk_server_callback(ctx, OsslEngine::server_psk_callback);
  int mode = SSL_VERIFY_NONE;
  if (server_credentials_) {
    // Before the certificate goes in: the level also judges our own key.
    if (wants_relaxed_security(pki_)) SSL_CTX_set_security_level(ctx, 0);
    X509_STORE *store = nullptr;
    ok = server_credentials_->use_in(ctx) &&
         (store = make_trust_store(pki_, *server_credentials_,
                                   root_file_.is_set() ? root_file_.c_str() : nullptr,
                                   root_dir_.is_set() ? root_dir_.c_str() : nullptr)) != nullptr;
    if (store) SSL_CTX_set_cert_store(ctx, store);
    set_verify_params(SSL_CTX_get0_param(ctx), pki_);
    if (pki_.verify_peer_cert) {
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE;
      // check_common_ca: tell clients which CA their certificate must
      // come from.
      CertStack *cas = server_credentials_->cas();
      for (int i = 0; ok && pki_.check_common_ca && cas && i < sk_X509_num(cas); ++i) {
        ok = SSL_CTX_add_client_CA(ctx, sk_X509_value(cas, i)) == 1;
      }
    }
  }
  SSL_CTX_set_verify(ctx, mode, OsslEngine::verify_callback);
  if (kind == Kind::kDtls) install_cookie_callbacks(ctx);
  if (!ok) {
    log_errors(COAP_LOG_ERR, "TLS: cannot set up the server");
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

const PskChoice *OsslBackend::psk_for_name(const char *name, coap_session_t *session) {
  for (const PskChoice *choice : psk_choices_) {
    if (choice && strcasecmp(choice->name.c_str(), name) == 0) return choice;
  }
  if (!psk_.validate_sni_call_back) return nullptr;
  const coap_dtls_spsk_info_t *info =
      psk_.validate_sni_call_back(name, session, psk_.sni_call_back_arg);
  if (!info) return nullptr;
  auto *choice = coap::create<PskChoice>();
  if (!choice || !choice->name.assign(reinterpret_cast<const uint8_t *>(name), std::strlen(name)) ||
      !choice->hint.assign(info->hint) || !choice->key.assign(info->key)) {
    LOGE("TLS: out of memory\n");
    coap::destroy(choice);
    return nullptr;
  }
  // Names are remembered so the application is asked once per name; a
  // bounded number, so a stream of invented names cannot grow memory.
  PskChoice *&slot = psk_choices_[next_psk_choice_];
  next_psk_choice_ = (next_psk_choice_ + 1) % kChoices;
  coap::destroy(slot);
  slot = choice;
  return choice;
}

const PkiChoice *OsslBackend::pki_for_name(const char *name) {
  for (const PkiChoice *choice : pki_choices_) {
    if (choice && strcasecmp(choice->name.c_str(), name) == 0) return choice;
  }
  if (!pki_.validate_sni_call_back) return nullptr;
  coap_dtls_key_t *key = pki_.validate_sni_call_back(name, pki_.sni_call_back_arg);
  if (!key) return nullptr;
  coap_dtls_key_t copy;
  copy_key(*key, &copy);
  auto *choice = coap::create<PkiChoice>();
  if (!choice || !choice->name.assign(reinterpret_cast<const uint8_t *>(name), std::strlen(name))) {
    LOGE("TLS: out of memory\n");
    coap::destroy(choice);
    return nullptr;
  }
  if (!choice->credentials.load(copy, pki_.is_rpk_not_cert)) {
    LOGW("PKI: the credentials chosen for '%s' cannot be used\n", name);
    coap::destroy(choice);
    return nullptr;
  }
  if (choice->credentials.cas()) {
    choice->store = make_trust_store(pki_, choice->credentials,
                                     root_file_.is_set() ? root_file_.c_str() : nullptr,
                                     root_dir_.is_set() ? root_dir_.c_str() : nullptr);
  }
  PkiChoice *&slot = pki_choices_[next_pki_choice_];
  next_pki_choice_ = (next_pki_choice_ + 1) % kChoices;
  coap::destroy(slot);
  slot = choice;
  return choice;
}

bool OsslBackend::ensure_listener() {
  if (listener_) return true;
  if (!listen_ctx_) {
    listen_ctx_ = new_ssl_context(Kind::kDtls, Role::kServer, Suites::kAny);
    if (!listen_ctx_) return false;
    install_cookie_callbacks(listen_ctx_);
  }
  listener_ = SSL_new(listen_ctx_);
  BIO *bio = listener_ ? listen_pipe_.make_bio() : nullptr;
  if (!bio) {
    log_errors(COAP_LOG_ERR, "DTLS: cannot set up the cookie exchange");
    SSL_free(listener_);
    listener_ = nullptr;
    return false;
  }
  SSL_set_bio(listener_, bio, bio);  // takes over our reference
  listen_scope_.jar = &cookies_;
  attach_cookie_scope(listener_, &listen_scope_);
  return true;
}

HelloVerdict OsslBackend::screen_hello(const uint8_t *data, size_t length, const uint8_t *peer,
                                       size_t peer_length, const uint8_t **reply,
                                       size_t *reply_length, uint64_t now) {
  if (reply) *reply = nullptr;
  if (reply_length) *reply_length = 0;
  listen_pipe_.discard_output();
  // Anything but an epoch-0 handshake record is not worth parsing.
  constexpr size_t kRecordHeader = 13;
  constexpr uint8_t kHandshake = 22;
  if (!data || length < kRecordHeader || data[0] != kHandshake || data[3] != 0 || data[4] != 0) {
    return HelloVerdict::kDrop;
  }
  if (!cookies_.rotate(now) || !ensure_listener()) return HelloVerdict::kDrop;

  ERR_clear_error();
  listen_scope_.peer = peer;
  listen_scope_.peer_length = peer ? peer_length : 0;
  listen_pipe_.set_datagram(data, length);
  BIO_ADDR *client = BIO_ADDR_new();
  int r = client ? DTLSv1_listen(listener_, client) : -1;
  BIO_ADDR_free(client);
  listen_pipe_.clear_input();
  listen_scope_.peer = nullptr;
  listen_scope_.peer_length = 0;

  if (r > 0) {
    // Valid cookie. The listener keeps nothing for this peer: the session
    // makes a server engine and feeds it this ClientHello again.
    SSL_clear(listener_);
    drop_errors("DTLS ClientHello");
    return HelloVerdict::kAccept;
  }
  if (r < 0) {
    log_errors(COAP_LOG_WARN, "DTLS: cookie exchange");
    SSL_set_ex_data(listener_, cookie_slot(), nullptr);
    SSL_free(listener_);
    listener_ = nullptr;
    listen_pipe_.discard_output();
    return HelloVerdict::kDrop;
  }
  drop_errors("DTLS ClientHello");
  const uint8_t *out = nullptr;
  size_t out_length = 0;
  if (listen_pipe_.take_output(&out, &out_length) && reply && reply_length) {
    *reply = out;
    *reply_length = out_length;
    return HelloVerdict::kSendReply;
  }
  return HelloVerdict::kDrop;
}

}  // namespace ossl
}  // namespace coap::tls
