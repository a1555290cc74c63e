// The per-context OpenSSL backend: the server's credentials and SSL_CTXs,
// the SNI choices the application made, the root CAs, and the stateless
// DTLS cookie screening.
#pragma once

#include <openssl/ssl.h>

#include "core/tls_engine.h"
#include "tls/openssl/cookie_jar.h"
#include "tls/openssl/credentials.h"
#include "tls/openssl/memory_bio.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

// Hint and key the application chose for one server name.
struct PskChoice {
  OwnedBytes name, hint, key;
};

// Credentials (and the trust store built with their CA) for one name.
struct PkiChoice {
  OwnedBytes name;
  Credentials credentials;
  X509_STORE *store = nullptr;  // nullptr: the context's store applies
  ~PkiChoice();
};

class OsslBackend final : public Backend {
 public:
  OsslBackend() = default;
  ~OsslBackend() override;
  OsslBackend(const OsslBackend &) = delete;
  OsslBackend &operator=(const OsslBackend &) = delete;

  bool set_server_psk(const coap_dtls_spsk_t *setup) override;
  bool set_server_pki(const coap_dtls_pki_t *setup) override;
  bool set_root_cas(const char *ca_file, const char *ca_dir) override;
  bool has_server_credentials() const override { return has_psk_ || has_pki_; }
  Engine *new_client(Kind kind, coap_session_t *session, const coap_dtls_cpsk_t *psk,
                     const coap_dtls_pki_t *pki) override;
  Engine *new_server(Kind kind, coap_session_t *session, const uint8_t *peer,
                     size_t peer_length) override;
  HelloVerdict screen_hello(const uint8_t *data, size_t length, const uint8_t *peer,
                            size_t peer_length, const uint8_t **reply, size_t *reply_length,
                            uint64_t now) override;

  // For server engines.
  const coap_dtls_spsk_t *server_psk() const { return has_psk_ ? &psk_ : nullptr; }
  const coap_dtls_pki_t *server_pki() const { return has_pki_ ? &pki_ : nullptr; }
  CookieJar *cookies() { return &cookies_; }
  // The application's choice for `name`, asking it only for names not
  // seen before. nullptr if it refused the name.
  const PskChoice *psk_for_name(const char *name, coap_session_t *session);
  const PkiChoice *pki_for_name(const char *name);

 private:
  static constexpr int kChoices = 32;  // names remembered (oldest forgotten)

  void drop_server_contexts();
  SSL_CTX *server_context(Kind kind);
  SSL_CTX *build_server_context(Kind kind);
  bool ensure_listener();

  bool has_psk_ = false;
  coap_dtls_spsk_t psk_ = {};
  OwnedBytes default_hint_, default_key_;
  bool has_pki_ = false;
  coap_dtls_pki_t pki_ = {};
  Credentials *server_credentials_ = nullptr;  // loaded with the contexts
  OwnedBytes root_file_, root_dir_;
  SSL_CTX *server_ctx_[2] = {nullptr, nullptr};  // by Kind

  PskChoice *psk_choices_[kChoices] = {};
  int next_psk_choice_ = 0;
  PkiChoice *pki_choices_[kChoices] = {};
  int next_pki_choice_ = 0;

  CookieJar cookies_;
  SSL_CTX *listen_ctx_ = nullptr;
  SSL *listener_ = nullptr;
  MemoryPipe listen_pipe_{true};
  CookieScope listen_scope_;
};

}  // namespace coap::tls::ossl
