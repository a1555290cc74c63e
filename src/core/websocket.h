// CoAP over WebSockets (RFC 8323 section 4): the layer of a coap+ws (and,
// with TLS below it, coaps+ws) session's channel between the RFC 8323
// message handling and the byte stream:
//
//   ReliableEnd -> WebSocket -> [TLS] -> StreamSocket
//
// Once the layers below are open it performs the HTTP/1.1 upgrade (RFC
// 6455 section 4; client: sends the request for /.well-known/coap with the
// "coap" subprotocol and checks the 101 answer; server: checks the request
// and answers it), then tells the layer above (which sends its CSM). After
// that each CoAP message is one binary WebSocket message: sent as one frame
// (masked with a fresh random key by clients, never by servers), received
// as one frame or a fragmented series; Ping frames are answered, Pong frames
// ignored, and a close frame ends the connection after answering it.
//
// Events as libcoap 4.3.5 reports them: COAP_EVENT_WS_CONNECTED after the
// upgrade, COAP_EVENT_WS_CLOSED when a close frame is sent or answered,
// COAP_EVENT_WS_PACKET_SIZE for a message above our Max-Message-Size
// (closed with 1009). A failed upgrade ends the session with the nack
// reason COAP_NACK_WS_LAYER_FAILED (the server answers with an HTTP
// error), its connection reported as COAP_EVENT_TCP_FAILED.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/channel.h"
#include "util/byte_buffer.h"
#include "wire/ws_frame.h"
#include "wire/ws_handshake.h"

namespace coap {

class WebSocket final : public Channel {
 public:
  // How long the upgrade may take once the connection is up, so a peer that
  // never completes it cannot hold a connection.
  static constexpr uint64_t kUpgradeTimeoutMs = 10000;

  // client: the side that sends the upgrade request and masks its frames.
  // limit: the largest message accepted (the Max-Message-Size we announce).
  WebSocket(coap_session_t *session, bool client, uint64_t limit);
  ~WebSocket() override;

  // One complete CoAP message (WebSocket format) as one binary frame.
  // False until the upgrade is done, and after a close frame was sent.
  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  // Orderly close from above: a close frame (1000) while the session is
  // still up, then the layers below close.
  void close(uint64_t now) override;
  // The library lets the session go (released, expired, its context
  // freed): a close frame (1000) and COAP_EVENT_WS_CLOSED, as libcoap
  // sends them, if the connection is still up. Nothing else is reported.
  void say_goodbye(uint64_t now);
  uint64_t next_timeout() const override;
  void on_timer(uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;
  void on_open(uint64_t now) override;
  void on_down(ChannelDown why, const char *detail, uint64_t now) override;

  // The name for the request's Host header (coap_ws_set_host_request());
  // the port is added when it is not the scheme's default. False when out
  // of memory.
  bool set_host(const uint8_t *host, size_t length);

  bool upgraded() const { return state_ == State::kOpen; }
  bool close_sent() const { return close_sent_; }
  // Bytes of a fragmented message received so far (for tests).
  size_t partial_message() const { return message_.size(); }

 private:
  enum class State {
    kIdle,       // the layers below are not open yet
    kUpgrading,  // HTTP upgrade under way
    kOpen,       // frames flow
    kDone,       // closed or failed: input is ignored
  };

  // --- the upgrade ---
  void send_request(uint64_t now);
  void take_head(const uint8_t *data, size_t length, uint64_t now);
  bool accept_request(const char *head, size_t length, uint64_t now);
  bool check_response(const char *head, size_t length, uint64_t now);
  void upgraded_now(uint64_t now);
  // The upgrade failed: an HTTP error answer (servers, status != 0), the
  // connection reported as failed, the session ended (WS_LAYER_FAILED).
  // during_input: libcoap 4.3.5 then also reports the failed read.
  void upgrade_failed(int status, const char *why, bool during_input, uint64_t now);

  // --- frames ---
  void take_frames(const uint8_t *data, size_t length, uint64_t now);
  bool frame_started(uint64_t now);
  void frame_payload(const uint8_t *data, size_t length, uint64_t now);
  void frame_finished(uint64_t now);
  void control_frame(uint64_t now);
  void deliver(const uint8_t *data, size_t length, uint64_t now);
  bool send_frame(uint8_t opcode, const uint8_t *data, size_t length, uint64_t now);
  bool send_close(uint16_t status, uint64_t now);
  // The peer broke the protocol: a close frame with status, then down.
  void fail(uint16_t status, const char *why, uint64_t now);
  // The peer's close frame: answered, then down.
  void peer_closed(uint64_t now);
  void report_closed();
  bool stopped() const { return closed_ || state_ == State::kDone; }

  bool client_;
  uint64_t limit_;
  State state_ = State::kIdle;
  uint64_t deadline_ = 0;  // end of the upgrade, 0: none
  char key_[wire::kWsKeyTextSize] = {};
  uint8_t *host_ = nullptr;  // coap_ws_set_host_request()
  size_t host_length_ = 0;
  ByteBuffer head_;  // the HTTP head while it is incomplete

  // The frame being received.
  uint8_t header_[wire::kWsMaxHeader];
  size_t header_have_ = 0;
  bool in_payload_ = false;
  wire::WsFrameHeader frame_;
  uint64_t payload_seen_ = 0;
  uint8_t control_[wire::kWsMaxControlPayload];
  size_t control_have_ = 0;
  // The message being received (across fragments).
  ByteBuffer message_;
  bool fragmented_ = false;  // a message without FIN so far is open
  uint64_t message_size_ = 0;
  bool direct_ = false;  // the current frame's message went up uncopied

  ByteBuffer out_;  // frame being built for send
  bool close_sent_ = false;
  bool closed_reported_ = false;
  char detail_[96];
};

namespace websocket {

// The WebSocket layer of a coap+ws / coaps+ws session, nullptr if none.
WebSocket *layer_of(const coap_session_t *session);
// core/channel.cc channel_session_freeing(): WebSocket::say_goodbye().
void session_freeing(coap_session_t *session);

}  // namespace websocket

}  // namespace coap
