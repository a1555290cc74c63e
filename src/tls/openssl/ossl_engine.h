// One (D)TLS connection over OpenSSL, driven entirely through memory (see
// memory_bio.h) and the caller's clock.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>

#include "core/tls_engine.h"
#include "tls/openssl/cookie_jar.h"
#include "tls/openssl/memory_bio.h"
#include "tls/openssl/ossl_util.h"
#include "tls/openssl/pki_checks.h"

namespace coap::tls::ossl {

class OsslBackend;

class OsslEngine final : public Engine {
 public:
  // A client with its own SSL_CTX built from `psk` and/or `pki`. nullptr,
  // logged, if the settings cannot be used.
  static OsslEngine *make_client(Kind kind, coap_session_t *session, const coap_dtls_cpsk_t *psk,
                                 const coap_dtls_pki_t *pki, const char *root_file,
                                 const char *root_dir);
  // A server over the backend's context for `kind`.
  static OsslEngine *make_server(Kind kind, coap_session_t *session, OsslBackend *backend,
                                 SSL_CTX *ctx, const uint8_t *peer, size_t peer_length);

  OsslEngine(Kind kind, Role role, coap_session_t *session);
  ~OsslEngine() override;
  OsslEngine(const OsslEngine &) = delete;
  OsslEngine &operator=(const OsslEngine &) = delete;

  Status start(uint64_t now) override;
  Status feed(const uint8_t *data, size_t length, PlaintextSink *sink, uint64_t now) override;
  bool write(const uint8_t *data, size_t length) override;
  bool next_output(const uint8_t **data, size_t *length) override;
  uint64_t next_timeout(uint64_t now) override;
  Status on_timer(uint64_t now) override;
  bool established() const override { return state_ == State::kEstablished; }
  void close() override;
  void set_mtu(size_t mtu) override;
  size_t max_plaintext() const override;
  size_t overhead() const override;
  const coap_bin_const_t *psk_identity() const override { return used_identity_.bin(); }
  const coap_bin_const_t *psk_hint() const override { return used_hint_.bin(); }
  const coap_bin_const_t *psk_key() const override { return used_key_.bin(); }
  void *native() const override { return ssl_; }
  bool alert_sent() const override;

  // OpenSSL's own handshake timer is set far beyond any handshake, so it
  // never fires by itself; on_timer() expires it when the engine's clock
  // says so.
  static constexpr unsigned int kLibraryTimerUs = 3600u * 1000000u;

  // The OpenSSL callbacks (engine_callbacks.cc), installed on the SSL_CTX.
  static int verify_callback(int preverify_ok, X509_STORE_CTX *store);
  static unsigned int client_psk_callback(SSL *ssl, const char *hint, char *identity,
                                          unsigned int max_identity, unsigned char *psk,
                                          unsigned int max_psk);
  static unsigned int server_psk_callback(SSL *ssl, const char *identity, unsigned char *psk,
                                          unsigned int max_psk);
  static int client_hello_callback(SSL *ssl, int *alert, void *arg);
  static int servername_callback(SSL *ssl, int *alert, void *arg);
  static void info_callback(const SSL *ssl, int where, int value);
  static unsigned int timer_callback(SSL *ssl, unsigned int previous_us);

 private:
  enum class State { kHandshaking, kEstablished, kClosed, kFailed };

  static OsslEngine *of(const SSL *ssl);
  // Creates the SSL over `ctx` with our BIO and callbacks.
  bool attach(SSL_CTX *ctx);
  bool setup_client(const coap_dtls_cpsk_t *psk, const coap_dtls_pki_t *pki, const char *root_file,
                    const char *root_dir);
  bool setup_server(OsslBackend *backend, SSL_CTX *ctx, const uint8_t *peer, size_t peer_length);

  void begin(uint64_t now);
  Status after_handshake_step(int result);
  Status read_plaintext(PlaintextSink *sink);
  Status fail(const char *what);
  const char *label() const;

  // Callback bodies.
  const coap_dtls_pki_t *pki() const;
  unsigned int client_psk(const char *hint, char *identity, unsigned int max_identity,
                          unsigned char *psk, unsigned int max_psk);
  unsigned int server_psk(const char *identity, unsigned char *psk, unsigned int max_psk);
  // Applies the credentials the application chose for the client's SNI,
  // once per handshake. False if the name is refused.
  bool resolve_sni();

  Kind kind_;
  Role role_;
  State state_ = State::kHandshaking;
  coap_session_t *session_;
  SSL *ssl_ = nullptr;
  MemoryPipe pipe_;
  RetransmitTimer timer_;
  uint8_t *read_buffer_ = nullptr;

  // Server side.
  OsslBackend *backend_ = nullptr;
  bool listening_ = false;  // DTLS: the cookie exchange is not done yet
  OwnedBytes peer_;
  CookieScope cookie_scope_;
  OwnedBytes server_hint_, server_key_;  // after SNI
  OwnedBytes sni_name_;                  // from the ClientHello
  bool sni_done_ = false, sni_ok_ = true;

  // Client side.
  bool has_client_pki_ = false;
  coap_dtls_pki_t client_pki_;
  bool has_client_psk_ = false;
  OwnedBytes client_identity_, client_key_;
  coap_dtls_ih_callback_t hint_callback_ = nullptr;
  void *hint_callback_arg_ = nullptr;

  bool fatal_alert_sent_ = false;  // seen by info_callback()
  VerifyTrace trace_;
  // What the handshake used, for the accessors.
  OwnedBytes used_identity_, used_hint_, used_key_;
};

}  // namespace coap::tls::ossl
