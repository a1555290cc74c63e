// Copies of messages that outlive the one they were made from: the
// coap_pdu_duplicate() rules (fresh message id, new token, options only)
// and exact snapshots kept by the response cache and separate responses.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

// coap_pdu_duplicate(): old's type and code with a new message id from the
// session, the given token, and old's options but never its payload. With
// drop == nullptr the options are copied verbatim; with a filter, every
// option not named in it is added as coap_add_option() would add it (so a
// copy can fail where the original was odd, and proxy requests gain their
// default Hop-Limit). The copy may grow to the larger of old's limit and
// the session's PDU size. nullptr on failure.
coap_pdu_t *duplicate_pdu(const coap_pdu_t *old, coap_session_t *session, const uint8_t *token,
                          size_t token_length, const coap_opt_filter_t *drop);

// An exact copy: header fields, token, options and payload, same limit.
coap_pdu_t *clone_pdu(const coap_pdu_t *pdu);

}  // namespace coap
