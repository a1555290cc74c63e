// The (D)TLS engine interface: a byte pump that never touches a socket or
// a session. Network bytes go in with feed(); what must go on the wire
// comes out of next_output(); decrypted application data comes out
// through a sink. Time is passed in for DTLS handshake retransmission.
// The backend linked into the library (src/tls/<backend>/) implements it;
// the notls backend provides none (create_backend() returns nullptr).
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::tls {

enum class Kind { kDtls, kTls };  // datagram (record per datagram) or stream
enum class Role { kClient, kServer };

// Outcome of handing the engine input or time.
enum class Status {
  kOk,         // nothing special (handshake may be in progress)
  kConnected,  // the handshake just completed
  kClosed,     // the peer closed the connection (close_notify)
  kFailed,     // fatal error (alert, verification failure, ...)
};

// Receives decrypted application data. For DTLS each call is one record,
// i.e. one CoAP message; for TLS the bytes are a piece of the stream.
class PlaintextSink {
 public:
  virtual ~PlaintextSink() = default;
  virtual void deliver(const uint8_t *data, size_t length) = 0;
};

// One (D)TLS connection.
class Engine {
 public:
  virtual ~Engine() = default;

  // Clients: produce the first handshake flight (see next_output()).
  virtual Status start(uint64_t now) = 0;

  // Bytes from the peer: exactly one datagram for DTLS, any chunk of the
  // stream for TLS. Application data goes to sink.
  virtual Status feed(const uint8_t *data, size_t length, PlaintextSink *sink, uint64_t now) = 0;

  // Encrypts one application message (a CoAP PDU). False if the
  // connection is not established or the message does not fit.
  virtual bool write(const uint8_t *data, size_t length) = 0;

  // Takes the next piece of network output: one datagram for DTLS (never
  // merged or split), any amount for TLS. Returns false when there is none.
  // The pointer stays valid until the next call on the engine.
  virtual bool next_output(const uint8_t **data, size_t *length) = 0;

  // DTLS handshake retransmission: the absolute time (ms ticks) of the next
  // timer, UINT64_MAX if none; on_timer() is called when it is reached.
  virtual uint64_t next_timeout(uint64_t now) = 0;
  virtual Status on_timer(uint64_t now) = 0;

  virtual bool established() const = 0;

  // Sends close_notify (appears in next_output()).
  virtual void close() = 0;

  // DTLS: the largest datagram (UDP payload) the session allows, so
  // handshake flights are fragmented to fit it; 1152 until set. Ignored
  // for TLS.
  virtual void set_mtu(size_t mtu) = 0;

  // Largest application message that fits one record/datagram (DTLS), so
  // the session can size its PDUs; 0 when unknown (and always for TLS,
  // where a message may span records).
  virtual size_t max_plaintext() const = 0;
  // Bytes the encryption adds to each record.
  virtual size_t overhead() const = 0;

  // What the peer presented or the handshake agreed on (for the C API).
  // nullptr when not applicable.
  virtual const coap_bin_const_t *psk_identity() const = 0;
  virtual const coap_bin_const_t *psk_hint() const = 0;
  virtual const coap_bin_const_t *psk_key() const = 0;

  // The library object (an SSL * for OpenSSL) for coap_session_get_tls().
  virtual void *native() const = 0;

  // After kFailed: true when this side ended the connection with a fatal
  // alert of its own (a local verification or protocol error), false when
  // the peer's alert (or a timeout) ended it. libcoap reports only the
  // former as COAP_EVENT_DTLS_ERROR.
  virtual bool alert_sent() const { return false; }
};

// Outcome of screening the first datagram of an unknown DTLS peer.
enum class HelloVerdict {
  kDrop,       // not a ClientHello (or garbage): ignore it
  kSendReply,  // answer with the reply (HelloVerifyRequest) and forget it
  kAccept,     // a ClientHello with a valid cookie: create the session
};

// Per-context configuration and factory, provided by the linked backend.
// Engines refer to their backend's settings: destroy them before it.
class Backend {
 public:
  virtual ~Backend() = default;

  // Server-side credentials (coap_context_set_psk2 / _pki / _pki_root_cas).
  virtual bool set_server_psk(const coap_dtls_spsk_t *setup) = 0;
  virtual bool set_server_pki(const coap_dtls_pki_t *setup) = 0;
  virtual bool set_root_cas(const char *ca_file, const char *ca_dir) = 0;
  virtual bool has_server_credentials() const = 0;

  // Engines come from the library heap: free them with coap::destroy().
  // nullptr (logged) when the settings cannot be used.
  //
  // A client connection with PSK or PKI (one of psk/pki may be nullptr;
  // both nullptr: anonymous, no certificate checks). `session` is only
  // passed back to the application's callbacks.
  virtual Engine *new_client(Kind kind, coap_session_t *session, const coap_dtls_cpsk_t *psk,
                             const coap_dtls_pki_t *pki) = 0;
  // A server connection using the context's credentials. For DTLS, `peer`
  // is the client's identity as given to screen_hello(): the engine then
  // expects the ClientHello that screen_hello() accepted (cookie bound to
  // that peer) as its first datagram. With peer == nullptr the engine does
  // its own, stateful cookie exchange on an address-less cookie.
  virtual Engine *new_server(Kind kind, coap_session_t *session, const uint8_t *peer,
                             size_t peer_length) = 0;

  // DTLS servers: stateless cookie exchange (RFC 6347 section 4.2.1) for
  // a datagram from a peer that has no session yet. `peer` identifies the
  // client (the cookie is bound to it); a reply, if any, is written to
  // reply/reply_length (the buffer stays valid until the next call). `now`
  // (ms ticks) drives the rotation of the cookie secret.
  virtual HelloVerdict screen_hello(const uint8_t *data, size_t length, const uint8_t *peer,
                                    size_t peer_length, const uint8_t **reply, size_t *reply_length,
                                    uint64_t now) = 0;
};

// Provided by the backend object library linked into the shipped library:
// the OpenSSL backend returns its implementation, notls returns nullptr.
Backend *create_backend(coap_context_t *context);
void destroy_backend(Backend *backend);

}  // namespace coap::tls
