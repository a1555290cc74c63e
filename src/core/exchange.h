// What happens above the message layer: a server dispatching requests to
// resources, and a client delivering responses and failures to the
// application's handlers.
#pragma once

#include <cstdint>

#include "coap3/coap.h"

namespace coap {

// Server side: a request arrived (not a duplicate). Does not take pdu.
void handle_request(coap_session_t *session, coap_pdu_t *request, uint64_t now);

// Client side: a response arrived; `sent` is our matching CON when it was
// piggybacked on its ACK, else nullptr. Takes neither PDU.
void handle_response(coap_session_t *session, coap_pdu_t *sent, coap_pdu_t *response, uint64_t now);

// The peer answered our message `mid` with RST (`sent` may be nullptr).
void handle_reset(coap_session_t *session, coap_pdu_t *sent, coap_mid_t mid, uint64_t now);

// An error response to request: the matching type and message id, its
// token, the request's options named in copy_options (may be nullptr) and
// the reason phrase as diagnostic payload.
coap_pdu_t *make_error_response(const coap_pdu_t *request, coap_pdu_code_t code,
                                const coap_opt_filter_t *copy_options, size_t max_size);

// Our message could not be delivered (retries exhausted, ...).
void exchange_failed(coap_session_t *session, coap_pdu_t *sent, coap_nack_reason_t reason,
                     coap_mid_t mid, uint64_t now);

}  // namespace coap
