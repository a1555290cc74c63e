// Server behaviour for requests that arrived on a multicast group (RFC 7252
// section 8.2): which responses are suppressed, and the random "leisure"
// delay before the others are sent so group members do not answer at once.
#pragma once

#include <cstdint>

#include "coap3/coap.h"
#include "util/intrusive_list.h"
#include "util/timer_queue.h"

namespace coap {

struct McastPolicy {
  bool active = false;  // the request came in on a group address
  bool delay = true;    // wait a random time up to DEFAULT_LEISURE
  bool suppress_empty_205 = false;
  bool suppress_2xx = false;
  bool suppress_4xx = true;
  bool suppress_5xx = true;
};

// The rules for a request to `resource` (nullptr: .well-known/core, which
// always answers group requests with the library's defaults).
McastPolicy mcast_policy(const coap_context_t *ctx, const coap_resource_t *resource);

// Whether the resource answers group requests at all.
bool mcast_allowed(const coap_context_t *ctx, const coap_resource_t *resource);

bool mcast_suppressed(const McastPolicy &policy, const coap_pdu_t *response);

// A response held back for the leisure delay.
struct DelayedReply {
  Timer timer;
  ListHook link;
  coap_session_t *session = nullptr;  // referenced while waiting
  coap_pdu_t *pdu = nullptr;          // owned
};
using DelayedReplyList = IntrusiveList<DelayedReply, &DelayedReply::link>;

// Sends response after a random delay within the session's leisure time
// (takes ownership of response).
void send_after_leisure(coap_session_t *session, coap_pdu_t *response, uint64_t now);

// Drops every reply still waiting (context shutdown).
void drop_delayed_replies(coap_context_t *ctx);

}  // namespace coap
