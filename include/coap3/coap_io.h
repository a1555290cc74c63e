/* coap_io.h: socket-level basics shared by the network layer (fd type, address tuple, NACK reasons)
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_io.h
 * @brief Socket descriptor type, local/remote address pair and the reasons a
 *        message can be given up on.
 */

#ifndef COAP_IO_H_
#define COAP_IO_H_

#include <sys/types.h>
#include <stdint.h>

#include "coap_address.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Size in bytes of the buffer a datagram is read into. May be overridden at
 * compile time; the default fits an Ethernet-sized UDP payload.
 */
#ifndef COAP_RXBUFFER_SIZE
#define COAP_RXBUFFER_SIZE 1472
#endif /* COAP_RXBUFFER_SIZE */

/**
 * Upper bound on the number of epoll events fetched by one epoll_wait() call.
 * Can be raised at compile time for servers with many concurrently busy
 * sessions.
 */
#ifndef COAP_MAX_EPOLL_EVENTS
#define COAP_MAX_EPOLL_EVENTS 10
#endif /* COAP_MAX_EPOLL_EVENTS */

/** Native socket handle (a plain POSIX file descriptor). */
typedef int coap_fd_t;

/** Function used to close a coap_fd_t. */
#define coap_closesocket close
/** Value socket calls return when they fail. */
#define COAP_SOCKET_ERROR (-1)
/** Value marking a coap_fd_t that does not refer to an open socket. */
#define COAP_INVALID_SOCKET (-1)

/** Bit set of COAP_SOCKET_* state flags kept for a socket. */
typedef uint16_t coap_socket_flags_t;

/**
 * The two ends of a conversation: the peer's address/port and our own.
 */
typedef struct coap_addr_tuple_t {
  coap_address_t remote;       /**< address and port of the peer */
  coap_address_t local;        /**< our address and port */
} coap_addr_tuple_t;

/**
 * Describes the most recent socket error (errno) as text.
 *
 * @return Readable description of the error; the caller must not free it.
 */
const char *coap_socket_strerror(void);

/**
 * Why a message was abandoned; handed to the coap_nack_handler_t callback.
 */
typedef enum {
  COAP_NACK_TOO_MANY_RETRIES,  /**< retransmission limit hit without an ACK */
  COAP_NACK_NOT_DELIVERABLE,   /**< the message could not be sent at all */
  COAP_NACK_RST,               /**< the peer replied with a Reset */
  COAP_NACK_TLS_FAILED,        /**< the (D)TLS handshake did not succeed */
  COAP_NACK_ICMP_ISSUE,        /**< an ICMP error was reported for the peer */
  COAP_NACK_BAD_RESPONSE,      /**< the response received was unusable */
  COAP_NACK_TLS_LAYER_FAILED,  /**< the (D)TLS layer broke down */
  COAP_NACK_WS_LAYER_FAILED,   /**< the WebSockets layer broke down */
  COAP_NACK_WS_FAILED          /**< WebSockets connection setup failed */
} coap_nack_reason_t;

#ifdef __cplusplus
}
#endif

#endif /* COAP_IO_H_ */
