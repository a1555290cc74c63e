/* coap_ws.h: application calls specific to CoAP over WebSockets (RFC 8323)
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_ws.h
 * @brief WebSockets transport (coap+ws:// and coaps+ws://) helpers
 */

#ifndef COAP_WS_H_
#define COAP_WS_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup ws WebSockets Support
 * Calls for tuning the WebSockets transport of a session (RFC 8323).
 * @{
 */

/**
 * Chooses the value sent in the HTTP "Host:" header of the WebSockets
 * opening handshake (upgrade request) for a client session.
 *
 * @param session The client session that will use WebSockets.
 * @param ws_host The host name to put in the Host: header.
 * @return @c 1 on success, @c 0 on failure.
 */
int coap_ws_set_host_request(coap_session_t *session, coap_str_const_t *ws_host);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_WS_H_ */
