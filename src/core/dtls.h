// CoAP over DTLS (RFC 7252 section 9.1): a session's datagrams pass
// through the (D)TLS engine of its channel
//
//   DtlsEnd -> SecureLayer(kDtls) -> DatagramLink -> PacketIo
//
// while plain UDP sessions keep no channel at all. A server endpoint
// answers an unknown peer's ClientHello statelessly (HelloVerifyRequest
// with a cookie, tls::Backend::screen_hello()) and only a ClientHello that
// returns a valid cookie creates a session: first reported as
// COAP_SESSION_TYPE_HELLO in COAP_EVENT_SERVER_SESSION_NEW, then a server
// session in COAP_SESSION_STATE_HANDSHAKE. Anything else from an unknown
// peer is dropped without any state.
//
// Messages sent before the handshake completes are held and sent, in
// order, once it has (their retransmission starts then). A failed
// handshake nacks the held confirmable messages with COAP_NACK_TLS_FAILED
// and ends with COAP_EVENT_DTLS_CLOSED, as libcoap's OpenSSL build does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "coap3/coap.h"
#include "core/channel.h"
#include "util/memory.h"
#include "util/timer_queue.h"

namespace coap {

// The top of a DTLS session's channel: session state, held messages, the
// stack's timer, and decrypted datagrams into the message layer.
class DtlsEnd final : public Channel {
 public:
  explicit DtlsEnd(coap_session_t *session);
  ~DtlsEnd() override;

  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;
  void on_open(uint64_t now) override;
  void on_down(ChannelDown why, const char *detail, uint64_t now) override;
  void timer_changed(uint64_t now) override { reschedule(now); }

  // Encodes and sends pdu; false unless the session is established.
  bool transmit(coap_pdu_t *pdu, uint64_t now);
  // Keeps pdu (taking ownership) until the handshake is done; false when
  // the session is established (or gone) and the pdu should go now.
  bool hold(coap_pdu_t *pdu);
  void reschedule(uint64_t now);
  // The library frees the session: close_notify, COAP_EVENT_DTLS_CLOSED,
  // held confirmable messages nacked.
  void freeing(uint64_t now);

  size_t held() const { return held_.size(); }
  bool down = false;  // handshake failed or connection closed
  bool reap = false;  // a server session to free once nobody holds it

 private:
  struct TimerSlot {
    Timer timer;
    DtlsEnd *owner;
  };
  static void on_timer_fired(Timer *t, uint64_t now);
  void fire(uint64_t now);
  // Nacks the held confirmable messages and drops every held message.
  void drop_held(coap_nack_reason_t reason);

  TimerSlot timer_;
  std::vector<coap_pdu_t *, Allocator<coap_pdu_t *>> held_;
};

// The bottom of a DTLS stack: datagrams to the session's peer through the
// PacketIo (the socket belongs to the session or its endpoint).
class DatagramLink final : public Channel {
 public:
  explicit DatagramLink(coap_session_t *session) : Channel(session) {}
  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;
};

namespace dtls {

// Overhead assumed per record until a handshake has chosen a cipher suite
// (libcoap uses the same figure).
constexpr unsigned kDefaultOverhead = 29;

// The DtlsEnd of a DTLS session, nullptr if it has none.
DtlsEnd *end_of(const coap_session_t *session);

// session_manager.cc new_client_session(): builds the channel of a new
// DTLS client session (state HANDSHAKE); its engine comes from
// secure::start_client(). False: unusable.
bool open_client(coap_session_t *session, uint64_t now);

// messaging.cc receive_datagram(): one datagram for a DTLS endpoint or
// client session.
void receive(coap_context_t *context, coap_endpoint_t *endpoint, coap_session_t *session,
             const uint8_t *data, size_t length, const coap_addr_tuple_t &addrs, int ifindex,
             uint64_t now);

// --- hooks for the shared core files (core/channel.h) ---
bool transmit(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);
bool hold(coap_session_t *session, coap_pdu_t *pdu);
void reschedule(coap_session_t *session, uint64_t now);
bool has_output(const coap_session_t *session);
void session_freeing(coap_session_t *session);
// coap_session_disconnected() for a DTLS session: close_notify, the
// session goes to NONE with COAP_EVENT_DTLS_CLOSED.
void disconnect(coap_session_t *session, uint64_t now);

}  // namespace dtls

}  // namespace coap
