// Helpers shared by the server and client halves of Observe.
#pragma once

#include <cstdint>

#include "coap3/coap.h"

namespace coap {

struct ObserveRegistry;

namespace observe_util {

// A copy of pdu (token, options, payload) with its own type and message
// id, sized to fit. nullptr when out of memory.
coap_pdu_t *copy_pdu(const coap_pdu_t *pdu, coap_pdu_type_t type, coap_mid_t mid);

// Identifies "the same request" for RFC 7641 section 3.6: a hash of the
// options as encoded, leaving out those that are not part of a cache key
// (RFC 7252 section 5.4.2), ETag and OSCORE (RFC 7641 section 3.6) and
// Observe itself, plus a FETCH body (RFC 8132 section 2). Equal hashes are
// taken as equal requests (64 bits: collisions are not a practical risk).
uint64_t cache_key(const coap_pdu_t *pdu);

// Client side of session_closing(): cancels (unless the session asked not
// to) and forgets the session's tracked registrations.
void close_client_observations(ObserveRegistry *registry, coap_session_t *session);

}  // namespace observe_util
}  // namespace coap
