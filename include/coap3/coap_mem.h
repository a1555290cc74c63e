/* coap_mem.h: typed memory allocation used by the library and its helpers
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_mem.h
 * @brief Typed memory allocation.
 */

#ifndef COAP_MEM_H_
#define COAP_MEM_H_

#include "coap_oscore.h"
#include "coap_proxy.h"
#include <stdlib.h>

#include "libcoap.h"
#include "coap_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Prepares the memory allocator. Call once before the first
 * coap_malloc_type(); on POSIX systems there is nothing to set up.
 */
void coap_memory_init(void);

/**
 * Kind of object a block of memory is requested for. The tag lets
 * constrained builds serve each kind from its own fixed-size pool, and lets
 * memory usage be accounted per kind.
 */
typedef enum {
  COAP_STRING,
  COAP_ATTRIBUTE_NAME,
  COAP_ATTRIBUTE_VALUE,
  COAP_PACKET,
  COAP_NODE,
  COAP_CONTEXT,
  COAP_ENDPOINT,
  COAP_PDU,
  COAP_PDU_BUF,
  COAP_RESOURCE,
  COAP_RESOURCEATTR,
  COAP_DTLS_SESSION,
  COAP_SESSION,
  COAP_OPTLIST,
  COAP_CACHE_KEY,
  COAP_CACHE_ENTRY,
  COAP_LG_XMIT,
  COAP_LG_CRCV,
  COAP_LG_SRCV,
  COAP_DIGEST_CTX,
  COAP_SUBSCRIPTION,
  COAP_DTLS_CONTEXT,
  COAP_OSCORE_COM,
  COAP_OSCORE_SEN,
  COAP_OSCORE_REC,
  COAP_OSCORE_EX,
  COAP_OSCORE_EP,
  COAP_OSCORE_BUF,
  COAP_COSE,
  COAP_MEM_TAG_LAST /**< number of tags; not a valid tag itself */
} coap_memory_tag_t;

/**
 * Allocates @p size bytes for an object of kind @p type. Release the block
 * with coap_free_type() using the same @p type.
 *
 * @param type Tag describing what the block will hold.
 * @param size Number of bytes wanted.
 *
 * @return The new block, or NULL if it could not be allocated.
 */
void *coap_malloc_type(coap_memory_tag_t type, size_t size);

/**
 * Resizes block @p p (from coap_malloc_type() or coap_realloc_type()) to
 * @p size bytes. Only meaningful for COAP_STRING blocks. On failure NULL is
 * returned and @p p stays allocated, so the caller must still free it.
 *
 * @param type Tag that @p p was allocated with.
 * @param p    The block to resize.
 * @param size New size in bytes.
 *
 * @return The resized block, or NULL on failure.
 */
void *coap_realloc_type(coap_memory_tag_t type, void *p, size_t size);

/**
 * Frees a block obtained from coap_malloc_type(). @p type must equal the tag
 * given at allocation time.
 *
 * @param type Kind of object the block holds.
 * @param p    The block to free.
 */
void coap_free_type(coap_memory_tag_t type, void *p);

/**
 * Logs the number of blocks currently allocated per memory tag. Counting is
 * only done when the library was built with COAP_MEMORY_TYPE_TRACK set to 1.
 *
 * @param log_level Level the counts are logged at.
 */
void coap_dump_memory_type_counts(coap_log_t log_level);

/**
 * Legacy helper: allocates @p size bytes tagged as COAP_STRING.
 *
 * @param size Number of bytes wanted.
 *
 * @return The new block, or NULL on failure. Free it with coap_free().
 */
COAP_STATIC_INLINE void *
coap_malloc(size_t size) {
  return coap_malloc_type(COAP_STRING, size);
}

/**
 * Legacy helper: frees a block from coap_malloc() (tag COAP_STRING).
 *
 * @param object The block to free.
 */
COAP_STATIC_INLINE void
coap_free(void *object) {
  coap_free_type(COAP_STRING, object);
}

#ifdef __cplusplus
}
#endif

#endif /* COAP_MEM_H_ */
