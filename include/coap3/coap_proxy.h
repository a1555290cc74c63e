/* coap_proxy.h: proxy types and request/response forwarding helpers
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_proxy.h
 * @brief Forward / reverse proxy support.
 */

#ifndef COAP_PROXY_H_
#define COAP_PROXY_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_pdu.h"
#include "coap_uri.h"
#include "coap_dtls.h"
#include "coap_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup proxy Proxy
 * Helpers for passing requests on to upstream servers and relaying the
 * responses back.
 * @{
 */

/** Role the proxy plays for a request. The _STRIP variants remove the proxy
 *  related options before the request is sent upstream. */
typedef enum {
  COAP_PROXY_REVERSE,       /**< reverse proxy */
  COAP_PROXY_REVERSE_STRIP, /**< reverse proxy, proxy options removed */
  COAP_PROXY_FORWARD,       /**< forward proxy */
  COAP_PROXY_FORWARD_STRIP, /**< forward proxy, proxy options removed */
  COAP_PROXY_DIRECT,        /**< direct (relay) proxy */
  COAP_PROXY_DIRECT_STRIP,  /**< direct (relay) proxy, proxy options removed */
} coap_proxy_t;

/** One upstream server and the security to use towards it. */
typedef struct coap_proxy_server_t {
  coap_uri_t uri;                  /**< scheme, host and port of the server */
  coap_dtls_pki_t *dtls_pki;       /**< PKI setup, or NULL */
  coap_dtls_cpsk_t *dtls_cpsk;     /**< client PSK setup, or NULL */
  coap_oscore_conf_t *oscore_conf; /**< OSCORE setup, or NULL */
} coap_proxy_server_t;

/** Set of upstream servers a proxy spreads requests over. */
typedef struct coap_proxy_server_list_t {
  coap_proxy_server_t *entry;     /**< array of servers */
  size_t entry_count;             /**< number of elements in @c entry */
  size_t next_entry;              /**< index of the server to use next
                                       (round robin, modulo entry_count) */
  coap_proxy_t type;              /**< proxy role */
  int track_client_session;       /**< 1: one upstream session per client
                                       session; 0: shared */
  unsigned int idle_timeout_secs; /**< idle timeout of upstream sessions in
                                       seconds; 0 disables it */
} coap_proxy_server_list_t;

/**
 * Tells whether the proxy code can open upstream connections for
 * @p scheme.
 *
 * @param scheme The URI scheme to check.
 *
 * @return 1 if the scheme is supported, 0 otherwise.
 */
int coap_verify_proxy_scheme_supported(coap_uri_scheme_t scheme);

/**
 * Passes a request received by a request handler on to the next hop. As a
 * reverse or direct proxy the next hop is taken from @p server_list (round
 * robin when it lists several servers); as a forward proxy it is taken from
 * the Proxy-Uri, or Proxy-Scheme plus Uri-Host/Uri-Port, of the request.
 * Requests meant for this server itself are not handled here.
 *
 * @param session     The session the request arrived on.
 * @param request     The received request.
 * @param response    The response being prepared for the client; its code
 *                    is set when forwarding fails.
 * @param resource    The resource whose handler received the request.
 * @param cache_key   Cache-key of the request, or NULL; it is handed back
 *                    by coap_proxy_forward_response().
 * @param server_list Upstream servers to use.
 *
 * @return 1 if the request was forwarded, 0 on failure.
 */
int COAP_API coap_proxy_forward_request(coap_session_t *session,
                                        const coap_pdu_t *request,
                                        coap_pdu_t *response,
                                        coap_resource_t *resource,
                                        coap_cache_key_t *cache_key,
                                        coap_proxy_server_list_t *server_list);

/**
 * Relays a response received from upstream back to the client that sent
 * the matching request. Typically called from the response handler.
 *
 * @param session   The upstream session the response arrived on.
 * @param received  The received response.
 * @param cache_key Set to the cache-key that was given to
 *                  coap_proxy_forward_request(). The caller should free it
 *                  with coap_delete_cache_key() unless further (Observe)
 *                  notifications are expected.
 *
 * @return COAP_RESPONSE_OK or COAP_RESPONSE_FAIL.
 */
coap_response_t COAP_API coap_proxy_forward_response(coap_session_t *session,
                                                     const coap_pdu_t *received,
                                                     coap_cache_key_t **cache_key);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_PROXY_H_ */
