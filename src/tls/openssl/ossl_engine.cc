#include "tls/openssl/ossl_engine.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <sys/time.h>

#include <climits>
#include <cstdio>
#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/credentials.h"
#include "tls/openssl/ossl_backend.h"
#include "tls/openssl/ssl_context.h"
#include "util/memory.h"

namespace coap::tls::ossl {

namespace {

constexpr size_t kReadBufferSize = SSL3_RT_MAX_PLAIN_LENGTH;

// SNI carries host names only: a literal address is not sent.
bool is_address_literal(const char *name) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, name, buffer) == 1 || inet_pton(AF_INET6, name, buffer) == 1;
}

}  // namespace

OsslEngine::OsslEngine(Kind kind, Role role, coap_session_t *session)
    : kind_(kind), role_(role), session_(session), pipe_(kind == Kind::kDtls) {
  std::memset(&client_pki_, 0, sizeof(client_pki_));
  pipe_.set_timer(&timer_);
}

OsslEngine::~OsslEngine() {
  if (ssl_) {
    SSL_set_ex_data(ssl_, engine_slot(), nullptr);
    SSL_set_ex_data(ssl_, cookie_slot(), nullptr);
    SSL_free(ssl_);
  }
  coap::deallocate(read_buffer_);
}

OsslEngine *OsslEngine::of(const SSL *ssl) {
  return ssl ? static_cast<OsslEngine *>(SSL_get_ex_data(ssl, engine_slot())) : nullptr;
}

const char *OsslEngine::label() const {
  if (kind_ == Kind::kDtls) return role_ == Role::kClient ? "DTLS client" : "DTLS server";
  return role_ == Role::kClient ? "TLS client" : "TLS server";
}

bool OsslEngine::attach(SSL_CTX *ctx) {
  ssl_ = SSL_new(ctx);
  BIO *bio = ssl_ ? pipe_.make_bio() : nullptr;
  if (!bio) {
    log_errors(COAP_LOG_ERR, "TLS: cannot create a connection");
    return false;
  }
  // One BIO serves both directions; the SSL takes over our reference.
  SSL_set_bio(ssl_, bio, bio);
  SSL_set_ex_data(ssl_, engine_slot(), this);
  SSL_set_info_callback(ssl_, info_callback);
  if (kind_ == Kind::kDtls) {
    DTLS_set_timer_cb(ssl_, timer_callback);
    if (SSL_set_mtu(ssl_, static_cast<long>(pipe_.mtu())) <= 0) drop_errors("DTLS MTU");
  }
  return true;
}

OsslEngine *OsslEngine::make_client(Kind kind, coap_session_t *session, const coap_dtls_cpsk_t *psk,
                                    const coap_dtls_pki_t *pki, const char *root_file,
                                    const char *root_dir) {
  ERR_clear_error();
  OsslEngine *engine = coap::create<OsslEngine>(kind, Role::kClient, session);
  if (!engine) {
    LOGE("TLS: out of memory\n");
    return nullptr;
  }
  if (!engine->setup_client(psk, pki, root_file, root_dir)) {
    coap::destroy(engine);
    return nullptr;
  }
  return engine;
}

bool OsslEngine::setup_client(const coap_dtls_cpsk_t *psk, const coap_dtls_pki_t *pki,
                              const char *root_file, const char *root_dir) {
  if (pki && !copy_pki_setup(*pki, &client_pki_)) return false;
  has_client_pki_ = pki != nullptr;
  if (psk) {
    if (!client_identity_.assign(psk->psk_info.identity) ||
        !client_key_.assign(psk->psk_info.key)) {
      LOGE("TLS: out of memory\n");
      return false;
    }
    hint_callback_ = psk->validate_ih_call_back;
    hint_callback_arg_ = psk->ih_call_back_arg;
    has_client_psk_ = true;
  }

  SSL_CTX *ctx = new_ssl_context(kind_, role_, psk && !pki ? Suites::kPskOnly : Suites::kAny);
  if (!ctx) return false;
  bool ok = true;
  if (psk) SSL_CTX_set_psk_client_callback(ctx, client_psk_callback);
  if (pki) {
    // Before the certificate goes in: the level also judges our own key.
    if (wants_relaxed_security(client_pki_)) SSL_CTX_set_security_level(ctx, 0);
    Credentials credentials;
    X509_STORE *store = nullptr;
    ok = credentials.load(client_pki_.pki_key, client_pki_.is_rpk_not_cert) &&
         credentials.use_in(ctx) &&
         (store = make_trust_store(client_pki_, credentials, root_file, root_dir)) != nullptr;
    if (store) SSL_CTX_set_cert_store(ctx, store);  // the context owns it now
    set_verify_params(SSL_CTX_get0_param(ctx), client_pki_);
  }
  // The decisions are taken in check_certificate(), which lets anything
  // through when there are no PKI settings.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_callback);
  ok = ok && attach(ctx);
  SSL_CTX_free(ctx);  // the SSL keeps its own reference
  if (!ok) return false;
  SSL_set_connect_state(ssl_);

  const char *sni = pki ? pki->client_sni : psk ? psk->client_sni : nullptr;
  if (sni && *sni && !is_address_literal(sni) && SSL_set_tlsext_host_name(ssl_, sni) != 1) {
    log_errors(COAP_LOG_WARN, "TLS: cannot set the server name");
    return false;
  }
  if (pki && client_pki_.additional_tls_setup_call_back &&
      !client_pki_.additional_tls_setup_call_back(ssl_, &client_pki_)) {
    LOGW("%s: the application's additional TLS setup failed\n", label());
    return false;
  }
  return true;
}

