/* coap_str.h: length-counted string and binary buffer types and their helpers
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_str.h
 * @brief Counted string / binary blob types used throughout the API.
 */

#ifndef COAP_STR_H_
#define COAP_STR_H_

#include <string.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup string Strings and binary data
 * Length-counted strings and binary buffers.
 *
 * The "string" and "binary" flavours share one layout; the name only hints
 * whether the bytes are expected to be printable text or arbitrary data.
 * None of them is guaranteed to be zero terminated.
 * @{
 */

/** Modifiable, length-counted text. */
typedef struct coap_string_t {
  size_t length;    /**< number of bytes in @c s */
  uint8_t *s;       /**< the bytes themselves */
} coap_string_t;

/** Read-only, length-counted text. */
typedef struct coap_str_const_t {
  size_t length;    /**< number of bytes in @c s */
  const uint8_t *s; /**< the bytes themselves (not to be modified) */
} coap_str_const_t;

/**
 * Fills in both members of a string object.
 *
 * @param st Pointer to the string object to fill in.
 * @param l  Length to store.
 * @param v  Data pointer to store.
 */
#define COAP_SET_STR(st,l,v) { (st)->length = (l), (st)->s = (v); }

/** Modifiable, length-counted binary data. */
typedef struct coap_binary_t {
  size_t length;    /**< number of bytes in @c s */
  uint8_t *s;       /**< the bytes themselves */
} coap_binary_t;

/** Read-only, length-counted binary data. */
typedef struct coap_bin_const_t {
  size_t length;    /**< number of bytes in @c s */
  const uint8_t *s; /**< the bytes themselves (not to be modified) */
} coap_bin_const_t;

/** Lets one pointer be viewed as either plain char or unsigned byte data. */
typedef union {
  const char *s_byte;    /**< view as (possibly signed) char data */
  const uint8_t *u_byte; /**< view as unsigned byte data */
} coap_const_char_ptr_t;

/**
 * Allocates a string object whose buffer can hold @p size bytes plus a
 * trailing zero byte. The buffer contents are left for the caller to fill;
 * @c length is set to @p size.
 *
 * @param size Number of data bytes wanted.
 *
 * @return The new object (free it with coap_delete_string()), or @c NULL if
 *         memory could not be obtained.
 */
coap_string_t *coap_new_string(size_t size);

/**
 * Frees a string object obtained from coap_new_string() (or returned by the
 * library as caller-owned). @c NULL is accepted and ignored.
 *
 * @param string The object to free.
 */
void coap_delete_string(coap_string_t *string);

/**
 * Allocates a read-only string object holding a copy of @p data, with a
 * zero byte appended after the copied bytes.
 *
 * @param data Bytes to copy.
 * @param size How many bytes of @p data to copy.
 *
 * @return The new object (free it with coap_delete_str_const()), or @c NULL
 *         on allocation failure.
 */
coap_str_const_t *coap_new_str_const(const uint8_t *data, size_t size);

/**
 * Frees an object obtained from coap_new_str_const(). @c NULL is ignored.
 *
 * @param string The object to free.
 */
void coap_delete_str_const(coap_str_const_t *string);

/**
 * Allocates a binary object with room for @p size bytes. The contents are
 * left uninitialised; @c length is set to @p size.
 *
 * @param size Number of data bytes wanted.
 *
 * @return The new object (free it with coap_delete_binary()), or @c NULL on
 *         allocation failure.
 */
coap_binary_t *coap_new_binary(size_t size);

/**
 * Frees an object obtained from coap_new_binary() or coap_resize_binary().
 * @c NULL is ignored.
 *
 * @param binary The object to free.
 */
void coap_delete_binary(coap_binary_t *binary);

/**
 * Changes the capacity of a binary object to @p new_size bytes, keeping the
 * existing bytes. Any newly added bytes are uninitialised; @c length becomes
 * @p new_size.
 *
 * @param binary   The object to grow or shrink.
 * @param new_size The wanted size in bytes.
 *
 * @return The (possibly moved) object, or @c NULL on failure. On failure the
 *         original @p binary is still owned by the caller and must still be
 *         freed with coap_delete_binary().
 */
coap_binary_t *coap_resize_binary(coap_binary_t *binary, size_t new_size);

/**
 * Allocates a read-only binary object holding a copy of @p data (a zero
 * byte is appended after the copy for convenience).
 *
 * @param data Bytes to copy.
 * @param size How many bytes of @p data to copy.
 *
 * @return The new object (free it with coap_delete_bin_const()), or @c NULL
 *         on allocation failure.
 */
coap_bin_const_t *coap_new_bin_const(const uint8_t *data, size_t size);

/**
 * Frees an object obtained from coap_new_bin_const(). @c NULL is ignored.
 *
 * @param binary The object to free.
 */
void coap_delete_bin_const(coap_bin_const_t *binary);

#ifndef COAP_MAX_STR_CONST_FUNC
/**
 * How many static slots coap_make_str_const() rotates through, i.e. how many
 * of its results may be in use at the same moment (for example two arguments
 * of a single call).
 */
#define COAP_MAX_STR_CONST_FUNC 2
#endif /* COAP_MAX_STR_CONST_FUNC */

/**
 * Wraps a zero-terminated C string in a coap_str_const_t without copying or
 * allocating anything.
 *
 * The result lives in a small static ring of COAP_MAX_STR_CONST_FUNC
 * entries, so it is overwritten after that many further calls; use it
 * immediately (typically as a function argument) and do not keep it.
 *
 * @param string The zero-terminated text to wrap.
 *
 * @return Pointer to a static object describing @p string.
 */
coap_str_const_t *coap_make_str_const(const char *string);

/**
 * Tests two string objects (any of the string / binary types) for equal
 * content.
 *
 * @param string1 Pointer to the first object.
 * @param string2 Pointer to the second object.
 *
 * @return 1 when both have the same length and the same bytes (two empty
 *         objects are equal), else 0.
 */
#define coap_string_equal(string1,string2) \
  ((string1)->length == (string2)->length && ((string1)->length == 0 || \
                                              ((string1)->s && (string2)->s && \
                                               memcmp((string1)->s, (string2)->s, (string1)->length) == 0)))

/**
 * Tests two binary objects for equal content; same rules as
 * coap_string_equal().
 *
 * @param binary1 Pointer to the first object.
 * @param binary2 Pointer to the second object.
 *
 * @return 1 when lengths and bytes match, else 0.
 */
#define coap_binary_equal(binary1,binary2) \
  ((binary1)->length == (binary2)->length && ((binary1)->length == 0 || \
                                              ((binary1)->s && (binary2)->s && \
                                               memcmp((binary1)->s, (binary2)->s, (binary1)->length) == 0)))

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_STR_H_ */
