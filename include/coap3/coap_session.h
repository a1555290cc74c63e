/* coap_session.h: CoAP sessions and endpoints as seen by the application, and transmission parameters
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_session.h
 * @brief Creating, querying and tuning sessions (one per peer conversation)
 *        and the endpoints servers listen on.
 */

#ifndef COAP_SESSION_H_
#define COAP_SESSION_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_address.h"
#include "coap_pdu.h"
#include "coap_str.h"
#include "coap_io.h"
#include "coap_dtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup session Sessions
 * Calls for creating sessions and reading or changing their properties.
 * @{
 */

/**
 * Non-negative number with three decimal places, used instead of floating
 * point: the value is integer_part + fractional_part / 1000.
 */
typedef struct coap_fixed_point_t {
  uint16_t integer_part;    /**< whole units */
  uint16_t fractional_part; /**< thousandths (0 - 999) */
} coap_fixed_point_t;

/** Non-zero when protocol @p p is datagram based (UDP or DTLS). */
#define COAP_PROTO_NOT_RELIABLE(p) ((p)==COAP_PROTO_UDP || (p)==COAP_PROTO_DTLS)
/** Non-zero when protocol @p p is stream based (TCP, TLS, WS or WSS). */
#define COAP_PROTO_RELIABLE(p) ((p)==COAP_PROTO_TCP || (p)==COAP_PROTO_TLS || \
                                (p)==COAP_PROTO_WS || (p)==COAP_PROTO_WSS)

/** Role of a session. */
typedef enum coap_session_type_t {
  COAP_SESSION_TYPE_NONE = 0, /**< unset */
  COAP_SESSION_TYPE_CLIENT,   /**< we started it, towards a server */
  COAP_SESSION_TYPE_SERVER,   /**< a client reached one of our endpoints */
  COAP_SESSION_TYPE_HELLO,    /**< short-lived server session that only
                                   answers a (D)TLS ClientHello */
} coap_session_type_t;

/** Progress of a session's connection set-up. */
typedef enum coap_session_state_t {
  COAP_SESSION_STATE_NONE = 0,    /**< not connected */
  COAP_SESSION_STATE_CONNECTING,  /**< transport connection under way */
  COAP_SESSION_STATE_HANDSHAKE,   /**< (D)TLS handshake under way */
  COAP_SESSION_STATE_CSM,         /**< waiting for the peer's CSM
                                       (reliable transports) */
  COAP_SESSION_STATE_ESTABLISHED, /**< ready for traffic */
} coap_session_state_t;

/**
 * Takes one more reference on @p session so that the library does not free
 * it while the application still uses it.
 *
 * @param session The session.
 * @return @p session.
 */
COAP_API coap_session_t *coap_session_reference(coap_session_t *session);

/**
 * Drops one reference on @p session. When none are left a client session is
 * freed and a server session is parked as idle (and freed later if unused).
 * Do not touch @p session after this call unless another reference is held.
 *
 * @param session The session.
 */
COAP_API void coap_session_release(coap_session_t *session);

/**
 * Marks @p session as failed: pending and queued transmissions, observe
 * relations and similar state are dropped.
 *
 * @param session The session.
 * @param reason  Why the session is being dropped.
 */
COAP_API void coap_session_disconnected(coap_session_t *session,
                                        coap_nack_reason_t reason);

/**
 * Attaches an application pointer to @p session, replacing any earlier one.
 *
 * @param session The session.
 * @param data    Application pointer to remember.
 */
void coap_session_set_app_data(coap_session_t *session, void *data);

/**
 * Reads back the pointer stored with coap_session_set_app_data().
 *
 * @param session The session.
 * @return The stored pointer, or @c NULL if none was set.
 */
void *coap_session_get_app_data(const coap_session_t *session);

/**
 * Gives the peer's address and port. For a client that sent to a multicast
 * group this is the unicast address of the last responder, until the next
 * coap_send() puts the group address back.
 *
 * @param session The session.
 * @return The remote address, or @c NULL on error.
 */
const coap_address_t *coap_session_get_addr_remote(
    const coap_session_t *session);

/**
 * Gives the multicast group address and port a client session originally
 * targeted (clients only).
 *
 * @param session The session.
 * @return The group address, or @c NULL on error or when the session is
 *         not a multicast one.
 */
