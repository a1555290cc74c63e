// Observe (RFC 7641), with libcoap 4.3.5's behaviour.
//
// Server side: a GET or FETCH with Observe=0 on an observable resource
// subscribes the sender (session + token); Observe=1 unsubscribes it. When
// the application reports a change (notify_observers), every observer is
// sent a notification built by the resource's own GET/FETCH handler, which
// is handed the stored registration request and a response skeleton that
// already carries the token and the Observe option. Notifications are NON
// except every fifth (and, beyond libcoap, at least one per 24 hours, RFC
// 7641 section 4.5), or always CON / always NON as the resource's
// COAP_RESOURCE_FLAGS_NOTIFY_* flags say. A CON notification waits while
// NSTART confirmable messages are outstanding on the session ("partially
// dirty"). An observer is dropped when it answers a notification with RST,
// when a CON notification goes unacknowledged, when a notification or the
// registration response is an error, and when its session or the resource
// goes away (a deleted resource's observers get a NON 4.04 first).
//
// Client side: with COAP_BLOCK_USE_LIBCOAP, registrations sent by the
// application are remembered per token so that coap_cancel_observe() and
// the release of the session (unless coap_session_set_no_observe_cancel())
// send the matching Observe=1 request. Every notification is delivered to
// the response handler as it arrives; like libcoap, no RFC 7641 section
// 3.4 reordering filter is applied.
#pragma once

#include <cstdint>

#include "coap3/coap.h"

namespace coap {
namespace observe {

// Largest number of NON notifications in a row before a CON (COAP_OBS_MAX_NON).
constexpr uint8_t kMaxNonInARow = 5;
// RFC 7641 section 4.5: a CON at least this often when sending NONs.
constexpr uint64_t kMaxNonOnlyMs = 24ull * 3600 * 1000;

// --- server: hooks around the resource handler in handle_request ---

struct RequestState {
  bool registering = false;   // Observe=0 accepted: a subscription exists
  bool skip_handler = false;  // the response is complete already (4.00)
};
// Registers or deregisters the sender when the request asks for it, and
// puts the Observe option into the response skeleton on registration. A
// registration asking for a Block2 block other than the first is answered
// 4.00 without the handler (as libcoap does).
RequestState before_handler(coap_session_t *session, coap_resource_t *resource,
                            const coap_pdu_t *request, coap_pdu_t *response, uint64_t now);
// A registration answered with an error (class 4 or 5) is undone and its
// Observe option removed.
void after_handler(const RequestState &state, coap_session_t *session, coap_resource_t *resource,
                   const coap_pdu_t *request, coap_pdu_t *response);

// --- server: application calls ---

// coap_resource_notify_observers(): 1 if notifications were scheduled.
int notify_observers(coap_resource_t *resource, uint64_t now);
// coap_check_notify(): sends what is due now.
void check_notify(coap_context_t *context, uint64_t now);

// --- message layer hooks ---

// A confirmable message of session stopped being outstanding (ACK, RST,
// or gave up): deferred CON notifications may go now.
void pending_slot_freed(coap_session_t *session, uint64_t now);
// A RST arrived; `sent` is our pending CON it answers, if any. Drops the
// subscription the rejected notification belongs to.
void on_reset(coap_session_t *session, const coap_pdu_t *sent, coap_mid_t mid);
// Our CON `sent` was never acknowledged; for a notification the observer
// is dropped.
void on_failed(coap_session_t *session, const coap_pdu_t *sent);

// --- teardown hooks ---

// Before a session is freed: its subscriptions go (server), its tracked
// registrations are cancelled with a NON unless no_observe_cancel (client).
void session_closing(coap_session_t *session);
// Before a resource is freed: observers get a NON 4.04 and are dropped.
void resource_destroying(coap_resource_t *resource);
// First thing when a context is freed: the above for every resource and
// client session, then the observe indexes themselves go.
void context_closing(coap_context_t *context);

// --- client ---

// coap_send() of an application request: remembers Observe=0
// registrations (block mode COAP_BLOCK_USE_LIBCOAP only), forgets on
// Observe=1. Does not take pdu.
void client_on_send(coap_session_t *session, const coap_pdu_t *pdu);
// A response arrived: one without an Observe option ends the tracking of
// its token.
void client_on_response(coap_session_t *session, const coap_pdu_t *response);
// coap_cancel_observe(): 1 if the deregistration was sent.
int cancel(coap_session_t *session, const uint8_t *token, size_t token_length, coap_pdu_type_t type,
           uint64_t now);

}  // namespace observe
}  // namespace coap
