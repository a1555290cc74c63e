/* coap_net.h: the CoAP context - creation, configuration, message sending and the I/O loop
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_net.h
 * @brief Context object, callback registration, sending helpers and I/O
 *        processing entry points.
 */

#ifndef COAP_NET_H_
#define COAP_NET_H_

#include <stdlib.h>
#include <string.h>
#ifdef HAVE_SYS_SELECT_H
#include <sys/select.h>
#endif /* HAVE_SYS_SELECT_H */
#include <sys/time.h>
#include <time.h>

#include "coap_forward_decls.h"
#include "coap_io.h"
#include "coap_dtls.h"
#include "coap_event.h"
#include "coap_pdu.h"
#include "coap_session.h"
#include "coap_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup context Context Handling
 * A coap_context_t holds the whole stack state: endpoints, sessions,
 * resources and the application's callbacks.
 * @{
 */

/** What a response handler tells the library about a received response. */
typedef enum coap_response_t {
  COAP_RESPONSE_FAIL, /**< rejected: answer the peer with a RST */
  COAP_RESPONSE_OK    /**< accepted */
} coap_response_t;

/**
 * Client callback run for every response that arrives on the context.
 *
 * @param session  Session the response came in on.
 * @param sent     The request being answered, when still known (may be
 *                 @c NULL).
 * @param received The response PDU.
 * @param mid      Message ID of @p received.
 *
 * @return @c COAP_RESPONSE_OK to accept; @c COAP_RESPONSE_FAIL makes the
 *         library reply with RST when @p received is CON or NON.
 */
typedef coap_response_t (*coap_response_handler_t)(coap_session_t *session,
                                                   const coap_pdu_t *sent,
                                                   const coap_pdu_t *received,
                                                   const coap_mid_t mid);

/**
 * Callback run when a message is given up on (no ACK after all retries,
 * RST received, or a transport/security failure).
 *
 * @param session Session the message belonged to.
 * @param sent    The failed PDU, if still available (may be @c NULL).
 * @param reason  Why delivery failed.
 * @param mid     Message ID of the failed message.
 */
typedef void (*coap_nack_handler_t)(coap_session_t *session,
                                    const coap_pdu_t *sent,
                                    const coap_nack_reason_t reason,
                                    const coap_mid_t mid);

/**
 * Callback run whenever a CoAP ping arrives.
 *
 * @param session  Session the ping came in on.
 * @param received The ping PDU.
 * @param mid      Its message ID.
 */
typedef void (*coap_ping_handler_t)(coap_session_t *session,
                                    const coap_pdu_t *received,
                                    const coap_mid_t mid);

/**
 * Callback run whenever the answer to a ping (a pong) arrives.
 *
 * @param session  Session the pong came in on.
 * @param received The pong PDU.
 * @param mid      Its message ID.
 */
typedef void (*coap_pong_handler_t)(coap_session_t *session,
                                    const coap_pdu_t *received,
                                    const coap_mid_t mid);

/**
 * Installs the callback that receives responses for @p context.
 *
 * @param context Context to configure.
 * @param handler Callback, or @c NULL to remove it.
 */
void coap_register_response_handler(coap_context_t *context,
                                    coap_response_handler_t handler);

/**
 * Installs the callback told about messages that could not be delivered
 * (retries exhausted, RST, network or (D)TLS failure).
 *
 * @param context Context to configure.
 * @param handler Callback, or @c NULL to remove it.
 */
void coap_register_nack_handler(coap_context_t *context,
                                coap_nack_handler_t handler);

/**
 * Installs the callback run when a CoAP ping is received.
 *
 * @param context Context to configure.
 * @param handler Callback, or @c NULL to remove it.
 */
void coap_register_ping_handler(coap_context_t *context,
                                coap_ping_handler_t handler);

/**
 * Installs the callback run when a CoAP pong is received.
 *
 * @param context Context to configure.
 * @param handler Callback, or @c NULL to remove it.
 */
void coap_register_pong_handler(coap_context_t *context,
                                coap_pong_handler_t handler);

/**
 * Marks option number @p type as known to @p ctx, so that it is not
 * treated as an unrecognised critical option.
 *
 * @param ctx  Context to update.
 * @param type Option number.
 */
COAP_API void coap_register_option(coap_context_t *ctx, uint16_t type);

/**
 * Allocates a new, empty context.
 *
 * @param listen_addr Optional; when given, an unencrypted (UDP) endpoint
 *                    listening on this address is added straight away.
 *
 * @return The new context, or @c NULL on failure. Release it with
 *         coap_free_context().
 */
coap_context_t *coap_new_context(const coap_address_t *listen_addr);

/**
 * Sets the server side default PSK identity hint and key of @p context.
 *
 * @deprecated Use coap_context_set_psk2().
 *
 * @param context Context to configure.
 * @param hint    Hint offered to clients; @c NULL turns PSK off, an empty
 *                string is a legal hint.
 * @param key     Pre-shared key; without one PSK handshakes fail.
 * @param key_len Length of @p key in bytes; @c 0 makes PSK handshakes fail.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
COAP_API int coap_context_set_psk(coap_context_t *context, const char *hint,
                                  const uint8_t *key, size_t key_len);

/**
 * Sets the server side default PSK configuration of @p context.
 *
 * @param context    Context to configure.
 * @param setup_data PSK settings (hint, key, callbacks); @c NULL leaves PSK
 *                   unusable.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
COAP_API int coap_context_set_psk2(coap_context_t *context,
                                   coap_dtls_spsk_t *setup_data);

/**
 * Sets the server side default PKI (certificate) configuration of
 * @p context.
 *
 * @param context    Context to configure.
 * @param setup_data Certificate settings; @c NULL leaves PKI unusable.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
COAP_API int coap_context_set_pki(coap_context_t *context,
                                  const coap_dtls_pki_t *setup_data);

/**
 * Tells @p context where to find the trusted root CA certificates, for
 * client and server use alike.
 *
 * @param context Context to configure.
 * @param ca_file Path of a PEM file holding the CAs, or @c NULL.
 * @param ca_dir  Directory of PEM CA files, or @c NULL.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
COAP_API int coap_context_set_pki_root_cas(coap_context_t *context,
                                           const char *ca_file,
                                           const char *ca_dir);

/**
 * Enables CoAP level keepalives: once a session has been quiet (nothing
 * sent or received) for @p seconds, a probe is sent. Over UDP that is an
 * empty CON message, retransmitted like any other, and the session counts
 * as lost if no RST ever comes back. Over reliable transports a Ping is
 * sent, and the session counts as lost if its Pong has not arrived before
 * the next Ping is due.
 *
 * @param context Context to configure.
 * @param seconds Idle time before probing; @c 0 switches keepalives off.
 */
void coap_context_set_keepalive(coap_context_t *context, unsigned int seconds);

/**
 * Testing aid for DTLS Connection IDs (RFC 9146): makes clients switch to
 * a new source port after every @p every packets.
 *
 * @param context Context to configure.
 * @param every   Number of packets between port changes.
 *
 * @return @c 1 if accepted (the DTLS library supports CIDs), else @c 0.
 */
int coap_context_set_cid_tuple_change(coap_context_t *context, uint8_t every);

/**
 * Sets the largest token length @p context will handle (extended tokens,
 * RFC 8974).
 *
 * @param context        Context to configure.
 * @param max_token_size Limit in bytes, from 8 (no extended tokens) up to
 *                       65804.
 */
void coap_context_set_max_token_size(coap_context_t *context,
                                     size_t max_token_size);

/**
 * Returns the single descriptor an application can hand to its own
 * select()/poll() or epoll set to learn when @p context needs servicing.
 *
 * @param context The context.
 *
 * @return The descriptor, or @c -1 when the library was built without epoll.
 */
int coap_context_get_coap_fd(const coap_context_t *context);

/**
 * Limits how many server sessions may sit idle; beyond the limit the least
 * recently used idle session is removed.
 *
 * @param context           Context to configure.
 * @param max_idle_sessions The limit; @c 0 (the default) means unlimited.
 */
void coap_context_set_max_idle_sessions(coap_context_t *context,
                                        unsigned int max_idle_sessions);

/**
 * Reads back the idle server session limit.
 *
 * @param context The context.
 *
 * @return The limit (@c 0 means unlimited).
 */
unsigned int coap_context_get_max_idle_sessions(const coap_context_t *context);

/**
 * Sets after how many seconds without traffic an idle server session is
 * closed.
 *
 * @param context         Context to configure.
 * @param session_timeout Seconds; @c 0 selects the default of 300.
 */
void coap_context_set_session_timeout(coap_context_t *context,
                                      unsigned int session_timeout);

/**
 * Reads back the idle server session timeout.
 *
 * @param context The context.
 *
 * @return The timeout in seconds.
 */
unsigned int coap_context_get_session_timeout(const coap_context_t *context);

/**
 * Sets, in whole seconds, how long to wait for the peer's CSM on reliable
 * (TCP based) sessions.
 *
 * @deprecated Use coap_context_set_csm_timeout_ms().
 *
 * @param context     Context to configure.
 * @param csm_timeout Seconds to wait; @c 0 waits forever.
 */
COAP_DEPRECATED void coap_context_set_csm_timeout(coap_context_t *context,
                                                  unsigned int csm_timeout);

/**
 * Reads back the CSM wait in whole seconds.
 *
 * @deprecated Use coap_context_get_csm_timeout_ms().
 *
 * @param context The context.
 *
 * @return The CSM timeout in seconds.
 */
COAP_DEPRECATED unsigned int coap_context_get_csm_timeout(const coap_context_t *context);

/**
 * Sets how many milliseconds to wait for the peer's CSM on reliable (TCP
 * based) sessions. Starts out at 1000.
 *
 * @param context        Context to configure.
 * @param csm_timeout_ms Milliseconds; values outside 10..10000 are clamped.
 */
void coap_context_set_csm_timeout_ms(coap_context_t *context,
                                     unsigned int csm_timeout_ms);

/**
 * Reads back the CSM wait.
 *
 * @param context The context.
 *
 * @return The CSM timeout in milliseconds.
 */
unsigned int coap_context_get_csm_timeout_ms(const coap_context_t *context);

/**
 * Sets the Max-Message-Size announced in our CSM, i.e. the largest PDU we
 * accept on reliable sessions.
 *
 * @param context              Context to configure.
 * @param csm_max_message_size Size in bytes.
 */
void coap_context_set_csm_max_message_size(coap_context_t *context,
                                           uint32_t csm_max_message_size);

/**
 * Reads back the Max-Message-Size announced in our CSM.
 *
 * @param context The context.
 *
 * @return Size in bytes.
 */
uint32_t coap_context_get_csm_max_message_size(const coap_context_t *context);

/**
 * Limits how many server sessions may be in the middle of a (D)TLS
 * handshake at once; beyond the limit the least recently used one is
 * dropped.
 *
 * @param context                Context to configure.
 * @param max_handshake_sessions The limit; @c 0 (the default) means unlimited.
 */
void coap_context_set_max_handshake_sessions(coap_context_t *context,
                                             unsigned int max_handshake_sessions);

/**
 * Reads back the limit on concurrent (D)TLS handshakes.
 *
 * @param context The context.
 *
 * @return The limit (@c 0 means unlimited).
 */
unsigned int coap_context_get_max_handshake_sessions(const coap_context_t *context);

/**
 * Hands out the next message ID to use on @p session (advancing its
 * counter). Reliable transports (RFC 8323) have no message IDs, so for
 * them the result is always @c 0.
 *
 * @param session The session.
 *
 * @return The message ID for the next new message.
 */
COAP_API uint16_t coap_new_message_id(coap_session_t *session);

/**
 * Destroys @p context: drops queued messages, deletes its resources and
 * releases its sessions and endpoints. Do not call it from inside a
 * library callback.
 *
 * @param context Context to destroy (@c NULL is ignored).
 */
COAP_API void coap_free_context(coap_context_t *context);

/**
 * Stores an application pointer in @p context, replacing any earlier one.
 *
 * @deprecated Use coap_context_set_app_data().
 *
 * @param context The context.
 * @param data    Pointer to keep; must stay valid as long as @p context lives.
 */
void coap_set_app_data(coap_context_t *context, void *data);

/**
 * Returns the application pointer stored with coap_set_app_data().
 *
 * @deprecated Use coap_context_get_app_data().
 *
 * @param context The context.
 *
 * @return The stored pointer, or @c NULL if none was set.
 */
void *coap_get_app_data(const coap_context_t *context);

/**
 * Builds an error reply to @p request carrying response code @p code. The
 * options selected by @p opts are copied from the request, and (unless the
 * library was built with SHORT_ERROR_RESPONSE) the standard reason text is
 * added as payload.
 *
 * @param request The request being refused.
 * @param code    Response code to use.
 * @param opts    Filter of the request options to copy over.
 *
 * @return The new PDU, or @c NULL on failure.
 */
coap_pdu_t *coap_new_error_response(const coap_pdu_t *request,
                                    coap_pdu_code_t code,
                                    coap_opt_filter_t *opts);

/**
 * Builds (see coap_new_error_response()) and sends an error reply to
 * @p request on @p session.
 *
 * @param session The session to reply on.
 * @param request The request being refused.
 * @param code    Response code to use.
 * @param opts    Filter of the request options to copy over.
 *
 * @return Message ID of the reply, or @c COAP_INVALID_MID if nothing was sent.
 */
COAP_API coap_mid_t coap_send_error(coap_session_t *session,
                                    const coap_pdu_t *request,
                                    coap_pdu_code_t code,
                                    coap_opt_filter_t *opts);

/**
 * Sends an empty message of the given @p type (typically ACK or RST) that
 * answers @p request.
 *
 * @param session The session to reply on.
 * @param request Message being answered.
 * @param type    Message type of the reply.
 *
 * @return Message ID used, or @c COAP_INVALID_MID if nothing was sent.
 */
COAP_API coap_mid_t coap_send_message_type(coap_session_t *session, const coap_pdu_t *request,
                                           coap_pdu_type_t type);

/**
 * Sends an empty ACK (code 0) for @p request.
 *
 * @param session The session to reply on.
 * @param request Message being acknowledged.
 *
 * @return Message ID used, or @c COAP_INVALID_MID if nothing was sent.
 */
COAP_API coap_mid_t coap_send_ack(coap_session_t *session, const coap_pdu_t *request);

/**
 * Sends a RST (code 0) rejecting @p request.
 *
 * @param session The session to reply on.
 * @param request Message being rejected.
 *
 * @return Message ID used, or @c COAP_INVALID_MID if nothing was sent.
 */
COAP_API coap_mid_t coap_send_rst(coap_session_t *session, const coap_pdu_t *request);

/**
 * Queues @p pdu for transmission on @p session. Ownership of @p pdu always
 * passes to the library, whether or not sending succeeds; the caller must
 * not touch it afterwards.
 *
 * @param session The session to send on.
 * @param pdu     The message to send.
 *
 * @return Message ID of the message, or @c COAP_INVALID_MID on failure.
 */
COAP_API coap_mid_t coap_send(coap_session_t *session, coap_pdu_t *pdu);

/** Former name of coap_send(); large bodies are handled by coap_send() itself. */
#define coap_send_large(session, pdu) coap_send(session, pdu)

/**
 * Delivers @p event for @p session to the event callback of @p context.
 *
 * @param context Context whose callback is to run.
 * @param event   The event.
 * @param session Session the event concerns.
 *
 * @return What the callback returned, or @c 0 if no callback is installed.
 */
COAP_API int coap_handle_event(coap_context_t *context,
                               coap_event_t event,
                               coap_session_t *session);

/**
 * Tells whether @p context has nothing left to transmit.
 *
 * @param context Context to inspect.
 *
 * @return @c 1 when no transmissions are queued, @c 0 otherwise. @c 1 does
 *         not imply that outstanding requests have been answered.
 */
COAP_API int coap_can_exit(coap_context_t *context);

#ifdef __cplusplus
} /* coap_ticks() is declared in coap_time.h as well; this repeat must not
   * give it a different language linkage from the one declared there. */