const coap_address_t *coap_session_get_addr_mcast(
    const coap_session_t *session);

/**
 * Gives our own address and port for @p session.
 *
 * @param session The session.
 * @return The local address, or @c NULL on error.
 */
const coap_address_t *coap_session_get_addr_local(
    const coap_session_t *session);

/**
 * @param session The session.
 * @return The transport protocol of @p session (0 on error).
 */
coap_proto_t coap_session_get_proto(const coap_session_t *session);

/**
 * @param session The session.
 * @return The role of @p session (0 on error).
 */
coap_session_type_t coap_session_get_type(const coap_session_t *session);

/**
 * @param session The session.
 * @return The set-up state of @p session (0 on error).
 */
coap_session_state_t coap_session_get_state(const coap_session_t *session);

/**
 * @param session The session.
 * @return Index of the network interface the session's traffic last arrived
 *         on, or @c -1 on error.
 */
int coap_session_get_ifindex(const coap_session_t *session);

/**
 * Gives the TLS library's own session object, whose type depends on the
 * library: SSL * (OpenSSL), gnutls_session_t (GnuTLS),
 * mbedtls_ssl_context * (Mbed TLS), WOLFSSL * (wolfSSL) or
 * struct dtls_context * (TinyDTLS).
 *
 * @param session The session.
 * @param tls_lib Receives which TLS library is in use.
 * @return The TLS object, or @c NULL when there is none.
 */
void *coap_session_get_tls(const coap_session_t *session,
                           coap_tls_library_t *tls_lib);

/**
 * @param session The session.
 * @return The context that owns @p session (@c NULL on error).
 */
coap_context_t *coap_session_get_context(const coap_session_t *session);

/**
 * Turns a server session into a client session, as needed for "call home"
 * set-ups where the server initiates requests. On success the reference
 * count is raised by one, so the now-client session is freed once
 * coap_session_release() brings the count back to zero. For DTLS this
 * fails until the ClientHello has been received.
 *
 * @param session A session of type COAP_SESSION_TYPE_SERVER.
 * @return @c 1 on success, @c 0 on failure.
 */
int coap_session_set_type_client(coap_session_t *session);

/**
 * Sets the largest message size the session may send, not counting IP and
 * transport (UDP/TCP) headers.
 *
 * @param session The session.
 * @param mtu     The new maximum size in bytes.
 */
void coap_session_set_mtu(coap_session_t *session, unsigned mtu);

/**
 * @param session The session.
 * @return Largest PDU that may be sent, counting the token but not the
 *         header.
 */
COAP_API size_t coap_session_max_pdu_size(const coap_session_t *session);

/**
 * Opens a client session to a server without security.
 *
 * @param ctx      The context the session belongs to.
 * @param local_if Local address to bind to; best left @c NULL so the
 *                 system chooses (if given, use port 0 for any free port).
 *                 Required for AF_UNIX.
 * @param server   The server's address; port 0 means the protocol's
 *                 default port.
 * @param proto    Transport protocol.
 * @return The new session (reference count 1; free it with
 *         coap_session_release()), or @c NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session(coap_context_t *ctx,
                                                 const coap_address_t *local_if,
                                                 const coap_address_t *server,
                                                 coap_proto_t proto
                                                );

/**
 * Opens a client session secured with a pre-shared key.
 *
 * @deprecated Superseded by coap_new_client_session_psk2().
 *
 * @param ctx      The context the session belongs to.
 * @param local_if Local address to bind to, or @c NULL (see
 *                 coap_new_client_session()).
 * @param server   The server's address; port 0 means the default port.
 * @param proto    Transport protocol.
 * @param identity PSK identity (NUL terminated).
 * @param key      The pre-shared key.
 * @param key_len  Number of bytes in @p key.
 * @return The new session (free it with coap_session_release()), or
 *         @c NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_psk(coap_context_t *ctx,
                                                     const coap_address_t *local_if,
                                                     const coap_address_t *server,
                                                     coap_proto_t proto,
                                                     const char *identity,
                                                     const uint8_t *key,
                                                     unsigned key_len
                                                    );

/**
 * Opens a client session secured with a pre-shared key.
 *
 * @param ctx        The context the session belongs to.
 * @param local_if   Local address to bind to, or @c NULL (see
 *                   coap_new_client_session()).
 * @param server     The server's address; port 0 means the default port.
 * @param proto      Transport protocol.
 * @param setup_data PSK settings (identity, key, callbacks, SNI).
 * @return The new session (free it with coap_session_release()), or
 *         @c NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_psk2(coap_context_t *ctx,
                                                      const coap_address_t *local_if,
                                                      const coap_address_t *server,
                                                      coap_proto_t proto,
                                                      coap_dtls_cpsk_t *setup_data
                                                     );

/**
 * @param session The session.
 * @return The PSK identity hint currently used by the server side, or
 *         @c NULL if there is none.
 */
