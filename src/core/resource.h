// A server resource: its URI path, per-method handlers, link-format
// attributes and observe state.
#pragma once

#include <cstdint>

#include "coap3/coap.h"
#include "core/subscription.h"
#include "util/intrusive_list.h"

struct coap_attr_t {
  coap_str_const_t *name = nullptr;
  coap_str_const_t *value = nullptr;
  int flags = 0;  // COAP_ATTR_FLAGS_RELEASE_*: we own name/value
  coap_attr_t *next = nullptr;
};

struct coap_resource_t {
  static constexpr int kMethods = COAP_REQUEST_IPATCH;  // GET..iPATCH

  static coap_resource_t *create(coap_str_const_t *uri_path, int flags);
  // Frees attributes, the path if owned, and the user data via the
  // context's release callback.
  static void destroy(coap_resource_t *resource);

  coap_context_t *context = nullptr;  // set while registered
  coap_str_const_t *uri_path = nullptr;
  int flags = 0;
  coap_method_handler_t handler[kMethods] = {};
  coap_attr_t *attributes = nullptr;
  void *user_data = nullptr;

  bool is_unknown = false;        // catch-all for unregistered paths
  bool is_proxy_uri = false;      // receives Proxy-Uri / Proxy-Scheme requests
  bool is_reverse_proxy = false;  // forwards everything it receives
  size_t proxy_name_count = 0;
  coap_str_const_t **proxy_names = nullptr;  // hosts meaning "this server"

  // Observe (RFC 7641).
  bool observable = false;
  bool dirty = false;  // a notification round is due
  bool partially_dirty = false;
  uint32_t observe_seq = 2;            // next Observe value (24 bits)
  coap::SubscriptionList subscribers;  // newest first (core/observe.cc)
  coap::ListHook dirty_link;           // in the context's list of resources owing notifications

  coap::ListHook link;  // in the context's resource list

  coap_method_handler_t handler_for(coap_pdu_code_t method) const {
    int m = static_cast<int>(method);
    return m >= 1 && m <= kMethods ? handler[m - 1] : nullptr;
  }
};

namespace coap {
using Resource = ::coap_resource_t;
using ResourceList = IntrusiveList<coap_resource_t, &coap_resource_t::link>;
}  // namespace coap
