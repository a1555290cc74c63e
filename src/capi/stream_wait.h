// libcoap delays the first use of a new stream client session until its
// connection is set up: coap_send() and coap_session_max_pdu_size() run the
// I/O loop until the CSM exchange is over (or failed), for up to 5 s, so
// the first request is sized for the peer. Not inside a callback of the
// loop itself (where libcoap asserts); messages are held there instead.
#pragma once

#include "coap3/coap.h"

namespace coap {

// Called with the context lock held.
void wait_until_connected(coap_session_t *session);

}  // namespace coap