const coap_bin_const_t *coap_session_get_psk_hint(
    const coap_session_t *session);

/**
 * @param session The session.
 * @return The PSK identity currently in use, or @c NULL if there is none.
 */
const coap_bin_const_t *coap_session_get_psk_identity(
    const coap_session_t *session);

/**
 * @param session The session.
 * @return The pre-shared key currently in use, or @c NULL if there is none.
 */
const coap_bin_const_t *coap_session_get_psk_key(
    const coap_session_t *session);

/**
 * Opens a client session secured with certificates or Raw Public Keys.
 *
 * @param ctx        The context the session belongs to.
 * @param local_if   Local address to bind to, or @c NULL (see
 *                   coap_new_client_session()).
 * @param server     The server's address; port 0 means the default port.
 * @param proto      Transport protocol.
 * @param setup_data PKI / RPK settings.
 * @return The new session (free it with coap_session_release()), or
 *         @c NULL on failure.
 */
COAP_API coap_session_t *coap_new_client_session_pki(coap_context_t *ctx,
                                                     const coap_address_t *local_if,
                                                     const coap_address_t *server,
                                                     coap_proto_t proto,
                                                     coap_dtls_pki_t *setup_data
                                                    );

/**
 * Seeds the token generator of @p session with a starting value.
 *
 * @param session The session.
 * @param length  Size of @p token in bytes (0 to 8).
 * @param token   The starting token bytes.
 */
void coap_session_init_token(coap_session_t *session, size_t length,
                             const uint8_t *token);

/**
 * Produces the next token to use on @p session.
 *
 * @param session The session.
 * @param length  Receives the token length.
 * @param token   Buffer of at least 8 bytes that receives the token.
 */
void coap_session_new_token(coap_session_t *session, size_t *length,
                            uint8_t *token);

/**
 * @ingroup logging
 * Builds a printable description of @p session (addresses and protocol),
 * for log messages.
 *
 * @param session The session.
 * @return The text, held in a buffer owned by the library.
 */
const char *coap_session_str(const coap_session_t *session);

/**
 * Creates an endpoint on which a server accepts traffic.
 *
 * @param context     The context that will own the endpoint.
 * @param listen_addr Address (or Unix path) to listen on; port 0 means the
 *                    protocol's default port.
 * @param proto       Transport protocol of the endpoint.
 * @return The new endpoint, or @c NULL on failure.
 */
COAP_API coap_endpoint_t *coap_new_endpoint(coap_context_t *context,
                                            const coap_address_t *listen_addr,
                                            coap_proto_t proto);

/**
 * Sets the MTU that sessions created on @p endpoint start with: the
 * largest message size, not counting IP and transport headers.
 *
 * @param endpoint The endpoint.
 * @param mtu      Size in bytes.
 */
void coap_endpoint_set_default_mtu(coap_endpoint_t *endpoint, unsigned mtu);

/**
 * Closes @p endpoint and frees it together with all its sessions (an AF_UNIX
 * socket file is removed as well).
 *
 * @param endpoint The endpoint.
 */
COAP_API void coap_free_endpoint(coap_endpoint_t *endpoint);

/**
 * Looks up the session of @p context that talks to @p remote_addr over
 * interface @p ifindex.
 *
 * @param context     Context whose sessions are searched.
 * @param remote_addr The peer's address.
 * @param ifindex     Index of the network interface used to reach the peer.
 * @return The matching session, or @c NULL when there is none.
 */
coap_session_t *coap_session_get_by_peer(const coap_context_t *context,
                                         const coap_address_t *remote_addr,
                                         int ifindex);

/** @} */

