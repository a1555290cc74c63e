#include "core/context.h"

#include "core/observe.h"
#include "core/session_manager.h"
#include "core/tls_engine.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/pdu.h"

coap_context_t *coap_context_t::create() {
  return coap::create<coap_context_t>();
}

void coap_context_t::destroy(coap_context_t *ctx) {
  if (!ctx) return;
  // Observers hear that the resources go (4.04), client observations are
  // cancelled, the observe indexes go (core/observe.h).
  coap::observe::context_closing(ctx);
  // Waiting separate responses and cache entries refer to sessions: they
  // go first (core/async.h, core/cache.h).
  coap::free_all_async(ctx);
  coap::clear_cache(ctx);
  coap::drop_delayed_replies(ctx);
  ctx->client_sessions.for_each([](coap_session_t *s) { coap::free_session(s); });
  ctx->endpoints.for_each([](coap_endpoint_t *ep) { coap_endpoint_t::destroy(ep); });
  ctx->resources.for_each([ctx](coap_resource_t *r) {
    ctx->resources.remove(r);
    coap_resource_t::destroy(r);
  });
  ctx->resource_index.clear();
  coap_resource_t::destroy(ctx->unknown_resource);
  coap_resource_t::destroy(ctx->proxy_uri_resource);
  // After every session: engines refer to their backend (core/secure.h).
  coap::tls::destroy_backend(ctx->tls);
  if (ctx->pdu_pool) ctx->pdu_pool->retire();
  coap::destroy(ctx);
}

coap_pdu_t *coap_context_t::new_pdu(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid,
                                    size_t max_size, size_t capacity) {
  if (capacity > coap_pdu_t::kDefaultCapacity) {
    return coap_pdu_t::create(type, code, mid, max_size, capacity);
  }
  if (!pdu_pool) pdu_pool = coap::PduPool::create();
  return pdu_pool ? pdu_pool->take(type, code, mid, max_size)
                  : coap_pdu_t::create(type, code, mid, max_size);
}

coap_session_t *coap_context_t::find_server_session(const coap_address_t &remote,
                                                    int ifindex) const {
  coap_session_t *found = nullptr;
  endpoints.for_each([&](coap_endpoint_t *ep) {
    if (found) return;
    coap_session_t *s = ep->find_session(remote);
    if (s && (ifindex == 0 || s->ifindex == ifindex)) found = s;
  });
  return found;
}

coap_resource_t *coap_context_t::find_resource(const uint8_t *path, size_t length) const {
  auto it = resource_index.find(coap::PathView::of(path, length));
  return it == resource_index.end() ? nullptr : it->second;
}

void coap_context_t::add_resource(coap_resource_t *r) {
  const uint8_t *p = r->uri_path ? r->uri_path->s : nullptr;
  size_t n = r->uri_path ? r->uri_path->length : 0;
  if (coap_resource_t *old = find_resource(p, n)) {
    // Paths are unique per context: the new resource replaces the old one.
    remove_resource(old);
    coap_resource_t::destroy(old);
  }
  r->context = this;
  resources.push_back(r);
  resource_index.emplace(coap::PathView::of(p, n), r);
}

bool coap_context_t::remove_resource(coap_resource_t *r) {
  if (r == unknown_resource) {
    unknown_resource = nullptr;
    return true;
  }
  if (r == proxy_uri_resource) {
    proxy_uri_resource = nullptr;
    return true;
  }
  if (!r->link.linked()) return false;
  const uint8_t *p = r->uri_path ? r->uri_path->s : nullptr;
  size_t n = r->uri_path ? r->uri_path->length : 0;
  resource_index.erase(coap::PathView::of(p, n));
  resources.remove(r);
  return true;
}

int coap_context_t::notify(coap_session_t *session, coap_event_t event) {
  return event_handler ? event_handler(session, event) : 0;
}
