// Pure operations on coap_address_t: ports, comparison, classification,
// Unix-domain host decoding and the text forms used in logs. Families that
// the build leaves out behave as unknown families, as in libcoap.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::wire {

// Port in host byte order; 0 for families without ports.
uint16_t address_port(const coap_address_t &addr);
// Stores a host-order port; families without ports are left alone.
void set_address_port(coap_address_t &addr, uint16_t port);

// Same size, family, IP address and port. Scope id, flow info and
// sin_zero do not count. Unix-domain (and unknown) families never compare
// equal, which is what libcoap 4.3.5 does.
bool addresses_equal(const coap_address_t &a, const coap_address_t &b);

// Copies only the meaningful parts; everything else in dst becomes zero
// (IPv6 flow info is dropped). dst and src may be the same object.
void copy_address(coap_address_t &dst, const coap_address_t &src);

// 0.0.0.0 or ::.
bool address_is_any(const coap_address_t &addr);

// IPv4 224.0.0.0/4, IPv6 ff00::/8, or an IPv4-mapped IPv6 multicast.
// Broadcast is a separate question (transport/broadcast.h).
bool address_is_multicast(const coap_address_t &addr);

// The IPv4 address carried by addr (AF_INET, or IPv4-mapped AF_INET6), in
// network byte order; false when there is none.
bool address_ipv4(const coap_address_t &addr, uint32_t *ipv4_net_order);

// A URI host names a Unix-domain socket when it starts with "/" or with an
// encoded slash "%2F" (either case of F).
bool host_is_unix_domain(const uint8_t *host, size_t length);

// Writes the socket path encoded in a URI host into path (every "%2F" or
// "%2f" becomes '/'), keeping at most COAP_UNIX_PATH_MAX - 1 characters and
// a terminating NUL. Returns the number of characters kept.
size_t decode_unix_path(const uint8_t *host, size_t length, char *path);

// "1.2.3.4:5683", "[::1]:5683", the socket path, or "(unknown address
// type)", cut to fit size (> 0) bytes with a NUL. Returns strlen(buf).
size_t format_address(const coap_address_t &addr, char *buf, size_t size);

// The address alone ("1.2.3.4", "::1", or the socket path). An IP address
// is only written when buf can hold the longest one of its family
// (INET_ADDRSTRLEN / INET6_ADDRSTRLEN); otherwise buf is left empty.
void format_ip(const coap_address_t &addr, char *buf, size_t size);

}  // namespace coap::wire
