// CoAP over reliable transports (RFC 8323): the top of a stream session's
// channel. It owns the session's connection state (CONNECTING -> CSM ->
// ESTABLISHED, NONE once gone) and the signaling messages: the CSM
// exchange and its timeout, Ping/Pong and keepalive, Release and Abort.
// Messages carry no type or message id here and are never acknowledged,
// retransmitted or deduplicated; requests and responses are matched by
// token alone (core/messaging.cc handle_pdu does the rest as for UDP).
//
// Requests and responses sent before the CSM exchange completes are held
// and sent in order once it does, as libcoap does.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/channel.h"
#include "util/byte_buffer.h"
#include "util/timer_queue.h"

namespace coap {

class ReliableEnd final : public Channel {
 public:
  explicit ReliableEnd(coap_session_t *session);
  ~ReliableEnd() override;

  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;
  void on_open(uint64_t now) override;
  void on_down(ChannelDown why, const char *detail, uint64_t now) override;
  void timer_changed(uint64_t now) override { reschedule(now); }

  // Encodes and sends pdu (held until ESTABLISHED unless signaling).
  bool transmit(coap_pdu_t *pdu, uint64_t now);
  // Sends a Ping (7.02); COAP_INVALID_MID unless established.
  coap_mid_t ping(uint64_t now);
  // Sends Abort (7.05) with an optional Bad-CSM-Option and diagnostic.
  void abort(uint32_t bad_csm_option, const char *diagnostic, uint64_t now);
  // Ends the connection: nack and events as libcoap reports them, state
  // NONE; a server session is then removed (see reliable::Hold).
  void disconnect(ChannelDown why, coap_nack_reason_t reason, uint64_t now);
  // Arms the stack's timer: CSM wait, keepalive, lower layers' timers.
  void reschedule(uint64_t now);

  // What the peer announced in its CSM (RFC 8323 section 5.3), with the
  // base values until then.
  uint32_t peer_max_message = 1152;
  bool peer_block = false;    // Block-Wise-Transfer
  bool peer_bert = false;     // Block-Wise-Transfer with Max-Message-Size > 1152
  size_t peer_max_token = 8;  // Extended-Token-Length (RFC 8974)
  bool peer_sent_max_message = false;
  bool local_bert = false;  // our CSM offered BERT
  bool csm_received = false;
  bool csm_timed_out = false;
  size_t messages_in = 0;  // complete messages received

  bool down = false;  // disconnected
  bool reap = false;  // a disconnected server session waiting to be freed
  size_t held() const { return held_count_; }

 private:
  struct TimerSlot {
    Timer timer;
    ReliableEnd *owner;
  };
  static void on_timer_fired(Timer *t, uint64_t now);
  void fire(uint64_t now);

  void send_csm(uint64_t now);
  void establish(uint64_t now);
  void csm_timeout(uint64_t now);
  void keepalive(uint64_t now);
  void handle_signal(coap_pdu_t *pdu, uint64_t now);
  void apply_csm(const coap_pdu_t *pdu, uint64_t now);
  void reject_malformed(const uint8_t *data, size_t length, uint64_t now);
  bool put_on_wire(const uint8_t *data, size_t length, uint64_t now);
  bool token_allowed(size_t token_length) const;
  void flush_held(uint64_t now);
  uint64_t keepalive_due(uint64_t now) const;

  TimerSlot timer_;
  size_t max_token_offer_ = 8;    // Extended-Token-Length of our CSM
  uint64_t csm_deadline_ = 0;     // 0: not waiting for a CSM
  bool ping_unanswered_ = false;  // keepalive Ping sent, no Pong since
  // Messages waiting for ESTABLISHED: [length][token length][message].
  ByteBuffer held_;
  size_t held_count_ = 0;
};

namespace reliable {

// The ReliableEnd of a reliable session, nullptr if it has none.
ReliableEnd *end_of(const coap_session_t *session);

// Keeps a session alive across a call that may end its connection: a
// disconnected server session is freed when the last Hold goes (unless
// the application holds a reference; idle expiry takes it then).
class Hold {
 public:
  explicit Hold(coap_session_t *session);
  ~Hold();
  Hold(const Hold &) = delete;
  Hold &operator=(const Hold &) = delete;

 private:
  coap_session_t *session_;
};

// --- used by the shared core files and the C API ---
bool transmit(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);
void reschedule(coap_session_t *session, uint64_t now);
void session_freeing(coap_session_t *session);
coap_mid_t send_ping(coap_session_t *session, uint64_t now);
// coap_session_disconnected() for a reliable session.
void disconnect(coap_session_t *session, coap_nack_reason_t reason, uint64_t now);
// Messages held until the session is established, or output queued.
bool has_output(const coap_session_t *session);
// Both sides offered BERT (RFC 8323 section 6).
bool uses_bert(const coap_session_t *session);
// Largest PDU (after the header) for a reliable session of this MTU
// (libcoap's rule: the header grows with the length it encodes).
size_t max_pdu_size(unsigned mtu);

}  // namespace reliable

}  // namespace coap