#endif
/**
 * Reads the library's monotonic clock, which advances
 * COAP_TICKS_PER_SECOND ticks per second.
 *
 * @param now Receives the current tick count.
 */
void coap_ticks(coap_tick_t *now);
#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes every UDP endpoint of @p ctx join a multicast group.
 *
 * @param ctx       Context whose endpoints join.
 * @param groupname Multicast group address as text.
 * @param ifname    Interface to join on, or @c NULL to let the system choose.
 *
 * @return @c 0 on success, @c -1 on failure.
 */
COAP_API int coap_join_mcast_group_intf(coap_context_t *ctx, const char *groupname,
                                        const char *ifname);

/** Joins multicast group @p groupname on the default interface. */
#define coap_join_mcast_group(ctx, groupname) \
  (coap_join_mcast_group_intf(ctx, groupname, NULL))

/**
 * Sets the hop limit (TTL) of multicast packets sent on @p session. The
 * default of 1 keeps them on the local network.
 *
 * @param session Session used for multicast sending.
 * @param hops    Hop limit.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
int coap_mcast_set_hops(coap_session_t *session, size_t hops);

/**
 * Switches @p context to per-resource multicast handling, where the
 * COAP_RESOURCE_FLAGS_*MCAST* flags given to coap_resource_init() decide
 * how multicast requests are treated.
 *
 * @param context Context to configure.
 */
