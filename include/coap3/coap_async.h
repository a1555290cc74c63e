/* coap_async.h: delayed ("separate") responses to requests
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_async.h
 * @brief Bookkeeping for requests whose response is produced later.
 */

#ifndef COAP_ASYNC_H_
#define COAP_ASYNC_H_

#include "coap_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup coap_async Asynchronous Messaging
 * @{
 * Support for separate responses (RFC 7252, section 5.2.2): a server can
 * park a request, acknowledge it, and have the request handler run again
 * later, when the answer is ready. Each pending request is a coap_async_t
 * kept by the context.
 */

/**
 * Parks @p request so that a copy of it is handed to the matching request
 * handler again once @p delay has elapsed.
 *
 * Registration fails if an entry with the same token already exists for
 * the session.
 *
 * @param session Session the request arrived on (and the response goes out on).
 * @param request The request to answer later.
 * @param delay   Ticks to wait before re-running the handler; @c 0 waits
 *                until coap_async_trigger() or coap_async_set_delay() is used.
 *
 * @return The new coap_async_t, or @c NULL on failure (including duplicates).
 */
COAP_API coap_async_t *coap_register_async(coap_session_t *session,
                                           const coap_pdu_t *request,
                                           coap_tick_t delay);

/**
 * Changes how long a pending @p async waits before the request handler is
 * called again with a copy of the parked request.
 *
 * @param async The pending entry to modify.
 * @param delay New wait in ticks, counted from now; @c 0 means wait
 *              indefinitely.
 */
COAP_API void coap_async_set_delay(coap_async_t *async, coap_tick_t delay);

/**
 * Makes a pending @p async due at once, so the request handler is invoked
 * with the parked request as soon as the I/O loop runs.
 *
 * @param async The pending entry to fire.
 */
COAP_API void coap_async_trigger(coap_async_t *async);

/**
 * Removes @p async from @p session and releases everything it holds.
 *
 * @param session Session the entry belongs to.
 * @param async   Entry obtained from coap_register_async().
 */
COAP_API void coap_free_async(coap_session_t *session, coap_async_t *async);

/**
 * Looks up the pending entry of @p session whose request used @p token.
 *
 * @param session Session to search.
 * @param token   Token of the parked request.
 *
 * @return The matching entry, or @c NULL if there is none.
 */
COAP_API coap_async_t *coap_find_async(coap_session_t *session, coap_bin_const_t token);

/**
 * Attaches an application pointer to @p async, replacing any earlier one.
 * The library never frees it; that is up to the application.
 *
 * @param async    The pending entry.
 * @param app_data Pointer to store.
 */
void coap_async_set_app_data(coap_async_t *async, void *app_data);

/**
 * Returns the application pointer stored in @p async.
 *
 * @param async The pending entry.
 *
 * @return The pointer set with coap_async_set_app_data(), or @c NULL.
 */
void *coap_async_get_app_data(const coap_async_t *async);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_ASYNC_H_ */
