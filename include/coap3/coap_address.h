/* coap_address.h: the coap_address_t socket address type, address helpers and name resolution
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_address.h
 * @brief Socket address abstraction (IPv4, IPv6, Unix domain) and the
 *        functions that build, compare, classify and resolve such addresses.
 */

#ifndef COAP_ADDRESS_H_
#define COAP_ADDRESS_H_

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "libcoap.h"

#include "coap_forward_decls.h"
#include "coap_pdu.h"  /* coap_proto_t; also brings in coap_option.h and coap_uri.h */
#include "coap_str.h"
#include "coap_uri.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Capacity of coap_sockaddr_un::sun_path, terminating NUL included.
 * It is chosen so that the Unix domain variant is no larger than a
 * struct sockaddr_in6, hence coap_address_t keeps its size (26 bytes on
 * Linux).
 */
#define COAP_UNIX_PATH_MAX   (sizeof(struct sockaddr_in6) - sizeof(sa_family_t))

/**
 * Compact Unix domain socket address, shaped like struct sockaddr_un but with
 * a shorter path buffer so that it fits in the coap_address_t union.
 */
struct coap_sockaddr_un {
  sa_family_t sun_family;              /**< always AF_UNIX */
  char sun_path[COAP_UNIX_PATH_MAX];   /**< NUL terminated file system path */
};

/**
 * A network endpoint address: IPv4, IPv6 or Unix domain. The family is read
 * from addr.sa.sa_family; @c size holds the number of bytes of @c addr that
 * are meaningful (as passed to / returned by the socket calls).
 */
struct coap_address_t {
  socklen_t size;                /**< length in bytes of the active addr member */
  union {
    struct sockaddr         sa;  /**< generic view (family is here) */
    struct sockaddr_in      sin; /**< AF_INET view */
    struct sockaddr_in6     sin6; /**< AF_INET6 view */
    struct coap_sockaddr_un cun; /**< AF_UNIX view (shortened path) */
  } addr;
};

/**
 * Reads the port of an AF_INET or AF_INET6 address.
 *
 * @param addr Address to inspect.
 * @return The port, converted to host byte order (0 for other families).
 */
uint16_t coap_address_get_port(const coap_address_t *addr);

/**
 * Stores @p port into an AF_INET or AF_INET6 address; other families are
 * left untouched.
 *
 * @param addr Address to modify.
 * @param port The new port, given in host byte order.
 */
void coap_address_set_port(coap_address_t *addr, uint16_t port);

/**
 * Tests two addresses for equality (family, address and port, or the path
 * for Unix domain sockets). Neither argument may be @c NULL.
 *
 * @param a First address.
 * @param b Second address.
 * @return @c 1 when @p a and @p b denote the same endpoint, else @c 0.
 */
int coap_address_equals(const coap_address_t *a, const coap_address_t *b);

/**
 * Backend of coap_address_isany(): tests for the IPv4 / IPv6 wildcard
 * ("any") address.
 *
 * @param a Address to test (not @c NULL).
 * @return @c 1 for a wildcard address, else @c 0.
 */
int _coap_address_isany_impl(const coap_address_t *a);

/**
 * One entry of the list produced by coap_resolve_address_info(): an address
 * together with the CoAP scheme and transport it should be used with.
 */
typedef struct coap_addr_info_t {
  struct coap_addr_info_t *next; /**< following entry, or NULL at the end */
  coap_uri_scheme_t scheme;      /**< CoAP URI scheme this entry is for */
  coap_proto_t proto;            /**< transport protocol to use */
  coap_address_t addr;           /**< address to bind() or connect() to */
} coap_addr_info_t;

/**
 * Works out which CoAP schemes a server built on this library can offer,
 * for use as the @c scheme_hint_bits argument of coap_resolve_address_info().
 *
 * @param have_pki_psk   @c 1 when PSK or PKI credentials are available, so
 *                       that the secure schemes can be included, else @c 0.
 * @param ws_check       @c 1 to include the WebSockets schemes, else @c 0.
 * @param use_unix_proto Protocol to run over a Unix domain socket, or
 *                       COAP_PROTO_NONE for ordinary IP sockets.
 * @return Bit mask of COAP_URI_SCHEME_*_BIT values, possibly @c 0.
 */
