/* libcoap.h: platform glue shared by every public header (socket types,
 * inline/deprecation helpers) and the library start-up functions.
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef COAP_LIBCOAP_H_
#define COAP_LIBCOAP_H_

/* struct sockaddr_* and socklen_t appear in coap_address_t. */
#include <netinet/in.h>
#include <sys/socket.h>

/* Helpers defined in headers: `inline` in C++ (one definition across
 * translation units), `static inline` in C. */
#ifndef COAP_STATIC_INLINE
#if defined(__cplusplus)
#define COAP_STATIC_INLINE inline
#else
#define COAP_STATIC_INLINE static inline
#endif
#endif

/* Marks API kept only for older programs; the compiler warns on use. */
#ifndef COAP_DEPRECATED
#define COAP_DEPRECATED __attribute__((deprecated))
#endif

/* Silences warnings about parameters a callback may ignore. */
#ifndef COAP_UNUSED
#ifdef __GNUC__
#define COAP_UNUSED __attribute__((unused))
#else
#define COAP_UNUSED
#endif
#endif

/* Decoration for exported functions; empty on this platform. */
#ifndef COAP_API
#define COAP_API
#endif

/**
 * Prepares process-wide state (clock, random generator, logging). Call once
 * before any other function of the library; further calls do nothing.
 */
void coap_startup(void);

/**
 * Releases the process-wide state set up by coap_startup(). Call after the
 * last context has been freed.
 */
void coap_cleanup(void);

#endif /* COAP_LIBCOAP_H_ */
