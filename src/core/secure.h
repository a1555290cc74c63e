// The (D)TLS layer of a session's channel (core/channel.h): wraps one
// engine from the linked backend (core/tls_engine.h) and turns its results
// into the COAP_EVENT_DTLS_* events libcoap reports, for both
//
//   DTLS over UDP   DtlsEnd -> SecureLayer(kDtls) -> DatagramLink   (core/dtls.h)
//   TLS over TCP    ReliableEnd -> TcpFramer -> SecureLayer(kTls) -> StreamSocket
//
// Handshake bytes and encrypted records go down; decrypted messages (DTLS)
// or stream bytes (TLS) go up. The layers above learn of the completed
// handshake through on_open() and of its failure through on_down().
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/channel.h"
#include "core/tls_engine.h"
#include "util/byte_buffer.h"

namespace coap {

class SecureLayer final : public Channel, private tls::PlaintextSink {
 public:
  // Handshake retransmissions before a DTLS handshake is given up (1, 2, 4
  // and 8 s after the first flight; the give-up comes 16 s after the last,
  // 31 s in all), as libcoap's OpenSSL build does.
  static constexpr int kMaxHandshakeTimeouts = 4;
  // A TLS handshake (no retransmissions of its own) gets as long.
  static constexpr uint64_t kTlsHandshakeMs = 31000;

  SecureLayer(coap_session_t *session, tls::Kind kind, tls::Role role);
  ~SecureLayer() override;

  // Takes ownership of the engine (made by the context's backend).
  void set_engine(tls::Engine *engine) { engine_ = engine; }
  tls::Engine *engine() const { return engine_; }
  tls::Kind kind() const { return kind_; }
  bool established() const { return engine_ && engine_->established(); }
  bool failed() const { return failed_; }

  // Clients: sends the first flight (DTLS sessions call it at once, TLS
  // ones when the TCP connection is up).
  void start(uint64_t now) override;
  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  // Sends close_notify (if the connection is up), reports
  // COAP_EVENT_DTLS_CLOSED once and closes the layers below.
  void close(uint64_t now) override;
  uint64_t next_timeout() const override;
  void on_timer(uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;
  void on_open(uint64_t now) override;
  // A TLS session is freed: close_notify if still connected, and
  // COAP_EVENT_DTLS_CLOSED if not reported yet.
  void say_goodbye(uint64_t now);

 private:
  void deliver(const uint8_t *data, size_t length) override;
  // Hands the engine's output to the layer below.
  void flush(uint64_t now);
  // Acts on what the engine reported; may end the channel.
  void handle(tls::Status status, uint64_t now);
  void fail(const char *why, uint64_t now);
  // Passes the plaintext collected during feed() upwards.
  void pass_up(uint64_t now);
  // COAP_EVENT_DTLS_CLOSED, once.
  void report_closed();

  tls::Engine *engine_ = nullptr;
  tls::Kind kind_;
  tls::Role role_;
  bool started_ = false;
  bool failed_ = false;
  bool closed_reported_ = false;
  int timeouts_ = 0;                 // DTLS handshake timer expiries
  uint64_t handshake_deadline_ = 0;  // TLS: 0 until the handshake starts
  ByteBuffer plain_;                 // [4-byte length][record] from feed()
};

namespace secure {

// The context's (D)TLS backend, made on first use; nullptr (logged) when
// the library has none (notls).
tls::Backend *backend_of(coap_context_t *context);
// The SecureLayer of a session's channel, nullptr if it has none.
SecureLayer *layer_of(const coap_session_t *session);

// Builds the client engine for a new secure client session (DTLS or TLS,
// its channel already built) and, for DTLS, sends the first flight.
// psk and pki may both be nullptr (no credentials, certificates not
// checked). False (logged) when the engine cannot be made.
bool start_client(coap_session_t *session, const coap_dtls_cpsk_t *psk, const coap_dtls_pki_t *pki,
                  uint64_t now);

// A SecureLayer for a TLS stream session (core/stream.cc build_stack()):
// servers get their engine at once, clients from start_client().
SecureLayer *make_tls_layer(coap_session_t *session, bool client);

// core/channel.cc channel_session_freeing() for TLS sessions.
void session_freeing(coap_session_t *session);

// coap_session_set_mtu(): DTLS handshake flights are fragmented to fit.
void mtu_changed(coap_session_t *session);

}  // namespace secure

}  // namespace coap
