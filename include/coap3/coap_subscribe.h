/* coap_subscribe.h: server side observe (RFC 7641) and persistence of observe state
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_subscribe.h
 * @brief Observable resources, notification triggering and keeping
 *        subscriptions alive across server restarts.
 */

#ifndef COAP_SUBSCRIBE_H_
#define COAP_SUBSCRIBE_H_

#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_io.h"
#include "coap_pdu.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup observe Resource Observation
 * Observing resources (RFC 7641).
 * @{
 */

/**
 * Observe option value in a GET/FETCH request asking to register the
 * sender (address and token) as an observer.
 */
#define COAP_OBSERVE_ESTABLISH 0

/**
 * Observe option value in a GET/FETCH request asking to end the
 * sender's (address and token) observation.
 */
#define COAP_OBSERVE_CANCEL 1

/**
 * Makes @p resource observable or not. For an observable resource, clients
 * that sent an Observe option get a notification every time the resource
 * is reported as changed with coap_resource_notify_observers().
 *
 * @param resource The resource.
 * @param mode     @c 1 to allow observation, @c 0 to disallow it.
 */
void coap_resource_set_get_observable(coap_resource_t *resource, int mode);

/**
 * Reports that @p resource has changed, so that its observers are sent a
 * notification.
 *
 * @param resource The changed resource.
 * @param query    Obsolete and ignored: every observer is notified.
 *
 * @return @c 1 if notifications were scheduled, @c 0 if the resource is not
 *         observable or has no observers.
 */
COAP_API int coap_resource_notify_observers(coap_resource_t *resource,
                                            const coap_string_t *query);

/**
 * Sends the pending notifications of every resource of @p context that has
 * been marked as changed.
 *
 * @param context The context to scan.
 */
COAP_API void coap_check_notify(coap_context_t *context);

/**
 * Persistence callback: a new observation has been registered.
 *
 * @param session       Session of the observer.
 * @param observe_key   Handle of the new subscription.
 * @param e_proto       Protocol of the session / endpoint.
 * @param e_listen_addr Address and port the endpoint listens on.
 * @param s_addr_info   Local and remote addresses of the session.
 * @param raw_packet    The observe request exactly as received (several
 *                      packets joined together for a Block1 FETCH).
 * @param oscore_info   OSCORE details if the session is OSCORE protected,
 *                      else @c NULL.
 * @param user_data     Pointer given to coap_persist_track_funcs().
 *
 * @return @c 1 on success, @c 0 on failure.
 */
typedef int (*coap_observe_added_t)(coap_session_t *session,
                                    coap_subscription_t *observe_key,
                                    coap_proto_t e_proto,
                                    coap_address_t *e_listen_addr,
                                    coap_addr_tuple_t *s_addr_info,
                                    coap_bin_const_t *raw_packet,
                                    coap_bin_const_t *oscore_info,
                                    void *user_data);

/**
 * Persistence callback: an observation is being removed.
 *
 * @param session     Session of the observer.
 * @param observe_key Handle of the subscription going away.
 * @param user_data   Pointer given to coap_persist_track_funcs().
 *
 * @return @c 1 on success, @c 0 on failure.
 */
typedef int (*coap_observe_deleted_t)(coap_session_t *session,
                                      coap_subscription_t *observe_key,
                                      void *user_data);

/**
 * Persistence callback: the observe sequence number of a resource has
 * advanced. Called only once every @c save_freq notifications (see
 * coap_persist_track_funcs()).
 *
 * @param context       The context.
 * @param resource_name URI path of the resource.
 * @param observe_num   Observe value of the notification just sent.
 * @param user_data     Pointer given to coap_persist_track_funcs().
 *
 * @return @c 1 on success, @c 0 on failure.
 */
typedef int (*coap_track_observe_value_t)(coap_context_t *context,
                                          coap_str_const_t *resource_name,
                                          uint32_t observe_num,
                                          void *user_data);

/**
 * Persistence callback: a resource has been created on the fly through the
 * unknown resource handler.
 *
 * @param session       Session whose request created it.
 * @param resource_name URI path of the new resource.
 * @param raw_packet    The creating request exactly as received (several
 *                      packets joined together for Block1 PUT/POST/FETCH).
 * @param user_data     Pointer given to coap_persist_track_funcs().
 *
 * @return @c 1 on success, @c 0 on failure.
 */
typedef int (*coap_dyn_resource_added_t)(coap_session_t *session,
                                         coap_str_const_t *resource_name,
                                         coap_bin_const_t *raw_packet,
                                         void *user_data);

/**
 * Persistence callback: a resource has been deleted; any stored dynamic
 * resource entry and observe number for it should be dropped.
 *
 * @param context       The context.
 * @param resource_name URI path of the deleted resource.
 * @param user_data     Pointer given to coap_persist_track_funcs().
 *
 * @return @c 1 on success, @c 0 on failure.
 */
typedef int (*coap_resource_deleted_t)(coap_context_t *context,
                                       coap_str_const_t *resource_name,
                                       void *user_data);

/**
 * Installs application callbacks that record observe and dynamic resource
 * state, so that a restarted server can carry on serving existing
 * observers. Any callback may be @c NULL.
 *
 * @param context             The context.
 * @param observe_added       Told about each new observation.
 * @param observe_deleted     Told about each ended observation.
 * @param track_observe_value Told the current observe number every
 *                            @p save_freq notifications.
 * @param dyn_resource_added  Told about resources created through the
 *                            unknown resource handler.
 * @param resource_deleted    Told about deleted resources.
 * @param save_freq           How many observe number changes between calls
 *                            of @p track_observe_value.
 * @param user_data           Application pointer handed to every callback
 *                            (may be @c NULL).
 */
void coap_persist_track_funcs(coap_context_t *context,
                              coap_observe_added_t observe_added,
                              coap_observe_deleted_t observe_deleted,
                              coap_track_observe_value_t track_observe_value,
                              coap_dyn_resource_added_t dyn_resource_added,
                              coap_resource_deleted_t resource_deleted,
                              uint32_t save_freq,
                              void *user_data);

/**
 * Re-creates, after a server restart, an observation that existed before
 * (the arguments are those recorded by a coap_observe_added_t callback).
 * Only UDP is supported.
 *
 * @param context       Context to add the session and subscription to.
 * @param e_proto       Protocol of the original session / endpoint.
 * @param e_listen_addr Address and port the endpoint listened on.
 * @param s_addr_info   Local and remote addresses of the original session.
 * @param raw_packet    The original observe request as received.
 * @param oscore_info   OSCORE details of the original session, or @c NULL.
 *
 * @return The restored subscription, or @c NULL on failure.
 */
COAP_API coap_subscription_t *coap_persist_observe_add(coap_context_t *context,
                                                       coap_proto_t e_proto,
                                                       const coap_address_t *e_listen_addr,
                                                       const coap_addr_tuple_t *s_addr_info,
                                                       const coap_bin_const_t *raw_packet,
                                                       const coap_bin_const_t *oscore_info);

/**
 * Turns on the library's built-in file based persistence. State already
 * saved in the given files is loaded back first.
 *
 * @param context                The context.
 * @param dyn_resource_save_file File for dynamically created resources, or
 *                               @c NULL not to track them.
 * @param observe_save_file      File for active observations, or @c NULL.
 * @param obs_cnt_save_file      File for per-resource observe numbers, or
 *                               @c NULL.
 * @param save_freq              How many observe number changes between
 *                               writes of @p obs_cnt_save_file.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
COAP_API int coap_persist_startup(coap_context_t *context,
                                  const char *dyn_resource_save_file,
                                  const char *observe_save_file,
                                  const char *obs_cnt_save_file,
                                  uint32_t save_freq);

/**
 * Ends persistence tracking for @p context while keeping what has been
 * saved, so coap_free_context() can follow without the shutdown erasing
 * state. With coap_persist_track_funcs() callbacks, this disables them and
 * stops 4.04 notifications going to observers when resources are deleted
 * during the following coap_free_context().
 *
 * @param context The context.
 */
COAP_API void coap_persist_stop(coap_context_t *context);

/**
 * Sets the observe sequence number of @p resource (e.g. to a value saved
 * before a restart).
 *
 * @param resource    The resource.
 * @param observe_num New observe number.
 */
void coap_persist_set_observe_num(coap_resource_t *resource,
                                  uint32_t observe_num);

/**
 * Client side: ends an observation that the large body (block mode,
 * see coap_context_set_block_mode()) receive logic is tracking, by sending
 * an observe cancellation request to the server.
 *
 * @param session      Session the observation runs on.
 * @param token        Token of the request that started the observation.
 * @param message_type Send the cancellation as COAP_MESSAGE_CON or
 *                     COAP_MESSAGE_NON.
 *
 * @return @c 1 if the cancellation was sent off, @c 0 otherwise.
 */
COAP_API int coap_cancel_observe(coap_session_t *session, coap_binary_t *token,
                                 coap_pdu_type_t message_type);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_SUBSCRIBE_H_ */
