// Observe (RFC 7641) records kept by the core: a server's subscription (one
// observer of one resource) and a client's tracked observation (one
// registration it sent). Both are small and intrusive so that resources,
// sessions and the context's indexes can link them without allocating.
#pragma once

#include <cstdint>

#include "coap3/coap.h"
#include "util/intrusive_list.h"

namespace coap {

// Server side: the peer `session` observes `resource` with the request it
// registered with. Notifications reuse that request (its token, options and
// FETCH body) as the "fake GET/FETCH" handed to the resource's handler.
struct Subscription {
  coap_resource_t *resource = nullptr;
  coap_session_t *session = nullptr;  // holds a reference while subscribed
  // Copy of the registering request. Its message id is replaced by the id
  // of the latest notification, so a RST to that notification finds it.
  coap_pdu_t *request = nullptr;
  uint64_t cache_key = 0;    // hash of the request's cache-key options and body
  uint64_t last_con_ms = 0;  // when a CON last went to this observer (RFC 7641 4.5)
  uint8_t non_count = 0;     // NON notifications since the last CON
  bool dirty = false;        // a deferred notification is still owed

  ListHook resource_link;  // in resource->subscribers, newest first
  ListHook session_link;   // in session->subscriptions
};

// Client side: the token of a registration (Observe=0) this session sent,
// remembered so that session teardown can have it cancelled. The request
// itself, and whether the server still sends notifications, is kept by the
// block-wise receive state (core/blockwise.h), as in libcoap.
struct ClientObservation {
  coap_session_t *session = nullptr;
  uint8_t *token = nullptr;  // owned copy
  size_t token_length = 0;
  ListHook session_link;  // in session->observations
};

using SubscriptionList = IntrusiveList<Subscription, &Subscription::resource_link>;
using SessionSubscriptionList = IntrusiveList<Subscription, &Subscription::session_link>;
using ClientObservationList = IntrusiveList<ClientObservation, &ClientObservation::session_link>;

}  // namespace coap
