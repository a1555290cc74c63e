// The boundary between the protocol core and the operating system. The core
// hands finished datagrams to a PacketIo and never touches a socket; the
// real implementation (transport/socket_io) writes them to sockets, tests
// use an in-memory network. Incoming datagrams enter the core through
// coap::receive_datagram() (core/receive.h).
#pragma once

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
  virtual bool open_endpoint(coap_endpoint_t *endpoint) = 0;
  virtual void close_endpoint(coap_endpoint_t *endpoint) = 0;
};

}  // namespace coap
