// Whether an address is an IPv4 broadcast address: the limited broadcast
// 255.255.255.255, or the directed broadcast of one of this host's
// interfaces (the interface list is read again at most every 30 s).
#pragma once

#include "coap3/coap.h"

namespace coap::transport {

bool address_is_broadcast(const coap_address_t &addr);

}  // namespace coap::transport
