// The bottom of a stream channel: one connected stream socket (TCP, or a
// Unix-domain stream socket), reached through the PacketIo. Writes never
// block and nothing is dropped: what the socket does not take now is
// queued here and flushed when the I/O layer reports it writable. Emits the
// COAP_EVENT_TCP_* events.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/channel.h"
#include "util/byte_buffer.h"

namespace coap {

class StreamSocket final : public Channel {
 public:
  // connecting: a client whose non-blocking connect is under way; false for
  // an accepted connection (open once the I/O layer attached it).
  StreamSocket(coap_session_t *session, bool connecting);
  ~StreamSocket() override;

  bool send(const uint8_t *data, size_t length, uint64_t now) override;
  void close(uint64_t now) override;
  void on_input(const uint8_t *data, size_t length, uint64_t now) override;

  // --- from the I/O layer (core/stream.h) ---
  // The connection is usable: COAP_EVENT_TCP_CONNECTED. announce: tell the
  // layers above too (an accepted connection announces itself later, after
  // COAP_EVENT_SERVER_SESSION_NEW).
  void connected(uint64_t now, bool announce);
  void announce_open(uint64_t now);
  // The socket takes more output.
  void writable(uint64_t now);
  // The connection ended (err: 0 orderly close by the peer, else an errno
  // value); a pending connect failed when still connecting.
  void socket_closed(int err, uint64_t now);

  // A layer above could not set the connection up (a WebSocket upgrade
  // failed): its end is reported as COAP_EVENT_TCP_FAILED, as libcoap does
  // for a session that never left CONNECTING.
  void setup_failed() { setup_failed_ = true; }

  bool connecting() const { return state_ == State::kConnecting; }
  bool open() const { return state_ == State::kOpen; }
  size_t queued() const { return out_.size(); }

 private:
  enum class State { kConnecting, kOpen, kClosed };

  // Writes queued output; false when the connection is broken.
  bool flush();
  void release_socket();

  State state_;
  ByteBuffer out_;  // output the socket has not taken yet
  bool broken_ = false;
  bool setup_failed_ = false;
};

}  // namespace coap
