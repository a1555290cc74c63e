// Session life cycle: creation of server sessions for new peers, reference
// counting, idle expiry and the max-idle limit, and final removal with the
// events the application expects.
#pragma once

#include <cstdint>

#include "coap3/coap.h"

namespace coap {

// Finds or creates the server session for a peer on an endpoint.
coap_session_t *server_session_for(coap_endpoint_t *endpoint, const coap_addr_tuple_t &addrs,
                                   int ifindex, uint64_t now);

// Creates a client session (unlinked from nothing: it is added to the
// context's client list), reference count 1. nullptr on failure.
coap_session_t *new_client_session(coap_context_t *context, const coap_address_t *local_if,
                                   const coap_address_t &server, coap_proto_t proto, uint64_t now);

void reference_session(coap_session_t *session);
// Drops one reference. Client sessions are freed at 0; server sessions
// become idle and expire after the session timeout.
void release_session(coap_session_t *session);

// Removes the session now: unlinks it, reports the event, frees it.
void free_session(coap_session_t *session);

// Notes traffic on the session (keeps idle expiry away).
void touch_session(coap_session_t *session, uint64_t now);

// (Re)arms the session's timer for idle expiry and keepalive.
void schedule_housekeeping(coap_session_t *session, uint64_t now);

// Makes room for a new server session on ep when
// coap_context_set_max_idle_sessions() is reached: the least recently used
// idle session goes.
void make_room_for_session(coap_endpoint_t *endpoint);

// Idle timeout of server sessions in ms.
uint64_t session_timeout_ms(const coap_context_t *context);

}  // namespace coap
