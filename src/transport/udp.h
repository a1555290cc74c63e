// Datagram sockets for CoAP over UDP and Unix-domain datagram sockets: the
// only code that calls socket(2)-level functions for them.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::udp {

// A listening socket bound to addr (port 0 in an IP address means the
// default CoAP port for proto). Non-blocking, reports each datagram's
// local address. Returns the fd (and the real bound address), or -1.
int open_server(const coap_address_t &addr, coap_proto_t proto, coap_address_t *bound);

// A client socket for remote (connected unless remote is multicast),
// optionally bound to local_if. Returns the fd and fills local, or -1.
int open_client(const coap_address_t *local_if, const coap_address_t &remote,
                coap_address_t *local);

// Sends one datagram. On a server socket, `from` (if set and not a
// wildcard) chooses the source address and `ifindex` the interface; it
// must not be a group address (pass nullptr: the kernel then picks the
// unicast one).
ssize_t send_to(int fd, const uint8_t *data, size_t length, const coap_address_t *to,
                const coap_address_t *from, int ifindex, bool connected);

// Datagrams collected for sending with one sendmmsg(2) per socket: the
// event loop queues the replies it makes while it works through a batch of
// received datagrams and sends them together afterwards, saving a system
// call per reply. The bytes are copied; buffers are allocated on first use.
class SendBatch {
 public:
  static constexpr int kSlots = 16;
  static constexpr size_t kSlotSize = 1536;  // larger datagrams go directly

  SendBatch() = default;
  ~SendBatch();
  SendBatch(const SendBatch &) = delete;
  SendBatch &operator=(const SendBatch &) = delete;

  // Queues one datagram (flushing first when full); false when it cannot
  // be queued (too big, no memory): the caller then sends it itself, after
  // flush() to keep the order.
  bool add(int fd, const uint8_t *data, size_t length, const coap_address_t &to,
           const coap_address_t *from, int ifindex);
  // Sends everything queued. A datagram that cannot be sent is dropped
  // (logged), as a failed send_to() would be.
  void flush();
  bool empty() const { return count_ == 0; }

 private:
  struct Slot;
  Slot *slots_ = nullptr;
  struct mmsghdr headers_[kSlots];
  int count_ = 0;
};

// An unspecified address (0.0.0.0, ::) or one without IP semantics: a
// socket bound to it may receive for many local addresses.
bool is_wildcard(const coap_address_t &a);

struct Datagram {
  uint8_t *data;
  size_t length;        // in: capacity, out: bytes received
  coap_address_t from;  // sender
  coap_address_t to;    // local address it was sent to (when known)
  int ifindex;
};

// Receives up to `count` datagrams without blocking (recvmmsg). Returns
// how many, 0 when none is waiting, -1 on error.
int receive_batch(int fd, Datagram *batch, int count, const coap_address_t &local_hint);

// Sets the multicast hop limit of a client socket.
bool set_multicast_hops(int fd, int family, int hops);

// Joins a multicast group on a socket (ifindex 0: the system's choice).
bool join_group(int fd, const coap_address_t &group, unsigned ifindex);

}  // namespace coap::udp
