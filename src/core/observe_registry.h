// The context's indexes of observe state, created on first use. They keep
// every lookup on the hot paths O(1) however many observers a resource has
// or observations a session holds: a registration finds an existing
// subscription by token or by request (cache key), a RST finds the
// notification it rejects by message id, a client response finds its
// tracked observation by token. Resources owing notifications wait in a
// list, so a check costs nothing for resources that did not change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "coap3/coap.h"
#include "core/resource.h"
#include "core/subscription.h"
#include "util/memory.h"
#include "util/timer_queue.h"

namespace coap {

namespace observe_detail {

inline uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

inline uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

// (resource, session, token): resource is nullptr for client observations.
// The token bytes belong to the stored request PDU of the record.
struct TokenKey {
  const void *resource;
  const coap_session_t *session;
  const uint8_t *token;
  size_t length;
  bool operator==(const TokenKey &o) const {
    return resource == o.resource && session == o.session && length == o.length &&
           (length == 0 || std::memcmp(token, o.token, length) == 0);
  }
};
struct TokenKeyHash {
  size_t operator()(const TokenKey &k) const {
    uint64_t h =
        mix(reinterpret_cast<uintptr_t>(k.resource), reinterpret_cast<uintptr_t>(k.session));
    return static_cast<size_t>(hash_bytes(h, k.token, k.length));
  }
};

// (resource, session, cache key of the request).
struct RequestKey {
  const void *resource;
  const coap_session_t *session;
  uint64_t cache_key;
  bool operator==(const RequestKey &o) const {
    return resource == o.resource && session == o.session && cache_key == o.cache_key;
  }
};
struct RequestKeyHash {
  size_t operator()(const RequestKey &k) const {
    return static_cast<size_t>(
        mix(mix(reinterpret_cast<uintptr_t>(k.resource), reinterpret_cast<uintptr_t>(k.session)),
            k.cache_key));
  }
};

// (session, message id of the latest notification).
struct MidKey {
  const coap_session_t *session;
  coap_mid_t mid;
  bool operator==(const MidKey &o) const { return session == o.session && mid == o.mid; }
};
struct MidKeyHash {
  size_t operator()(const MidKey &k) const {
    return static_cast<size_t>(mix(reinterpret_cast<uintptr_t>(k.session), k.mid));
  }
};

template <class K, class V, class H>
using Map = std::unordered_map<K, V, H, std::equal_to<K>, Allocator<std::pair<const K, V>>>;

}  // namespace observe_detail

struct ObserveRegistry {
  coap_context_t *context = nullptr;

  observe_detail::Map<observe_detail::TokenKey, Subscription *, observe_detail::TokenKeyHash>
      by_token;
  observe_detail::Map<observe_detail::RequestKey, Subscription *, observe_detail::RequestKeyHash>
      by_request;
  observe_detail::Map<observe_detail::MidKey, Subscription *, observe_detail::MidKeyHash> by_mid;
  observe_detail::Map<observe_detail::TokenKey, ClientObservation *, observe_detail::TokenKeyHash>
      client_by_token;

  // Resources with notifications due (dirty) or deferred (partially dirty).
  IntrusiveList<coap_resource_t, &coap_resource_t::dirty_link> due;
  Timer check_timer;  // runs the due notifications from the I/O loop

  // Notification round in progress: removals keep these valid.
  coap_resource_t *notifying = nullptr;  // cleared if the resource goes away
  Subscription *next_in_round = nullptr;

  static ObserveRegistry *of(coap_context_t *context);  // creates on first use
  static void destroy(ObserveRegistry *registry);
};

}  // namespace coap
