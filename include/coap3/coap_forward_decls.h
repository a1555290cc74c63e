/* coap_forward_decls.h: the library's opaque handle types. Programs only
 * ever hold pointers to these; their contents live inside the library.
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef COAP_FORWARD_DECLS_H_
#define COAP_FORWARD_DECLS_H_

/* Public structures that headers refer to before defining them. */
struct coap_address_t;
struct coap_bin_const_t;
struct coap_dtls_pki_t;
struct coap_str_const_t;
struct coap_string_t;

typedef struct coap_address_t coap_address_t;

/* A request parked for a delayed (separate) response. */
typedef struct coap_async_t coap_async_t;

/* State of large (block-wise) bodies: sending, client receiving, server
 * receiving. */
typedef struct coap_lg_xmit_t coap_lg_xmit_t;
typedef struct coap_lg_crcv_t coap_lg_crcv_t;
typedef struct coap_lg_srcv_t coap_lg_srcv_t;

/* Response cache entries and their lookup keys. */
typedef struct coap_cache_entry_t coap_cache_entry_t;
typedef struct coap_cache_key_t coap_cache_key_t;

/* A datagram or stream chunk in flight, and the socket it travels on. */
typedef struct coap_packet_t coap_packet_t;
typedef struct coap_socket_t coap_socket_t;

/* The top-level state of one CoAP stack, and its queue of pending sends. */
typedef struct coap_context_t coap_context_t;
typedef struct coap_queue_t coap_queue_t;

/* OSCORE security configuration. */
typedef struct coap_oscore_conf_t coap_oscore_conf_t;

/* One CoAP message. */
typedef struct coap_pdu_t coap_pdu_t;

/* Upstream servers a proxy forwards to. */
typedef struct coap_proxy_list_t coap_proxy_list_t;

/* Server resources and their link-format attributes. */
typedef struct coap_attr_t coap_attr_t;
typedef struct coap_resource_t coap_resource_t;

/* Peers: the key that finds a session, a listening endpoint, a session. */
typedef struct coap_addr_hash_t coap_addr_hash_t;
typedef struct coap_endpoint_t coap_endpoint_t;
typedef struct coap_session_t coap_session_t;

/* One observer registered on a resource. */
typedef struct coap_subscription_t coap_subscription_t;

#endif /* COAP_FORWARD_DECLS_H_ */