void coap_mcast_per_resource(coap_context_t *context);

/**
 * Stores an application pointer in @p context, replacing any earlier one.
 *
 * @param context The context.
 * @param data    Pointer to keep.
 */
void coap_context_set_app_data(coap_context_t *context, void *data);

/**
 * Returns the application pointer stored with coap_context_set_app_data().
 *
 * @param context The context.
 *
 * @return The stored pointer, or @c NULL if none was set.
 */
void *coap_context_get_app_data(const coap_context_t *context);

/**@}*/

/**
 * @ingroup application_api
 * @defgroup app_io Application I/O Handling
 * Driving the library's network processing from the application.
 * @{
 */

/** coap_io_process() timeout: block until there is something to do. */
#define COAP_IO_WAIT    0
/** coap_io_process() timeout: do pending work and return without waiting. */
#define COAP_IO_NO_WAIT ((uint32_t)-1)

/**
 * Runs one round of the I/O loop: completes pending network work and then
 * optionally waits for more input (with select() or, if built with it,
 * epoll), processing what arrives.
 *
 * @param ctx        The context.
 * @param timeout_ms How long to wait for input, in milliseconds.
 *                   @c COAP_IO_WAIT waits until the next packet or the next
 *                   internal deadline (e.g. a retransmission), whichever
 *                   is first; @c COAP_IO_NO_WAIT does not wait at all.
 *
 * @return Milliseconds spent in the call, or @c -1 on error.
 */
