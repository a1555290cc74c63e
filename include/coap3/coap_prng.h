/* coap_prng.h: pseudo random number generation used by the library
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_prng.h
 * @brief Pseudo random numbers.
 */

#ifndef COAP_PRNG_H_
#define COAP_PRNG_H_

#include <stddef.h>

#include "libcoap.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup coap_prng Random numbers
 * Source of random bytes for tokens, message IDs and the like.
 * @{
 */

/**
 * Signature of a random byte generator.
 *
 * @param out Buffer to fill.
 * @param len Size of @p out in bytes; all of it must be filled.
 *
 * @return 1 if @p len bytes were written, 0 otherwise.
 */
typedef int (*coap_rand_func_t)(void *out, size_t len);

/**
 * Installs @p rng as the generator used by coap_prng() from now on.
 *
 * @param rng The generator to use.
 */
void coap_set_prng(coap_rand_func_t rng);

/**
 * Seeds the built-in generator. Has no effect where the built-in generator
 * draws from getrandom().
 *
 * @param seed The seed value.
 */
COAP_API void coap_prng_init(unsigned int seed);

/**
 * Writes @p len bytes of randomness into @p buf, taken from the current
 * generator (the built-in one, or the one set with coap_set_prng()).
 *
 * @param buf Buffer to fill.
 * @param len Number of bytes wanted.
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_prng(void *buf, size_t len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_PRNG_H_ */
