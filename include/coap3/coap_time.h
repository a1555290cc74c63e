/* coap_time.h: internal clock ticks and conversions to wall-clock time
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_time.h
 * @brief Clock handling.
 */

#ifndef COAP_TIME_H_
#define COAP_TIME_H_

#include <stdint.h>
#include <time.h>

#include "libcoap.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup clock Clock
 * Access to the library's monotonic tick counter.
 * @{
 */

/** Internal clock value, counted in units of 1/COAP_TICKS_PER_SECOND
 *  seconds. */
typedef uint64_t coap_tick_t;

/** Wall-clock time in seconds since the epoch. */
typedef time_t coap_time_t;

/** Signed distance between two coap_tick_t values; same width as
 *  coap_tick_t so that wrap-around compares correctly. */
typedef int64_t coap_tick_diff_t;

/** Tick rate: ticks are milliseconds. */
#define COAP_TICKS_PER_SECOND ((coap_tick_t)(1000U))

/**
 * Sets up the internal clock (records its starting point).
 */
void coap_clock_init(void);

/**
 * Reads the internal clock.
 *
 * @param t Receives the current time in ticks.
 */
void coap_ticks(coap_tick_t *t);

/**
 * Converts a tick value into wall-clock time.
 *
 * @param t A tick value.
 *
 * @return Seconds since the epoch corresponding to @p t.
 */
coap_time_t coap_ticks_to_rt(coap_tick_t t);

/**
 * Converts a tick value into wall-clock time with microsecond resolution.
 *
 * @param t A tick value.
 *
 * @return Microseconds since the epoch corresponding to @p t.
 */
uint64_t coap_ticks_to_rt_us(coap_tick_t t);

/**
 * Converts wall-clock time in microseconds since the epoch into ticks.
 *
 * @param t Microseconds since the epoch.
 *
 * @return The corresponding tick value.
 */
coap_tick_t coap_ticks_from_rt_us(uint64_t t);

/**
 * Wrap-safe "earlier than" test on tick values.
 *
 * @return 1 if @p a lies before @p b (their signed difference is negative),
 *         0 otherwise.
 */
COAP_STATIC_INLINE int
coap_time_lt(coap_tick_t a, coap_tick_t b) {
  return (coap_tick_diff_t)(a - b) < 0;
}

/**
 * Wrap-safe "earlier than or same time" test on tick values.
 *
 * @return 1 if @p a equals @p b or lies before it, 0 otherwise.
 */
COAP_STATIC_INLINE int
coap_time_le(coap_tick_t a, coap_tick_t b) {
  return a == b || coap_time_lt(a, b);
}

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_TIME_H_ */