/**
 * @ingroup logging
 * Builds a printable description of @p endpoint, for log messages.
 *
 * @param endpoint The endpoint.
 * @return The text, held in a buffer owned by the library.
 */
const char *coap_endpoint_str(const coap_endpoint_t *endpoint);

/**
 * @ingroup application_api
 * @defgroup cc Rate Control
 * Per-session transmission parameters that govern retransmission and
 * congestion control, as defined by RFC 7252 section 4.8 and RFC 9177
 * section 6.2. The defaults suit almost every use.
 * @{
 */

/** Default ACK_TIMEOUT (RFC 7252): 2 seconds before the first resend of a
 * CON message. See coap_session_set_ack_timeout(). */
#define COAP_DEFAULT_ACK_TIMEOUT ((coap_fixed_point_t){2,0})

/** Default ACK_RANDOM_FACTOR (RFC 7252): 1.5, spreads resend times. See
 * coap_session_set_ack_random_factor(). */
#define COAP_DEFAULT_ACK_RANDOM_FACTOR ((coap_fixed_point_t){1,500})

/** Default MAX_RETRANSMIT (RFC 7252): 4 resends before giving up. See
 * coap_session_set_max_retransmit(). */
#define COAP_DEFAULT_MAX_RETRANSMIT  (4U)

/** Default NSTART (RFC 7252): 1 outstanding interaction per server. See
 * coap_session_set_nstart(). */
#define COAP_DEFAULT_NSTART (1U)

/** Default DEFAULT_LEISURE (RFC 7252): 5 seconds, the window for answering
 * multicast requests. See coap_session_set_default_leisure(). */
#define COAP_DEFAULT_DEFAULT_LEISURE ((coap_fixed_point_t){5,0})

/** Default PROBING_RATE (RFC 7252): 1 byte per second towards a peer that
 * does not answer. See coap_session_set_probing_rate(). */
#define COAP_DEFAULT_PROBING_RATE (1U)

/** Default MAX_PAYLOADS (RFC 9177): 10 Q-Block payloads per burst. See
 * coap_session_set_max_payloads(). */
#define COAP_DEFAULT_MAX_PAYLOADS (10U)

/** Default NON_MAX_RETRANSMIT (RFC 9177): 4 requests for missing Q-Block
 * payloads while nothing is heard back. See
 * coap_session_set_non_max_retransmit(). */
#define COAP_DEFAULT_NON_MAX_RETRANSMIT (4U)

/** Default NON_TIMEOUT (RFC 9177): 2 seconds (plus randomisation) of pause
 * after each burst of MAX_PAYLOADS Q-Block payloads. See
 * coap_session_set_non_timeout(). */
#define COAP_DEFAULT_NON_TIMEOUT ((coap_fixed_point_t){2,0})

/** Default NON_RECEIVE_TIMEOUT (RFC 9177): 4 seconds to wait for missing
 * Q-Block payloads before asking for them again. See
 * coap_session_set_non_receive_timeout(). */
#define COAP_DEFAULT_NON_RECEIVE_TIMEOUT ((coap_fixed_point_t){4,0})

/** MAX_LATENCY (RFC 7252 section 4.8.2): 100 seconds. */
#define COAP_DEFAULT_MAX_LATENCY (100U)

/**
 * Sets ACK_TIMEOUT: seconds to wait for an ACK or reply to a CON message
 * before the first resend.
 *
 * @param session The session.
 * @param value   New value (default 2.0).
 */
void coap_session_set_ack_timeout(coap_session_t *session,
                                  coap_fixed_point_t value);

/**
 * @param session The session.
 * @return The session's ACK_TIMEOUT.
 */
coap_fixed_point_t coap_session_get_ack_timeout(const coap_session_t *session);

/**
 * Sets ACK_RANDOM_FACTOR, the multiplier that randomises resend delays so
 * that peers do not fall into step.
 *
 * @param session The session.
 * @param value   New value (default 1.5).
 */
void coap_session_set_ack_random_factor(coap_session_t *session,
                                        coap_fixed_point_t value);

/**
 * @param session The session.
 * @return The session's ACK_RANDOM_FACTOR.
 */
coap_fixed_point_t coap_session_get_ack_random_factor(
    const coap_session_t *session);

/**
 * Sets MAX_RETRANSMIT, how many times a CON message is resent before the
 * exchange fails.
 *
 * @param session The session.
 * @param value   New value (default 4).
 */
