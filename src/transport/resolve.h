// Name resolution for endpoints and sessions: turns a host (name, numeric
// address or Unix-domain path) into coap_addr_info_t entries, one for each
// wanted CoAP scheme that this build can serve.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::transport {

// Ports asked for, per scheme family; 0 means "the scheme's default" when
// resolving the local side, and stays 0 for the remote side.
struct SchemePorts {
  uint16_t plain;      // coap, coap+tcp, http
  uint16_t secure;     // coaps, coaps+tcp, https
  uint16_t ws;         // coap+ws
  uint16_t ws_secure;  // coaps+ws
};

// The COAP_URI_SCHEME_*_BIT set a server can listen on.
uint32_t available_scheme_bits(bool have_pki_psk, bool ws_check, coap_proto_t unix_proto);

// host/length: the host to look up; empty means "localhost". scheme_bits
// selects the schemes. Returns a list allocated with coap::allocate (free
// it with free_address_list), or nullptr when nothing usable was found.
coap_addr_info_t *resolve(const uint8_t *host, size_t length, const SchemePorts &ports,
                          int ai_flags, uint32_t scheme_bits, bool local);

void free_address_list(coap_addr_info_t *list);

}  // namespace coap::transport
