/* coap_encode.h: variable-length unsigned integer encoding used by CoAP option values
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_encode.h
 * @brief Encoding / decoding of CoAP "uint" option values.
 */

#ifndef COAP_ENCODE_H_
#define COAP_ENCODE_H_

/* BSD-derived systems (which define BSD) get <string.h> here; all others,
 * Linux included, get <strings.h>. */
#if (BSD >= 199103)
# include <string.h>
#else
# include <strings.h>
#endif

#include <stdint.h>

#include "libcoap.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HAVE_FLS
/**
 * Library fallback for fls(): position of the most significant set bit of
 * @p i, counting the least significant bit as 1.
 *
 * @return 1..32 for a non-zero @p i, 0 when @p i is 0.
 */
extern int coap_fls(unsigned int i);
#else
#define coap_fls(i) fls(i)
#endif

#ifndef HAVE_FLSLL
/**
 * Library fallback for flsll(): position of the most significant set bit
 * of @p i, counting the least significant bit as 1.
 *
 * @return 1..64 for a non-zero @p i, 0 when @p i is 0.
 */
extern int coap_flsll(long long i);
#else
#define coap_flsll(i) flsll(i)
#endif

/**
 * @ingroup application_api
 * @defgroup encode Integer value coding
 * Conversion between host integers and the minimal-length big-endian form
 * that CoAP uses for "uint" option values.
 * @{
 */

/**
 * Converts a big-endian option value of up to 4 bytes to an integer.
 *
 * @param buf    First byte of the encoded value.
 * @param length Number of bytes in @p buf (0 yields 0).
 *
 * @return The decoded number.
 */
unsigned int coap_decode_var_bytes(const uint8_t *buf, size_t length);

/**
 * Converts a big-endian option value of up to 8 bytes to an integer.
 *
 * @param buf    First byte of the encoded value.
 * @param length Number of bytes in @p buf (0 yields 0).
 *
 * @return The decoded number.
 */
uint64_t coap_decode_var_bytes8(const uint8_t *buf, size_t length);

/**
 * Writes @p value to @p buf in the shortest big-endian form, i.e. without
 * leading zero bytes. Zero is encoded as an empty (0 byte) value.
 *
 * @param buf    Output buffer.
 * @param length Size of @p buf; up to 4 bytes may be needed.
 * @param value  The number to encode.
 *
 * @return Count of bytes written. 0 is returned both for @p value 0 and
 *         when @p buf is too small.
 */
unsigned int coap_encode_var_safe(uint8_t *buf,
                                  size_t length,
                                  unsigned int value);

/**
 * 64-bit variant of coap_encode_var_safe().
 *
 * @param buf    Output buffer.
 * @param length Size of @p buf; up to 8 bytes may be needed.
 * @param value  The number to encode.
 *
 * @return Count of bytes written. 0 is returned both for @p value 0 and
 *         when @p buf is too small.
 */
unsigned int coap_encode_var_safe8(uint8_t *buf,
                                   size_t length,
                                   uint64_t value);

/** @} */

/**
 * Old form of coap_encode_var_safe() that takes no buffer size and simply
 * assumes @p buf has room for sizeof(unsigned int) bytes. A smaller buffer
 * can be overrun without any run-time detection.
 *
 * @deprecated Call coap_encode_var_safe() with the real buffer size.
 *
 * @param buf   Output buffer of at least sizeof(unsigned int) bytes.
 * @param value The number to encode.
 *
 * @return Count of bytes written (0 for a value of 0).
 */
COAP_STATIC_INLINE COAP_DEPRECATED int
coap_encode_var_bytes(uint8_t *buf, unsigned int value) {
  unsigned int used = coap_encode_var_safe(buf, sizeof(value), value);
  return (int)used;
}

#ifdef __cplusplus
}
#endif

#endif /* COAP_ENCODE_H_ */
