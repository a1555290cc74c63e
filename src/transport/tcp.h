// Stream sockets for CoAP over TCP and Unix-domain stream sockets: the
// only code that calls socket(2)-level functions for them. Non-blocking
// throughout; the event loop (transport/event_loop.cc) drives them.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::tcp {

// A listening socket bound to addr (port 0: an ephemeral port). Returns the
// fd and the real bound address, or -1.
int open_listener(const coap_address_t &addr, coap_address_t *bound);

// Accepts one waiting connection: returns its non-blocking fd and fills
// addrs (remote: the peer; local: our end), or -1 with errno set (EAGAIN
// when none is waiting).
int accept_one(int listen_fd, const coap_address_t &listen_addr, coap_addr_tuple_t *addrs);

// A client socket connecting to remote without blocking, bound to
// local_if when set. Returns the fd and fills local, or -1.
int connect_to(const coap_address_t *local_if, const coap_address_t &remote, coap_address_t *local);

// Outcome of a connect once the socket reports writable: 0 connected, else
// the errno value of the failure (EINPROGRESS: still under way).
int connect_result(int fd);

// Writes what the socket takes now: bytes written (0 when full), -1 when
// the connection is broken.
ssize_t write_some(int fd, const uint8_t *data, size_t length);

}  // namespace coap::tcp
