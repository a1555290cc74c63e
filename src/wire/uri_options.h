// Between URIs and CoAP options: a parsed URI, path or query turned into
// option list entries (Uri-Host, Uri-Port, Uri-Path, Uri-Query, ...), and
// the path or query of a request rebuilt as escaped text.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::wire {

// Appends one `number` option per segment of the path, percent-decoded
// leniently. "." segments are dropped; ".." drops the last entry of the
// chain, except that an entry that was first in a non-empty chain before
// the call is never dropped (libcoap's rule). False when an entry could
// not be allocated; entries added until then stay in the chain.
bool path_to_optlist(const uint8_t *path, size_t length, uint16_t number, coap_optlist_t **chain);

// Appends one `number` option per '&'-separated query item.
bool query_to_optlist(const uint8_t *query, size_t length, uint16_t number, coap_optlist_t **chain);

// Uri-Host (when dst is given and its address text is not what the URI
// names), Uri-Port (when the port is not the one the scheme implies), both
// only if host_port is set and the host is not a Unix-domain path; then
// Uri-Path and Uri-Query. The strings of uri must be valid.
bool uri_to_optlist(const coap_uri_t &uri, const coap_address_t *dst, coap_optlist_t **chain,
                    bool host_port);

// The Uri-Query options of pdu joined with '&' and escaped; nullptr when
// that text would be empty.
coap_string_t *query_from_pdu(const coap_pdu_t *pdu);

// The path of a request: taken raw from its Proxy-Uri when it has one
// (nullptr if that does not parse with the usable schemes), else its
// Uri-Path options joined with '/' and escaped ("" when there are none).
coap_string_t *path_from_pdu(const coap_pdu_t *pdu, uint32_t usable_schemes);

// The same path as path_from_pdu() written into buf without allocating;
// false when it does not fit into cap bytes or comes from a Proxy-Uri
// (the caller then uses path_from_pdu()).
bool path_into(const coap_pdu_t *pdu, uint8_t *buf, size_t cap, size_t *length);

}  // namespace coap::wire
