/* coap_cache.h: cache keys derived from PDUs and cache entries stored per context
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_cache.h
 * @brief Cache-Key calculation and Cache-Entry storage (RFC 7252 5.4.2, 5.6).
 */

#ifndef COAP_CACHE_H_
#define COAP_CACHE_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup cache Caching
 * Opaque Cache-Keys (a digest over the cacheable parts of a request) and
 * Cache-Entries (looked up by Cache-Key) that can carry a PDU copy and
 * application data.
 * @{
 */

/**
 * Release function for application data attached to a cache-entry; invoked
 * when the entry is destroyed.
 *
 * @param data The application data pointer that was attached.
 */
typedef void (*coap_cache_app_data_free_callback_t)(void *data);

/** Whether the session takes part in the cache-key / owns the entry. */
typedef enum coap_cache_session_based_t {
  COAP_CACHE_NOT_SESSION_BASED, /**< key is independent of the session */
  COAP_CACHE_IS_SESSION_BASED   /**< session is part of the key; entry dies
                                     with the session */
} coap_cache_session_based_t;

/** Whether a cache-entry keeps its own copy of the PDU. */
typedef enum coap_cache_record_pdu_t {
  COAP_CACHE_NOT_RECORD_PDU, /**< do not keep the PDU */
  COAP_CACHE_RECORD_PDU      /**< keep a copy of the PDU in the entry */
} coap_cache_record_pdu_t;

/**
 * Computes the cache-key of @p pdu: a digest over its cache-relevant options
 * (NoCacheKey options and Observe are skipped, as are the options registered
 * with coap_cache_ignore_options()) plus a FETCH body, and optionally the
 * session.
 *
 * @param session       Session mixed into the key when @p session_based is
 *                      COAP_CACHE_IS_SESSION_BASED.
 * @param pdu           The PDU to compute the key for.
 * @param session_based COAP_CACHE_IS_SESSION_BASED or
 *                      COAP_CACHE_NOT_SESSION_BASED.
 *
 * @return A new key, to be freed with coap_delete_cache_key(), or NULL on
 *         failure.
 */
coap_cache_key_t *coap_cache_derive_key(const coap_session_t *session,
                                        const coap_pdu_t *pdu,
                                        coap_cache_session_based_t session_based);

/**
 * Like coap_cache_derive_key(), but the options to leave out are given by the
 * caller for this call only instead of the context-wide list.
 *
 * @param session        Session mixed into the key when @p session_based is
 *                       COAP_CACHE_IS_SESSION_BASED.
 * @param pdu            The PDU to compute the key for.
 * @param session_based  COAP_CACHE_IS_SESSION_BASED or
 *                       COAP_CACHE_NOT_SESSION_BASED.
 * @param ignore_options Option numbers to exclude from the key.
 * @param ignore_count   Number of entries in @p ignore_options.
 *
 * @return A new key, to be freed with coap_delete_cache_key(), or NULL on
 *         failure.
 */
coap_cache_key_t *coap_cache_derive_key_w_ignore(const coap_session_t *session,
                                                 const coap_pdu_t *pdu,
                                                 coap_cache_session_based_t session_based,
                                                 const uint16_t *ignore_options,
                                                 size_t ignore_count);

/**
 * Frees a key obtained from coap_cache_derive_key() or
 * coap_cache_derive_key_w_ignore().
 *
 * @param cache_key The key to free.
 */
void coap_delete_cache_key(coap_cache_key_t *cache_key);

/**
 * Registers, for @p context, the option numbers that coap_cache_derive_key()
 * must leave out of keys (e.g. Block1/Block2 for a client or server). Observe
 * and NoCacheKey options are left out regardless.
 *
 * @param context The context the list is stored in.
 * @param options Array of option numbers.
 * @param count   Number of entries in @p options; 0 clears the list.
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_cache_ignore_options(coap_context_t *context,
                                       const uint16_t *options, size_t count);

/**
 * Creates a cache-entry, keyed by the cache-key of @p pdu, in the hash table
 * of the session's context.
 *
 * @param session       Session the context is taken from (and that owns the
 *                      entry if it is session based).
 * @param pdu           The PDU the key is derived from.
 * @param record_pdu    COAP_CACHE_RECORD_PDU to keep a copy of @p pdu in the
 *                      entry (freed with it), else COAP_CACHE_NOT_RECORD_PDU.
 * @param session_based COAP_CACHE_IS_SESSION_BASED to tie the entry to
 *                      @p session (deleted when the session goes), else
 *                      COAP_CACHE_NOT_SESSION_BASED.
 * @param idle_time     Seconds of disuse after which the entry expires;
 *                      0 means never.
 *
 * @return The new entry, or NULL on failure.
 */
COAP_API coap_cache_entry_t *coap_new_cache_entry(coap_session_t *session,
                                                  const coap_pdu_t *pdu,
                                                  coap_cache_record_pdu_t record_pdu,
                                                  coap_cache_session_based_t session_based,
                                                  unsigned int idle_time);

/**
 * Unlinks @p cache_entry from the hash table of @p context and frees it,
 * including its key and recorded PDU. Attached application data is only
 * released through its free callback, if one was given.
 *
 * @param context     The context that holds the entry.
 * @param cache_entry The entry to delete.
 */
void coap_delete_cache_entry(coap_context_t *context,
                             coap_cache_entry_t *cache_entry);

/**
 * Looks up the cache-entry stored under @p cache_key.
 *
 * @param context   The context to search.
 * @param cache_key The key to look for.
 *
 * @return The matching entry, or NULL if there is none.
 */
COAP_API coap_cache_entry_t *coap_cache_get_by_key(coap_context_t *context,
                                                   const coap_cache_key_t *cache_key);

/**
 * Derives the cache-key of @p pdu (see coap_cache_derive_key()) and looks up
 * the matching cache-entry.
 *
 * @param session       The session (and through it the context) to use.
 * @param pdu           The request to look up.
 * @param session_based COAP_CACHE_IS_SESSION_BASED or
 *                      COAP_CACHE_NOT_SESSION_BASED, as for the key.
 *
 * @return The matching entry, or NULL if there is none.
 */
COAP_API coap_cache_entry_t *coap_cache_get_by_pdu(coap_session_t *session,
                                                   const coap_pdu_t *pdu,
                                                   coap_cache_session_based_t session_based);

/**
 * Gives the PDU copy kept in @p cache_entry. To send it, duplicate it first
 * (coap_pdu_duplicate()).
 *
 * @param cache_entry The cache-entry.
 *
 * @return The recorded PDU, or NULL if the entry was created without
 *         COAP_CACHE_RECORD_PDU.
 */
const coap_pdu_t *coap_cache_get_pdu(const coap_cache_entry_t *cache_entry);

/**
 * Attaches application data to @p cache_entry, replacing any earlier pointer
 * (the earlier data itself is not freed).
 *
 * @param cache_entry The cache-entry.
 * @param data        Pointer to store; must stay valid while the entry exists.
 * @param callback    Called with @p data when the entry is deleted, or NULL.
 */
void coap_cache_set_app_data(coap_cache_entry_t *cache_entry, void *data,
                             coap_cache_app_data_free_callback_t callback);

/**
 * Gives the application data attached with coap_cache_set_app_data().
 *
 * @param cache_entry The cache-entry.
 *
 * @return The stored pointer, or NULL if none was set.
 */
void *coap_cache_get_app_data(const coap_cache_entry_t *cache_entry);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_CACHE_H_ */
