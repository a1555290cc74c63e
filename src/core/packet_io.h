// The boundary between the protocol core and the operating system. The core
// hands finished datagrams to a PacketIo and never touches a socket; the
// real implementation (transport/event_loop) writes them to sockets, tests
// use an in-memory network. Incoming datagrams enter the core through
// coap::receive_datagram() (core/messaging.h), stream events through
// core/stream.h.
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

class PacketIo {
 public:
  virtual ~PacketIo() = default;

  // Sends one datagram for session (to its remote address, from its local
  // address). Returns the number of bytes sent, or -1 on error.
  virtual ssize_t send(coap_session_t *session, const uint8_t *data, size_t length) = 0;

  // Lets the I/O layer know a client session was created or is going away,
  // so it can open or close the session's own socket. Return false if the
  // session cannot be used (no socket).
  virtual bool open_client(coap_session_t *session) = 0;
  virtual void close_client(coap_session_t *session) = 0;

  // Same for a server endpoint's listening socket (bound to its address).
  // For stream protocols (TCP) the socket listens; accepted connections
  // enter the core through coap::stream::accepted() (core/stream.h).
  virtual bool open_endpoint(coap_endpoint_t *endpoint) = 0;
  virtual void close_endpoint(coap_endpoint_t *endpoint) = 0;

  // --- stream transports (TCP; TLS and WebSockets run on top of them) ---
  // The core frames and buffers (core/stream_socket.h); the I/O layer only
  // moves bytes and reports progress through core/stream.h.

  // Client session: opens a stream socket to the session's remote address
  // (bound to its local address when one is set, which is then replaced by
  // the real one) and starts a non-blocking connect. Completion is
  // reported with coap::stream::connected() or coap::stream::closed().
  // False when no socket could be made.
  virtual bool stream_connect(coap_session_t *session) {
    (void)session;
    return false;
  }
  // Writes up to length bytes without blocking. Returns how many were
  // taken (fewer, possibly 0, when the socket buffer is full: the I/O layer
  // then calls coap::stream::writable() once it can take more), or -1 when
  // the connection is broken.
  virtual ssize_t stream_write(coap_session_t *session, const uint8_t *data, size_t length) {
    (void)session, (void)data, (void)length;
    return -1;
  }
  // Closes the session's stream socket (client or accepted). Idempotent.
  virtual void stream_close(coap_session_t *session) { (void)session; }
  // Closes the session's stream socket once `length` bytes of output the
  // core still had queued are written (within a bounded time). The socket
  // no longer belongs to the session afterwards, which may go away.
  virtual void stream_linger(coap_session_t *session, const uint8_t *data, size_t length) {
    (void)data, (void)length;
    stream_close(session);
  }
};

}  // namespace coap
