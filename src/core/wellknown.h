// The built-in ".well-known/core" resource (RFC 6690): resource discovery
// in CoRE Link Format.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

bool is_wellknown_path(const uint8_t *path, size_t length);

// Fills response for a GET of .well-known/core (2.05 with the links of the
// context's resources, filtered by the request's query).
void answer_wellknown(coap_session_t *session, const coap_pdu_t *request, coap_pdu_t *response);

}  // namespace coap
