// One peer relationship: a client's connection to a server, or a server's
// view of one client on an endpoint. Holds the addressing, the RFC 7252
// transmission parameters, message id and token generators, the messages
// awaiting acknowledgement and the replies kept for duplicate detection.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/session_params.h"
#include "core/subscription.h"
#include "proto/dedup.h"
#include "proto/pending.h"
#include "util/intrusive_list.h"
#include "util/timer_queue.h"

namespace coap::blockwise {
struct BlockState;
}
namespace coap {
class Channel;
}

struct coap_session_t {
  // Server sessions: first packet from a new peer. Client sessions are made
  // by coap_new_client_session(). Both start unlinked; the caller links
  // them into their context or endpoint.
  static coap_session_t *create(coap_context_t *context, coap_session_type_t type,
                                coap_proto_t proto);
  // Releases everything the session holds; callers unlink it first.
  static void destroy(coap_session_t *session);

  // Fields are ordered by size so an idle server session wastes no bytes
  // on padding (see docs/performance.md, memory per idle session).
  coap_context_t *context = nullptr;
  coap_endpoint_t *endpoint = nullptr;  // server sessions: where it arrived
  // Transmission parameters and multicast target: shared defaults until a
  // setter gives the session its own copy (own_params()).
  const coap::SessionParams *params = &coap::kDefaultSessionParams;
  void *app_data = nullptr;
  // Block-wise transfers in progress (core/blockwise.h), created lazily.
  coap::blockwise::BlockState *blocks = nullptr;
  // Stream transports (core/channel.h): the layers between the session and
  // its socket; nullptr for UDP, whose datagrams go straight to the PacketIo.
  coap::Channel *channel = nullptr;
  uint64_t tx_token = 0;       // last token value used
  uint64_t last_activity = 0;  // ms tick of the last packet in or out

  coap_addr_tuple_t addr_info{};  // remote and local

  // Observe (core/observe.cc): a server session's subscriptions, a client
  // session's registrations to cancel when it goes away.
  coap::SessionSubscriptionList subscriptions;
  coap::ClientObservationList observations;
  coap::PendingList pending;  // CONs sent, awaiting ACK/RST
  coap::PendingList delayed;  // requests waiting for an NSTART slot

  coap::ListHook link;      // in the context's or endpoint's session list
  coap::Timer house_timer;  // idle expiry (server) and keepalive pings

  coap_session_type_t type = COAP_SESSION_TYPE_NONE;
  coap_session_state_t state = COAP_SESSION_STATE_NONE;
  coap_proto_t proto = COAP_PROTO_NONE;
  unsigned ref = 0;
  int ifindex = 0;
  int fd = -1;  // client sessions own a socket (managed by the I/O layer)
  unsigned mtu = COAP_DEFAULT_MTU;
  unsigned tls_overhead = 0;  // DTLS: bytes each record adds (core/dtls.h)
  // Key of this session's records in the context's duplicate table
  // (proto/dedup.h); a new value forgets them all.
  uint32_t serial = 0;
  // The context's block-wise settings when the session was made.
  uint32_t block_mode = 0;
  coap_mid_t keepalive_mid = COAP_INVALID_MID;  // outstanding keepalive ping
  uint16_t tx_mid = 0;                          // last message id used
  uint8_t max_block_szx = 6;
  bool is_mcast = false;
  // Server sessions: the last request was sent to a multicast or broadcast
  // address (addr_info.local); kept with it to spare the check per packet.
  bool local_is_group = false;
  bool no_observe_cancel = false;

  // Next message id for a new message (RFC 7252 section 4.4).
  uint16_t next_mid() { return ++tx_mid; }
  // The session's own parameters, copied from the shared defaults on first
  // use; nullptr when out of memory.
  coap::SessionParams *own_params();
  // Largest PDU (after the transport header) this session can send.
  size_t max_pdu_size() const;
  bool reliable() const { return COAP_PROTO_RELIABLE(proto); }
  const coap_address_t &remote() const { return addr_info.remote; }
  const coap_address_t &local() const { return addr_info.local; }
};

namespace coap {
using Session = ::coap_session_t;
using SessionList = IntrusiveList<coap_session_t, &coap_session_t::link>;
}  // namespace coap