OsslEngine *OsslEngine::make_server(Kind kind, coap_session_t *session, OsslBackend *backend,
                                    SSL_CTX *ctx, const uint8_t *peer, size_t peer_length) {
  ERR_clear_error();
  OsslEngine *engine = coap::create<OsslEngine>(kind, Role::kServer, session);
  if (!engine) {
    LOGE("TLS: out of memory\n");
    return nullptr;
  }
  if (!engine->setup_server(backend, ctx, peer, peer_length)) {
    coap::destroy(engine);
    return nullptr;
  }
  return engine;
}

bool OsslEngine::setup_server(OsslBackend *backend, SSL_CTX *ctx, const uint8_t *peer,
                              size_t peer_length) {
  backend_ = backend;
  if (!attach(ctx)) return false;
  SSL_set_accept_state(ssl_);
  if (const coap_dtls_spsk_t *psk = backend->server_psk()) {
    if (!server_hint_.assign(psk->psk_info.hint) || !server_key_.assign(psk->psk_info.key)) {
      LOGE("TLS: out of memory\n");
      return false;
    }
    if (server_hint_.size() && SSL_use_psk_identity_hint(ssl_, server_hint_.c_str()) != 1) {
      log_errors(COAP_LOG_WARN, "TLS: cannot set the PSK identity hint");
      return false;
    }
  }
  if (kind_ == Kind::kDtls) {
    if (peer && peer_length && !peer_.assign(peer, peer_length)) {
      LOGE("TLS: out of memory\n");
      return false;
    }
    cookie_scope_.jar = backend->cookies();
    cookie_scope_.peer = peer_.data();
    cookie_scope_.peer_length = peer_.size();
    attach_cookie_scope(ssl_, &cookie_scope_);
    listening_ = true;
  }
  return true;
}

void OsslEngine::begin(uint64_t now) {
  timer_.now = now;
  ERR_clear_error();
}

Status OsslEngine::fail(const char *what) {
  state_ = State::kFailed;
  char prefix[96];
  std::snprintf(prefix, sizeof(prefix), "%s: %s", label(), what);
  long verify = ssl_ ? SSL_get_verify_result(ssl_) : X509_V_OK;
  if (verify != X509_V_OK) {
    LOGW("%s: certificate check failed: %s\n", prefix, X509_verify_cert_error_string(verify));
  }
  log_errors(COAP_LOG_WARN, prefix);
  return Status::kFailed;
}

Status OsslEngine::after_handshake_step(int result) {
  if (result == 1) {
    state_ = State::kEstablished;
    timer_.stopped();
    LOGI("%s: %s established with %s\n", label(), SSL_get_version(ssl_), SSL_get_cipher_name(ssl_));
    return Status::kConnected;
  }
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return Status::kOk;
    case SSL_ERROR_ZERO_RETURN:
      state_ = State::kClosed;
      return Status::kClosed;
    default:
      return fail("handshake failed");
  }
}

Status OsslEngine::start(uint64_t now) {
  if (state_ == State::kFailed) return Status::kFailed;
  if (state_ != State::kHandshaking || role_ != Role::kClient) return Status::kOk;
  begin(now);
  return after_handshake_step(SSL_do_handshake(ssl_));
}

Status OsslEngine::read_plaintext(PlaintextSink *sink) {
  if (!read_buffer_) {
    read_buffer_ = static_cast<uint8_t *>(coap::allocate(kReadBufferSize));
    if (!read_buffer_) {
      LOGE("TLS: out of memory\n");
      return Status::kOk;  // the data stays queued inside OpenSSL
    }
  }
  for (;;) {
    int n = SSL_read(ssl_, read_buffer_, static_cast<int>(kReadBufferSize));
    if (n > 0) {
      if (sink) sink->deliver(read_buffer_, static_cast<size_t>(n));
      continue;
    }
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        return Status::kOk;
      case SSL_ERROR_ZERO_RETURN:
        LOGD("%s: the peer closed the connection\n", label());
        // Answer with our own close_notify.
        SSL_shutdown(ssl_);
        drop_errors(label());
        state_ = State::kClosed;
        return Status::kClosed;
      default:
        return fail("receive failed");
    }
  }
}

