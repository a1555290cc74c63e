/* coap_supported.h: run-time queries for optional features built into the library
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_supported.h
 * @brief Run-time detection of optional functionality.
 */

#ifndef COAP_SUPPORTED_H_
#define COAP_SUPPORTED_H_

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup supported Optional features
 * Each function below reports whether one optional feature is available in
 * the library the program is running with: 1 if it is, 0 if it is not.
 * @{
 */

/** @return 1 if AF_UNIX (Unix domain) sockets can be used, else 0. */
int coap_af_unix_is_supported(void);

/** @return 1 if asynchronous (separate) responses are built in, else 0. */
int coap_async_is_supported(void);

/** @return 1 if the CoAP client code is built in, else 0. */
int coap_client_is_supported(void);

/** @return 1 if DTLS is available through the (D)TLS library, else 0. */
int coap_dtls_is_supported(void);

/** @return 1 if (D)TLS Connection-ID (CID) can be used, else 0. */
int coap_dtls_cid_is_supported(void);

/** @return 1 if (D)TLS pre-shared keys (PSK) can be used, else 0. */
int coap_dtls_psk_is_supported(void);

/** @return 1 if (D)TLS certificates (PKI) can be used, else 0. */
int coap_dtls_pki_is_supported(void);

/** @return 1 if (D)TLS keys/certificates held in PKCS#11 tokens can be used,
 *          else 0. */
int coap_dtls_pkcs11_is_supported(void);

/** @return 1 if (D)TLS raw public keys (RPK) can be used, else 0. */
int coap_dtls_rpk_is_supported(void);

/** @return 1 if the I/O loop is built on epoll, else 0. */
int coap_epoll_is_supported(void);

/** @return 1 if IPv4 is built in, else 0. */
int coap_ipv4_is_supported(void);

/** @return 1 if IPv6 is built in, else 0. */
int coap_ipv6_is_supported(void);

/** @return 1 if persistence of Observe subscriptions is built in, else 0. */
int coap_observe_persist_is_supported(void);

/** @return 1 if OSCORE is built in, else 0. */
int coap_oscore_is_supported(void);

/** @return 1 if the proxy code is built in, else 0. */
int coap_proxy_is_supported(void);

/** @return 1 if Q-Block1/Q-Block2 (RFC 9177) transfers are built in,
 *          else 0. */
int coap_q_block_is_supported(void);

/** @return 1 if the CoAP server code is built in, else 0. */
int coap_server_is_supported(void);

/** @return 1 if CoAP over TCP is built in, else 0. */
int coap_tcp_is_supported(void);

/** @return 1 if the library was built thread safe, else 0. */
int coap_threadsafe_is_supported(void);

/** @return 1 if TLS is available through the (D)TLS library, else 0. */
int coap_tls_is_supported(void);

/** @return 1 if CoAP over WebSockets is built in, else 0. */
int coap_ws_is_supported(void);

/** @return 1 if CoAP over secure WebSockets is built in, else 0. */
int coap_wss_is_supported(void);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_SUPPORTED_H_ */
