// A server's listening socket and the sessions of the peers that talk to
// it, found by remote address in O(1).
#pragma once

#include "coap3/coap.h"
#include "core/session.h"
#include "core/session_index.h"
#include "util/intrusive_list.h"

struct coap_endpoint_t {
  static coap_endpoint_t *create(coap_context_t *context, const coap_address_t &bind_addr,
                                 coap_proto_t proto);
  static void destroy(coap_endpoint_t *endpoint);

  coap_context_t *context = nullptr;
  coap_proto_t proto = COAP_PROTO_NONE;
  coap_address_t bind_addr{};  // where the socket is bound (after bind: real port)
  unsigned default_mtu = COAP_DEFAULT_MTU;
  int fd = -1;
  bool unlink_on_close = false;  // AF_UNIX path created by us

  coap::SessionList sessions;
  coap::SessionIndex by_remote;

  coap::ListHook link;  // in the context's endpoint list

  coap_session_t *find_session(const coap_address_t &remote) const;
  void add_session(coap_session_t *session);
  void remove_session(coap_session_t *session);
};

namespace coap {
using Endpoint = ::coap_endpoint_t;
using EndpointList = IntrusiveList<coap_endpoint_t, &coap_endpoint_t::link>;
}  // namespace coap