Status OsslEngine::feed(const uint8_t *data, size_t length, PlaintextSink *sink, uint64_t now) {
  if (state_ == State::kFailed) return Status::kFailed;
  if (state_ == State::kClosed) return Status::kClosed;
  if (!data || !length) return Status::kOk;
  begin(now);
  if (kind_ == Kind::kDtls) {
    pipe_.set_datagram(data, length);
  } else if (!pipe_.append_stream(data, length)) {
    LOGE("%s: out of memory\n", label());
    state_ = State::kFailed;
    return Status::kFailed;
  }

  Status result = Status::kOk;
  if (listening_) {
    backend_->cookies()->rotate(now);
    BIO_ADDR *client = BIO_ADDR_new();
    int r = client ? DTLSv1_listen(ssl_, client) : -1;
    BIO_ADDR_free(client);
    if (r <= 0) {
      pipe_.clear_input();
      if (r < 0) return fail("cookie exchange failed");
      // No or a stale cookie (a HelloVerifyRequest is queued), or not a
      // ClientHello at all (dropped).
      drop_errors(label());
      return Status::kOk;
    }
    listening_ = false;
  }
  if (state_ == State::kHandshaking) {
    result = after_handshake_step(SSL_do_handshake(ssl_));
    if (result == Status::kFailed || result == Status::kClosed) {
      pipe_.clear_input();
      return result;
    }
  }
  if (state_ == State::kEstablished) {
    Status read = read_plaintext(sink);
    if (read != Status::kOk) result = read;
  }
  // Invalid DTLS records are dropped silently (RFC 6347 section 4.1.2.7);
  // keep the reasons for debugging only.
  drop_errors(label());
  if (kind_ == Kind::kDtls) pipe_.clear_input();
  return result;
}

bool OsslEngine::write(const uint8_t *data, size_t length) {
  if (state_ != State::kEstablished || !data || !length || length > INT_MAX) return false;
  if (kind_ == Kind::kDtls) {
    size_t limit = max_plaintext();
    if (limit && length > limit) {
      LOGD("%s: a %zu byte message does not fit one record (%zu)\n", label(), length, limit);
      return false;
    }
  }
  ERR_clear_error();
  int n = SSL_write(ssl_, data, static_cast<int>(length));
  if (n == static_cast<int>(length)) return true;
  int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_SSL || error == SSL_ERROR_SYSCALL) {
    fail("send failed");
  } else {
    log_errors(COAP_LOG_WARN, "TLS: send failed");
  }
  return false;
}

bool OsslEngine::next_output(const uint8_t **data, size_t *length) {
  if (!data || !length) return false;
  return pipe_.take_output(data, length);
}

uint64_t OsslEngine::next_timeout(uint64_t now) {
  (void)now;
  if (kind_ != Kind::kDtls || state_ != State::kHandshaking || listening_) {
    return RetransmitTimer::kNone;
  }
  return timer_.deadline;
}

Status OsslEngine::on_timer(uint64_t now) {
  if (state_ == State::kFailed) return Status::kFailed;
  if (kind_ != Kind::kDtls || state_ != State::kHandshaking || listening_ ||
      timer_.deadline == RetransmitTimer::kNone || now < timer_.deadline) {
    return Status::kOk;
  }
  begin(now);
  // OpenSSL measures its timer against the wall clock and only
  // retransmits once that has run out. It handed us its deadline field
  // with the last timer control; moving it into the past makes the
  // engine's clock the one that counts.
  if (timer_.library_deadline) {
    timer_.library_deadline->tv_sec = 1;
    timer_.library_deadline->tv_usec = 0;
  }
  int r = DTLSv1_handle_timeout(ssl_);
  if (r < 0) {
    LOGW("%s: handshake timed out\n", label());
    return fail("retransmission failed");
  }
  if (r == 0) {
    // Nothing was due after all: re-arm rather than fire again at once.
    LOGD("%s: no retransmission was due\n", label());
    timer_.backed_off();
    timer_.started();
  }
  drop_errors(label());
  return Status::kOk;
}

void OsslEngine::close() {
  if (state_ == State::kEstablished) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    drop_errors(label());
  }
  if (state_ != State::kFailed) state_ = State::kClosed;
}

void OsslEngine::set_mtu(size_t mtu) {
  if (!mtu || mtu > LONG_MAX) return;
  pipe_.set_mtu(mtu);
  if (kind_ == Kind::kDtls && ssl_ && SSL_set_mtu(ssl_, static_cast<long>(mtu)) <= 0) {
    // Below OpenSSL's minimum: it will use its minimum instead.
    LOGD("%s: MTU %zu is below what DTLS can use\n", label(), mtu);
    drop_errors(label());
  }
}

bool OsslEngine::alert_sent() const {
  return state_ == State::kFailed && fatal_alert_sent_;
}

size_t OsslEngine::max_plaintext() const {
  if (kind_ != Kind::kDtls || state_ != State::kEstablished) return 0;
  return DTLS_get_data_mtu(ssl_);
}

size_t OsslEngine::overhead() const {
  if (state_ != State::kEstablished) return 0;
  return record_overhead(ssl_, kind_);
}

}  // namespace coap::tls::ossl
