#include "core/endpoint.h"

#include "core/context.h"
#include "core/session_manager.h"
#include "util/memory.h"

coap_endpoint_t *coap_endpoint_t::create(coap_context_t *context, const coap_address_t &bind_addr,
                                         coap_proto_t proto) {
  coap_endpoint_t *ep = coap::create<coap_endpoint_t>();
  if (!ep) return nullptr;
  ep->context = context;
  ep->bind_addr = bind_addr;
  ep->proto = proto;
  if (!context->io || !context->io->open_endpoint(ep)) {
    coap::destroy(ep);
    return nullptr;
  }
  context->endpoints.push_back(ep);
  return ep;
}

void coap_endpoint_t::destroy(coap_endpoint_t *ep) {
  if (!ep) return;
  ep->sessions.for_each([](coap_session_t *s) { coap::free_session(s); });
  if (ep->link.linked()) ep->context->endpoints.remove(ep);
  if (ep->context->io) ep->context->io->close_endpoint(ep);
  coap::destroy(ep);
}

coap_session_t *coap_endpoint_t::find_session(const coap_address_t &remote) const {
  return by_remote.find(remote);
}

void coap_endpoint_t::add_session(coap_session_t *s) {
  sessions.push_back(s);
  by_remote.insert(s);
}

void coap_endpoint_t::remove_session(coap_session_t *s) {
  // Stream connections may share a remote address (unnamed Unix-domain
  // peers): only this session's own entry goes.
  by_remote.erase(s);
  sessions.remove(s);
  s->endpoint = nullptr;
}