COAP_API int coap_io_process(coap_context_t *ctx, uint32_t timeout_ms);

/**
 * Like coap_io_process(), but the internal select() also watches the
 * application's own descriptors.
 *
 * @param ctx        The context.
 * @param timeout_ms As for coap_io_process().
 * @param nfds       Highest descriptor in the sets below, plus one.
 * @param readfds    Extra descriptors to watch for reading, or @c NULL.
 * @param writefds   Extra descriptors to watch for writing, or @c NULL.
 * @param exceptfds  Extra descriptors to watch for exceptions, or @c NULL.
 *
 * @return Milliseconds spent in the call, or @c -1 on error. The non-NULL
 *         sets are updated with what select() reported.
 */
COAP_API int coap_io_process_with_fds(coap_context_t *ctx, uint32_t timeout_ms,
                                      int nfds, fd_set *readfds, fd_set *writefds,
                                      fd_set *exceptfds);

/**
 * Tells whether @p context still has I/O in progress, such as client
 * observations or unfinished block-wise transfers. It calls
 * coap_io_process() internally to flush output and read pending input.
 *
 * @param context The context.
 *
 * @return @c 1 if I/O is pending, @c 0 if not.
 */
COAP_API int coap_io_pending(coap_context_t *context);

/**
 * Low level (select() based) step one: sends any delayed or observe
 * traffic that is now due, and collects into @p sockets every socket of
 * @p ctx that wants to read, write, accept or connect. The caller then
 * waits (typically with select()), marks ready sockets with the matching
 * COAP_SOCKET_CAN_* flags and calls coap_io_do_io(). Not to be used when the
 * library was built with epoll; see coap_io_prepare_epoll().
 *
 * @param ctx         The context.
 * @param sockets     Array filled with the sockets needing attention.
 * @param max_sockets Capacity of @p sockets.
 * @param num_sockets Receives how many entries were filled in.
 * @param now         Current time in ticks.
 *
 * @return Longest time, in milliseconds, the caller may wait for network
 *         activity; @c 0 means no limit.
 */
