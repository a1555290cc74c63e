#include "core/secure.h"

#include "core/context.h"
#include "runtime/log.h"
#include "util/bytes.h"
#include "util/memory.h"

namespace coap {

SecureLayer::SecureLayer(coap_session_t *session, tls::Kind kind, tls::Role role)
    : Channel(session), kind_(kind), role_(role) {}

SecureLayer::~SecureLayer() {
  destroy(engine_);
}

void SecureLayer::flush(uint64_t now) {
  if (!engine_) return;
  const uint8_t *data;
  size_t length;
  while (engine_->next_output(&data, &length)) {
    if (lower_ && !lower_->send(data, length, now)) {
      LOGD("%s: %zu bytes of (D)TLS output not sent\n", coap_session_str(session_), length);
    }
  }
}

void SecureLayer::deliver(const uint8_t *data, size_t length) {
  // Kept until feed() returns, so the layers above never run inside the
  // engine (they may send, or end the connection).
  uint8_t head[4];
  store_be32(head, static_cast<uint32_t>(length));
  if (length > UINT32_MAX || !plain_.append(head, sizeof(head)) || !plain_.append(data, length)) {
    LOGW("%s: out of memory: a received message is lost\n", coap_session_str(session_));
  }
}

void SecureLayer::pass_up(uint64_t now) {
  while (plain_.size() >= 4) {
    size_t n = load_be32(plain_.data());
    if (plain_.size() < 4 + n) break;
    if (upper_ && !closed_ && !failed_) upper_->on_input(plain_.data() + 4, n, now);
    plain_.consume(4 + n);
  }
  plain_.clear();
}

void SecureLayer::fail(const char *why, uint64_t now) {
  if (failed_) return;
  failed_ = true;
  LOGW("%s: %s %s\n", coap_session_str(session_), kind_ == tls::Kind::kDtls ? "DTLS" : "TLS", why);
  plain_.clear();
  // Our own fatal alert (e.g. an unknown PSK identity, a certificate we
  // refused) is reported as an error first, as libcoap does.
  if (engine_ && engine_->alert_sent()) {
    session_->context->notify(session_, COAP_EVENT_DTLS_ERROR);
  }
  if (upper_) {
    upper_->on_down(ChannelDown::kProtocol, why, now);
  } else {
    close(now);
  }
}

void SecureLayer::handle(tls::Status status, uint64_t now) {
  switch (status) {
    case tls::Status::kOk:
      return;
    case tls::Status::kConnected:
      timeouts_ = 0;
      handshake_deadline_ = 0;
      LOGD("%s: %s handshake complete\n", coap_session_str(session_),
           kind_ == tls::Kind::kDtls ? "DTLS" : "TLS");
      // Reported while the session is still in its handshake state, as
      // libcoap does; the layers above then move it on.
      session_->context->notify(session_, COAP_EVENT_DTLS_CONNECTED);
      if (!closed_ && upper_) upper_->on_open(now);
      return;
    case tls::Status::kClosed:
      LOGD("%s: the peer closed the (D)TLS connection\n", coap_session_str(session_));
      if (upper_) {
        upper_->on_down(ChannelDown::kPeerClosed, "close_notify", now);
      } else {
        close(now);
      }
      return;
    case tls::Status::kFailed:
      fail(established() ? "connection failed" : "handshake failed", now);
      return;
  }
}

void SecureLayer::start(uint64_t now) {
  if (started_ || !engine_ || failed_ || closed_) return;
  started_ = true;
  if (kind_ == tls::Kind::kTls) {
    // libcoap reports a TLS session in HANDSHAKE from here on.
    handshake_deadline_ = now + kTlsHandshakeMs;
    session_->state = COAP_SESSION_STATE_HANDSHAKE;
  }
  if (role_ != tls::Role::kClient) return;
  tls::Status status = engine_->start(now);
  flush(now);
  handle(status, now);
  if (!failed_ && !closed_) timer_changed(now);
}

void SecureLayer::on_open(uint64_t now) {
  // TLS: the TCP connection is up; a client sends its ClientHello, a
  // server waits for one.
  start(now);
}

bool SecureLayer::send(const uint8_t *data, size_t length, uint64_t now) {
  if (!engine_ || failed_ || closed_ || !engine_->established()) return false;
  bool ok = engine_->write(data, length);
  flush(now);
  return ok;
}

void SecureLayer::on_input(const uint8_t *data, size_t length, uint64_t now) {
  if (!engine_ || failed_ || closed_) return;
  bool was_established = engine_->established();
  tls::Status status = engine_->feed(data, length, this, now);
  flush(now);
  if (status == tls::Status::kConnected) handle(status, now);
  // Application data that came with (or after) the last handshake flight.
  if (status != tls::Status::kFailed) pass_up(now);
  if (status == tls::Status::kClosed || status == tls::Status::kFailed) handle(status, now);
  if (!was_established && !failed_ && !closed_) timer_changed(now);
}

uint64_t SecureLayer::next_timeout() const {
  if (!engine_ || failed_ || closed_ || engine_->established()) return UINT64_MAX;
  if (kind_ == tls::Kind::kTls) return handshake_deadline_ ? handshake_deadline_ : UINT64_MAX;
  return engine_->next_timeout(0);
}

void SecureLayer::on_timer(uint64_t now) {
  if (!engine_ || failed_ || closed_ || engine_->established()) return;
  if (kind_ == tls::Kind::kTls) {
    if (handshake_deadline_ && now >= handshake_deadline_) fail("handshake timed out", now);
    return;
  }
  if (engine_->next_timeout(now) > now) return;
  if (++timeouts_ > kMaxHandshakeTimeouts) {
    fail("handshake timed out", now);
    return;
  }
  LOGD("%s: DTLS handshake retransmission #%d\n", coap_session_str(session_), timeouts_);
  tls::Status status = engine_->on_timer(now);
  flush(now);
  handle(status, now);
}

void SecureLayer::close(uint64_t now) {
  if (closed_) return;
  if (engine_ && !failed_ && engine_->established()) {
    engine_->close();  // close_notify
    flush(now);
  }
  closed_ = true;
  plain_.clear();
  // DTLS reports the end now; TLS when the session goes (say_goodbye()),
  // after the TCP and session events, as libcoap does.
  if (kind_ == tls::Kind::kDtls) report_closed();
  if (lower_) lower_->close(now);
}

void SecureLayer::report_closed() {
  if (!engine_ || closed_reported_ || (kind_ == tls::Kind::kTls && !started_)) return;
  closed_reported_ = true;
  session_->context->notify(session_, COAP_EVENT_DTLS_CLOSED);
}

void SecureLayer::say_goodbye(uint64_t now) {
  if (!closed_ && !failed_ && engine_ && engine_->established()) {
    engine_->close();
    flush(now);
  }
  report_closed();
}

namespace secure {

void session_freeing(coap_session_t *s) {
  if (SecureLayer *layer = layer_of(s)) layer->say_goodbye(s->last_activity);
}

tls::Backend *backend_of(coap_context_t *ctx) {
  if (!ctx) return nullptr;
  if (!ctx->tls) ctx->tls = tls::create_backend(ctx);
  return ctx->tls;
}

SecureLayer *layer_of(const coap_session_t *s) {
  if (!s || !s->channel) return nullptr;
  if (s->proto != COAP_PROTO_DTLS && s->proto != COAP_PROTO_TLS && s->proto != COAP_PROTO_WSS) {
    return nullptr;
  }
  // The (D)TLS layer always sits right above the socket layer
  // (core/dtls.cc, core/stream.cc build_stack()).
  Channel *bottom = bottom_layer(s->channel);
  return bottom ? static_cast<SecureLayer *>(bottom->upper()) : nullptr;
}

void mtu_changed(coap_session_t *s) {
  SecureLayer *layer = layer_of(s);
  if (layer && layer->engine() && layer->kind() == tls::Kind::kDtls)
    layer->engine()->set_mtu(s->mtu);
}

bool start_client(coap_session_t *s, const coap_dtls_cpsk_t *psk, const coap_dtls_pki_t *pki,
                  uint64_t now) {
  SecureLayer *layer = layer_of(s);
  tls::Backend *backend = backend_of(s->context);
  if (!layer || !backend) {
    LOGW("%s: (D)TLS is not available\n", coap_session_str(s));
    return false;
  }
  tls::Engine *engine = backend->new_client(layer->kind(), s, psk, pki);
  if (!engine) {
    LOGW("%s: cannot set up the (D)TLS client\n", coap_session_str(s));
    return false;
  }
  if (layer->kind() == tls::Kind::kDtls) engine->set_mtu(s->mtu);
  layer->set_engine(engine);
  // DTLS starts at once; TLS when its TCP connection is up.
  if (layer->kind() == tls::Kind::kDtls) layer->start(now);
  return !layer->failed();
}

SecureLayer *make_tls_layer(coap_session_t *s, bool client) {
  SecureLayer *layer =
      create<SecureLayer>(s, tls::Kind::kTls, client ? tls::Role::kClient : tls::Role::kServer);
  if (!layer || client) return layer;
  tls::Backend *backend = backend_of(s->context);
  tls::Engine *engine = backend ? backend->new_server(tls::Kind::kTls, s, nullptr, 0) : nullptr;
  if (!engine) {
    LOGW("%s: cannot set up the TLS server side (no credentials?)\n", coap_session_str(s));
    destroy(layer);
    return nullptr;
  }
  layer->set_engine(engine);
  return layer;
}

}  // namespace secure

}  // namespace coap
