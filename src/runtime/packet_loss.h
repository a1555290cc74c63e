// Simulated packet loss for testing recovery (coap_debug_set_packet_loss):
// drop a percentage of outgoing datagrams, or chosen ones by sequence
// number. Process-wide, like the libcoap setting it mirrors.
#pragma once

namespace coap::packet_loss {

// Parses "N%" or a list such as "1,5-9,11"; false if malformed (the
// previous setting stays). Resets the packet counter.
bool configure(const char *spec);

// Counts one outgoing datagram; true if it is to be dropped.
bool drop_next();

}  // namespace coap::packet_loss