COAP_API unsigned int coap_io_prepare_io(coap_context_t *ctx,
                                         coap_socket_t *sockets[],
                                         unsigned int max_sockets,
                                         unsigned int *num_sockets,
                                         coap_tick_t now);

/**
 * Low level (select() based) step two: performs the reads, writes,
 * accepts and connects flagged COAP_SOCKET_CAN_* on the sockets of @p ctx.
 * With an epoll build, use coap_io_do_epoll() instead.
 *
 * @param ctx The context.
 * @param now Current time in ticks.
 */
COAP_API void coap_io_do_io(coap_context_t *ctx, coap_tick_t now);

/**
 * Low level (epoll based) step one: sends any delayed or observe traffic
 * that is now due and works out when the next timed action is needed.
 *
 * @param ctx The context.
 * @param now Current time in ticks.
 *
 * @return Longest time, in milliseconds, the caller may block in
 *         epoll_wait(); @c 0 means no limit.
 */
COAP_API unsigned int coap_io_prepare_epoll(coap_context_t *ctx, coap_tick_t now);

struct epoll_event;

/**
 * Low level (epoll based) step two: handles the events an epoll_wait() on
 * the descriptor from coap_context_get_coap_fd() returned.
 *
 * @param ctx     The context.
 * @param events  Events as returned by epoll_wait().
 * @param nevents Number of entries in @p events.
 */
COAP_API void coap_io_do_epoll(coap_context_t *ctx, struct epoll_event *events,
                               size_t nevents);

/**@}*/

/**
 * Former name of coap_io_process().
 * @deprecated Use coap_io_process().
 */
#define coap_run_once(ctx, timeout_ms) coap_io_process(ctx, timeout_ms)

/**
 * Former name of coap_io_prepare_io().
 * @deprecated Use coap_io_prepare_io().
 */
#define coap_write(ctx, sockets, max_sockets, num_sockets, now) \
  coap_io_prepare_io(ctx, sockets, max_sockets, num_sockets, now)

/**
 * Former name of coap_io_do_io().
 * @deprecated Use coap_io_do_io().
 */
#define coap_read(ctx, now) coap_io_do_io(ctx, now)

/* Retired run-mode names: they now expand to identifiers that do not exist,
 * so old code fails to compile with a message naming the replacement. */
#define COAP_RUN_NONBLOCK COAP_RUN_NONBLOCK_deprecated_use_COAP_IO_NO_WAIT
#define COAP_RUN_BLOCK COAP_RUN_BLOCK_deprecated_use_COAP_IO_WAIT

#ifdef __cplusplus
}
#endif

#endif /* COAP_NET_H_ */
