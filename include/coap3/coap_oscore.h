/* coap_oscore.h: OSCORE (RFC 8613) configuration and OSCORE protected sessions
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_oscore.h
 * @brief Object Security for Constrained RESTful Environments (OSCORE).
 */

#ifndef COAP_OSCORE_H_
#define COAP_OSCORE_H_

#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_str.h"
#include "coap_pdu.h"
#include "coap_dtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup oscore OSCORE
 * End-to-end protection of CoAP messages with OSCORE (RFC 8613).
 * @{
 */

/**
 * Application callback that persists the Sender Sequence Number, so that
 * after a restart numbering can resume without tripping replay protection.
 *
 * @param sender_seq_num Value to write to non-volatile storage.
 * @param param          The save_seq_num_func_param given to
 *                       coap_new_oscore_conf().
 *
 * @return 1 if the value was saved, 0 on failure.
 */
typedef int (*coap_oscore_save_seq_num_t)(uint64_t sender_seq_num, void *param);

/**
 * Builds an OSCORE configuration by parsing the textual configuration in
 * @p conf_mem (format described in coap-oscore-conf(5)).
 *
 * @param conf_mem                The configuration text.
 * @param save_seq_num_func       Callback that stores the Sender Sequence
 *                                Number persistently, or NULL.
 * @param save_seq_num_func_param Opaque value handed to
 *                                @p save_seq_num_func.
 * @param start_seq_num           First Sender Sequence Number to use (the
 *                                value saved before a restart, or 0).
 *
 * @return The new configuration, or NULL on error. It is consumed by the
 *         session/server setup functions below; otherwise free it with
 *         coap_delete_oscore_conf().
 */
coap_oscore_conf_t *coap_new_oscore_conf(coap_str_const_t conf_mem,
                                         coap_oscore_save_seq_num_t save_seq_num_func,
                                         void *save_seq_num_func_param,
                                         uint64_t start_seq_num);

/**
 * Frees an OSCORE configuration that was not handed over to a setup
 * function.
 *
 * @param oscore_conf The configuration to free.
 *
 * @return 1 on success, 0 if it was not found.
 */
int coap_delete_oscore_conf(coap_oscore_conf_t *oscore_conf);

/**
 * Opens a client session to @p server whose traffic is OSCORE protected.
 *
 * @param ctx         Context the session is created in.
 * @param local_if    Local address to bind to; NULL (recommended) lets the
 *                    system choose. A given address should use port 0.
 * @param server      Server address; port 0 selects the protocol default.
 * @param proto       Transport protocol.
 * @param oscore_conf OSCORE configuration; always consumed by this call.
 *
 * @return The new session (reference count 1, release with
 *         coap_session_release()), or NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_oscore(coap_context_t *ctx,
                                                        const coap_address_t *local_if,
                                                        const coap_address_t *server,
                                                        coap_proto_t proto,
                                                        coap_oscore_conf_t *oscore_conf);

/**
 * Opens a client session to @p server secured with (D)TLS PSK credentials
 * and, on top of that, OSCORE.
 *
 * @param ctx         Context the session is created in.
 * @param local_if    Local address to bind to; NULL (recommended) lets the
 *                    system choose. A given address should use port 0.
 * @param server      Server address; port 0 selects the protocol default.
 * @param proto       Transport protocol.
 * @param psk_data    Client PSK setup.
 * @param oscore_conf OSCORE configuration; always consumed by this call.
 *
 * @return The new session (reference count 1, release with
 *         coap_session_release()), or NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_oscore_psk(coap_context_t *ctx,
                                                            const coap_address_t *local_if,
                                                            const coap_address_t *server,
                                                            coap_proto_t proto,
                                                            coap_dtls_cpsk_t *psk_data,
                                                            coap_oscore_conf_t *oscore_conf);

/**
 * Opens a client session to @p server secured with (D)TLS PKI credentials
 * and, on top of that, OSCORE.
 *
 * @param ctx         Context the session is created in.
 * @param local_if    Local address to bind to; NULL (recommended) lets the
 *                    system choose. A given address should use port 0.
 * @param server      Server address; port 0 selects the protocol default.
 * @param proto       Transport protocol.
 * @param pki_data    Client PKI setup.
 * @param oscore_conf OSCORE configuration; always consumed by this call.
 *
 * @return The new session (reference count 1, release with
 *         coap_session_release()), or NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_oscore_pki(coap_context_t *ctx,
                                                            const coap_address_t *local_if,
                                                            const coap_address_t *server,
                                                            coap_proto_t proto,
                                                            coap_dtls_pki_t *pki_data,
                                                            coap_oscore_conf_t *oscore_conf);

/**
 * Enables OSCORE for incoming server traffic of @p context, using
 * @p oscore_conf as the default configuration.
 *
 * @param context     The CoAP context.
 * @param oscore_conf OSCORE configuration; always consumed by this call.
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_context_oscore_server(coap_context_t *context,
                                        coap_oscore_conf_t *oscore_conf);

/**
 * Adds another Recipient ID to the OSCORE setup of @p context (server use;
 * a client only ever uses its first one). Applies to the OSCORE context
 * created by coap_context_oscore_server() or coap_new_client_session_oscore*().
 *
 * @param context      The CoAP context.
 * @param recipient_id Recipient ID to register (should be unique).
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_new_oscore_recipient(coap_context_t *context,
                                       coap_bin_const_t *recipient_id);

/**
 * Removes a Recipient ID from the OSCORE setup of @p context; traffic that
 * still uses it is no longer accepted.
 *
 * @param context      The CoAP context.
 * @param recipient_id Recipient ID to drop.
 *
 * @return 1 on success, 0 if it was not found.
 */
COAP_API int coap_delete_oscore_recipient(coap_context_t *context,
                                          coap_bin_const_t *recipient_id);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_OSCORE_H_ */
