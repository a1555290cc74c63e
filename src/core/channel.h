// A session's transport channel: how its framed CoAP messages reach the
// network and how network input becomes messages again. A channel is a
// stack of layers, each owning the one below it:
//
//   CoAP over TCP        ReliableEnd -> TcpFramer -> StreamSocket
//   (later) over TLS     ReliableEnd -> TcpFramer -> TLS -> StreamSocket
//   WebSockets           ReliableEnd -> WebSocket [-> TLS] -> StreamSocket
//   (later) DTLS         <datagram end> -> DTLS -> <datagram socket>
//
// The session talks to the top layer; the bottom layer talks to the
// PacketIo (core/packet_io.h). Calls go down (start, send, close) and come
// back up (on_input, on_open, on_down); every layer passes on what it
// does not handle itself. The core stays sans-I/O: nothing here reads a
// clock or touches a socket.
//
// UDP sessions have no channel at all (session->channel == nullptr): their
// datagrams go straight to the PacketIo, without an extra call or copy.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

// Why a channel went down: decides the events and the nack reason reported.
enum class ChannelDown {
  kConnectFailed,  // a client's connection attempt failed
  kPeerClosed,     // the peer closed or reset the connection, or it broke
  kProtocol,       // the peer broke the protocol (garbage, oversized, bad CSM)
  kReleased,       // the peer sent Release or Abort (RFC 8323 section 5.5/5.6)
  kLocal,          // closed on our side (coap_session_disconnected(), expiry)
  kWsFailed,       // the WebSocket upgrade failed (nack COAP_NACK_WS_LAYER_FAILED)
};

// Layers are made with coap::create<>() and freed through a Channel
// pointer, so Channel must be the first (or only) base of each layer.
class Channel {
 public:
  // Destroys the layers below too. Silent: no events, nothing is sent;
  // the bottom just lets go of its socket.
  virtual ~Channel();
  Channel(const Channel &) = delete;
  Channel &operator=(const Channel &) = delete;

  // Puts `lower` under this layer and takes ownership of it.
  void stack_on(Channel *lower);

  // --- called from above (the session, for the top layer) ---
  // Begins whatever the layer does first (a client's connect, a TLS
  // handshake). Default: passes down.
  virtual void start(uint64_t now);
  // One unit of this layer's input from above: a complete CoAP message for
  // the top and framing layers, bytes of the stream below them. False when
  // the channel cannot take it (closed, out of memory).
  virtual bool send(const uint8_t *data, size_t length, uint64_t now) = 0;
  // Orderly close from the top: each layer says goodbye (TLS close_notify,
  // WebSocket close frame) and the bottom closes the socket. Idempotent.
  virtual void close(uint64_t now);
  // Earliest absolute time (ms) a layer needs on_timer(); UINT64_MAX: none.
  // The top layer keeps one timer for the whole stack.
  virtual uint64_t next_timeout() const;
  virtual void on_timer(uint64_t now);

  // --- called from below ---
  // Input from the layer below: bytes of the stream, or (for the top layer)
  // exactly one complete message.
  virtual void on_input(const uint8_t *data, size_t length, uint64_t now) = 0;
  // The layers below are ready to carry data (connected, handshake done).
  virtual void on_open(uint64_t now);
  // The layers below are gone or broke the protocol; `detail` says why
  // (for the log and an Abort's diagnostic payload, may be nullptr).
  virtual void on_down(ChannelDown why, const char *detail, uint64_t now);
  // A layer below changed its next_timeout(): the top re-arms its timer.
  virtual void timer_changed(uint64_t now);

  bool closed() const { return closed_; }
  Channel *lower() const { return lower_; }
  Channel *upper() const { return upper_; }
  coap_session_t *session() const { return session_; }

 protected:
  explicit Channel(coap_session_t *session) : session_(session) {}

  coap_session_t *session_;
  Channel *lower_ = nullptr;  // owned
  Channel *upper_ = nullptr;  // nullptr for the top layer
  bool closed_ = false;
};

// Frees a whole stack (top layer and everything below), silently.
void destroy_channel(Channel *top);

// The bottom layer of a stack.
Channel *bottom_layer(Channel *top);

// --- hooks called from the shared core files for sessions with a channel ---

// messaging.cc transmit(): encodes pdu for the session's protocol and
// hands it to the channel (reliable sessions: core/reliable.h).
bool channel_transmit(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);

// session_manager.cc schedule_housekeeping(): the channel's own timers
// (CSM wait, RFC 8323 keepalive) follow the context's settings.
void channel_housekeeping(coap_session_t *session, uint64_t now);

// messaging.cc nothing_pending(): messages the channel still has to send.
bool channel_has_output(const coap_session_t *session);

// session_manager.cc free_session(), before the session is unlinked: lets
// the channel report the end of a connection the library closes itself.
void channel_session_freeing(coap_session_t *session);

// messaging.cc send_pdu(): a DTLS session still in its handshake keeps the
// message (taking ownership) until it is connected (core/dtls.h).
bool channel_hold_pdu(coap_session_t *session, coap_pdu_t *pdu);

}  // namespace coap