uint32_t coap_get_available_scheme_hint_bits(int have_pki_psk, int ws_check,
                                             coap_proto_t use_unix_proto);

/**
 * Which end of a session an address is resolved for.
 */
typedef enum coap_resolve_type_t {
  COAP_RESOLVE_TYPE_LOCAL,   /**< our own end (to bind() to) */
  COAP_RESOLVE_TYPE_REMOTE,  /**< the peer's end (to connect() to) */
} coap_resolve_type_t;

/**
 * Looks up a host name, numeric address or Unix domain path and returns the
 * matching addresses, one entry per usable scheme. The port stored in each
 * entry is picked from the four port arguments according to the scheme; a
 * port of 0 falls back to the scheme's default port for local resolution.
 *
 * @param address          Host name or address to look up.
 * @param port             Port for coap:// (and coap+tcp://).
 * @param secure_port      Port for coaps:// (and coaps+tcp://).
 * @param ws_port          Port for coap+ws://.
 * @param ws_secure_port   Port for coaps+ws://.
 * @param ai_hints_flags   AI_* flags handed on to getaddrinfo().
 * @param scheme_hint_bits Schemes wanted, as COAP_URI_SCHEME_*_BIT values
 *                         or'd together (see
 *                         coap_get_available_scheme_hint_bits()).
 * @param type             Whether the result is for the local or the remote
 *                         side of a session.
 * @return Linked list of results, to be released with
 *         coap_free_address_info(), or @c NULL on failure.
 */
coap_addr_info_t *coap_resolve_address_info(const coap_str_const_t *address,
                                            uint16_t port,
                                            uint16_t secure_port,
                                            uint16_t ws_port,
                                            uint16_t ws_secure_port,
                                            int ai_hints_flags,
                                            int scheme_hint_bits,
                                            coap_resolve_type_t type);

/**
 * Releases a whole list returned by coap_resolve_address_info().
 *
 * @param info_list Head of the list (may be @c NULL).
 */
void coap_free_address_info(coap_addr_info_t *info_list);

/**
 * Clears @p addr and sets its @c size to the full capacity of the address
 * union. The caller then fills in the family and the matching union member.
 *
 * @param addr Address to initialise.
 */
void coap_address_init(coap_address_t *addr);

/**
 * Turns the host part of a CoAP URI into an AF_UNIX address: @p addr is
 * initialised and the path is copied in with every "%2F" decoded to '/'.
 *
 * @param addr     Address to fill in.
 * @param host     The (still %2F-encoded) host taken from the URI.
 * @param host_len Number of bytes in @p host.
 * @return @c 1 on success, @c 0 on failure (e.g. the path is too long).
 */
int coap_address_set_unix_domain(coap_address_t *addr,
                                 const uint8_t *host, size_t host_len);

/**
 * Copies the address @p src into @p dst, so that no stale bytes are left
 * beyond the part that is in use.
 *
 * @param dst Destination address.
 * @param src Source address.
 */
void coap_address_copy(coap_address_t *dst, const coap_address_t *src);

/**
 * Tells whether @p a is the wildcard ("any") address.
 *
 * @param a Address to test; must not be @c NULL.
 * @return @c 1 for the wildcard address, else @c 0.
 */
COAP_STATIC_INLINE int
coap_address_isany(const coap_address_t *a) {
  assert(a);
  return _coap_address_isany_impl(a);
}

/**
 * Tells whether @p a is an IPv4 or IPv6 multicast address.
 *
 * @param a Address to test.
 * @return @c 1 when multicast, else @c 0.
 */
int coap_is_mcast(const coap_address_t *a);

/**
 * Tells whether @p a is an IPv4 broadcast address.
 *
 * @param a Address to test.
 * @return @c 1 when broadcast, else @c 0.
 */
int coap_is_bcast(const coap_address_t *a);

/**
 * Tells whether @p a belongs to the AF_UNIX (Unix domain) family.
 *
 * @param a Address to test.
 * @return @c 1 when AF_UNIX, else @c 0.
 */
int coap_is_af_unix(const coap_address_t *a);

#ifdef __cplusplus
}
#endif

#endif /* COAP_ADDRESS_H_ */