void coap_session_set_max_retransmit(coap_session_t *session,
                                     uint16_t value);

/**
 * @param session The session.
 * @return The session's MAX_RETRANSMIT.
 */
uint16_t coap_session_get_max_retransmit(const coap_session_t *session);

/**
 * Sets NSTART, how many CON exchanges may be outstanding at once.
 *
 * @param session The session.
 * @param value   New value (default 1).
 */
void coap_session_set_nstart(coap_session_t *session,
                             uint16_t value);

/**
 * @param session The session.
 * @return The session's NSTART.
 */
uint16_t coap_session_get_nstart(const coap_session_t *session);

/**
 * Sets DEFAULT_LEISURE, the time window (seconds) used for multicast
 * replies.
 *
 * @param session The session.
 * @param value   New value (default 5.0).
 */
void coap_session_set_default_leisure(coap_session_t *session,
                                      coap_fixed_point_t value);

/**
 * @param session The session.
 * @return The session's DEFAULT_LEISURE.
 */
coap_fixed_point_t coap_session_get_default_leisure(
    const coap_session_t *session);

/**
 * Sets PROBING_RATE, the bytes per second allowed towards a peer that does
 * not respond.
 *
 * @param session The session.
 * @param value   New value (default 1).
 */
void coap_session_set_probing_rate(coap_session_t *session, uint32_t value);

/**
 * @param session The session.
 * @return The session's PROBING_RATE.
 */
uint32_t coap_session_get_probing_rate(const coap_session_t *session);

/**
 * Sets MAX_PAYLOADS, how many Q-Block1 / Q-Block2 payloads go out in one
 * burst before a pause. Both ends should use the same value.
 *
 * @param session The session.
 * @param value   New value (default 10).
 */
void coap_session_set_max_payloads(coap_session_t *session,
                                   uint16_t value);

/**
 * @param session The session.
 * @return The session's MAX_PAYLOADS.
 */
uint16_t coap_session_get_max_payloads(const coap_session_t *session);

/**
 * Sets NON_MAX_RETRANSMIT, how many times missing Q-Block1 / Q-Block2
 * payloads are asked for while no response arrives.
 *
 * @param session The session.
 * @param value   New value (default 4).
 */
void coap_session_set_non_max_retransmit(coap_session_t *session,
                                         uint16_t value);

/**
 * @param session The session.
 * @return The session's NON_MAX_RETRANSMIT.
 */
uint16_t coap_session_get_non_max_retransmit(const coap_session_t *session);

/**
 * Sets NON_TIMEOUT, the pause (seconds, randomised by ACK_RANDOM_FACTOR)
 * after each burst of MAX_PAYLOADS payloads.
 *
 * @param session The session.
 * @param value   New value (default 2.0).
 */
void coap_session_set_non_timeout(coap_session_t *session,
                                  coap_fixed_point_t value);

/**
 * @param session The session.
 * @return The session's NON_TIMEOUT.
 */
coap_fixed_point_t coap_session_get_non_timeout(const coap_session_t *session);

/**
 * Sets NON_RECEIVE_TIMEOUT, how long (seconds) to wait for missing payloads
 * before asking for them. It should exceed the randomised NON_TIMEOUT by at
 * least one second.
 *
 * @param session The session.
 * @param value   New value (default 4.0).
 */
void coap_session_set_non_receive_timeout(coap_session_t *session,
                                          coap_fixed_point_t value);

/**
 * @param session The session.
 * @return The session's NON_RECEIVE_TIMEOUT.
 */
coap_fixed_point_t coap_session_get_non_receive_timeout(
    const coap_session_t *session);

/** @} */

/**
 * Sends a CoAP ping (an empty CON message, or a Ping signal on reliable
 * transports) to the peer of @p session.
 *
 * @param session The session.
 * @return The message id used, or COAP_INVALID_MID on error.
 */
COAP_API coap_mid_t coap_session_send_ping(coap_session_t *session);

/**
 * Stops a client session from sending observe cancellations for its
 * observed resources when the session is closed.
 *
 * @param session The session.
 */
void coap_session_set_no_observe_cancel(coap_session_t *session);

#ifdef __cplusplus
}
#endif

#endif /* COAP_SESSION_H_ */
