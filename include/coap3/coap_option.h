/* coap_option.h: raw CoAP option access, option filters, option iterators and option lists
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_option.h
 * @brief Reading, encoding, filtering and collecting CoAP options.
 */

#ifndef COAP_OPTION_H_
#define COAP_OPTION_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A CoAP option number (absolute, not delta encoded). */
typedef uint16_t coap_option_num_t;

/**
 * An encoded option inside a PDU buffer. Options are always handled as
 * plain byte pointers (never through an overlay struct) so that unaligned
 * PDU data is safe to walk on every platform.
 */
typedef uint8_t coap_opt_t;

/** Casts any pointer to a coap_opt_t pointer. */
#define PCHAR(p) ((coap_opt_t *)(p))

/** One option decoded by coap_opt_parse(). */
typedef struct {
  uint16_t delta;       /**< option number delta to the previous option */
  size_t length;        /**< length of the option value in bytes */
  const uint8_t *value; /**< start of the option value */
} coap_option_t;

/**
 * Decodes the option header (delta and length) starting at @p opt.
 *
 * Parsing fails if the header uses reserved delta / length encodings or if
 * the option (header plus value) would extend beyond @p length bytes.
 *
 * @param opt    First byte of the encoded option.
 * @param length Number of bytes available from @p opt onwards.
 * @param result Receives delta, length and value pointer; only meaningful
 *               when the function succeeds.
 *
 * @return Total size of the option (header and value) in bytes, or 0 on
 *         error.
 */
size_t coap_opt_parse(const coap_opt_t *opt,
                      size_t length,
                      coap_option_t *result);

/**
 * Works out how many bytes the encoded option at @p opt occupies (header
 * plus value).
 *
 * @param opt First byte of the encoded option.
 *
 * @return The option's total size, or 0 if it cannot be decoded (a valid
 *         option is never shorter than one byte).
 */
size_t coap_opt_size(const coap_opt_t *opt);

/**
 * @ingroup application_api
 * @defgroup opt_filter Option number sets
 * Bit sets of option numbers, used to select or skip options.
 * @{
 */

/**
 * Number of slots in a filter for option numbers below 256.
 * Together with COAP_OPT_FILTER_LONG it must not exceed 16 (the width of
 * the filter's mask).
 */
#define COAP_OPT_FILTER_SHORT 6

/**
 * Number of slots in a filter for option numbers of 256 and above.
 * Together with COAP_OPT_FILTER_SHORT it must not exceed 16.
 */
#define COAP_OPT_FILTER_LONG  2

/* Compile-time sanity check of the two slot counts above. */
#if (COAP_OPT_FILTER_SHORT + COAP_OPT_FILTER_LONG > 16)
#error "COAP_OPT_FILTER_SHORT plus COAP_OPT_FILTER_LONG may not exceed 16"
#endif

/**
 * A small set of option numbers.
 *
 * Bit i of @c mask tells whether slot i is in use: the low
 * COAP_OPT_FILTER_LONG bits belong to @c long_opts, the following
 * COAP_OPT_FILTER_SHORT bits to @c short_opts.
 */
typedef struct coap_opt_filter_t {
  uint16_t mask;                            /**< slot-in-use bits */
  uint16_t long_opts[COAP_OPT_FILTER_LONG]; /**< option numbers >= 256 */
  uint8_t short_opts[COAP_OPT_FILTER_SHORT]; /**< option numbers < 256 */
} coap_opt_filter_t;

/** Filter value meaning "no filtering": every option is accepted. */
#define COAP_OPT_ALL NULL

/**
 * Empties @p filter.
 *
 * @param filter The filter to reset.
 */
void coap_option_filter_clear(coap_opt_filter_t *filter);

/**
 * Adds option @p number to @p filter.
 *
 * @param filter The filter to modify.
 * @param number Option number to add.
 *
 * @return 1 if the number is (now) in the filter, 0 if no free slot of the
 *         matching kind was left.
 */
int coap_option_filter_set(coap_opt_filter_t *filter, coap_option_num_t number);

/**
 * Removes option @p number from @p filter.
 *
 * @param filter The filter to modify.
 * @param number Option number to remove.
 *
 * @return 1 if the number was present and has been removed, 0 if it was not
 *         in the filter.
 */
int coap_option_filter_unset(coap_opt_filter_t *filter,
                             coap_option_num_t number);

/**
 * Tests whether option @p number is in @p filter.
 *
 * @param filter The filter to look in.
 * @param number Option number to look for.
 *
 * @return 1 if present, 0 if not.
 */
int coap_option_filter_get(coap_opt_filter_t *filter, coap_option_num_t number);

/**
 * State for walking the options of a PDU in order.
 *
 * Set it up with coap_option_iterator_init(), then call coap_option_next()
 * repeatedly until it returns @c NULL:
 *
 * @code
 * coap_opt_iterator_t it;
 * coap_opt_t *o;
 *
 * coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
 * while ((o = coap_option_next(&it)) != NULL) {
 *   // it.number holds the number of option o
 * }
 * @endcode
 */
typedef struct {
  size_t length;                /**< option bytes not yet consumed */
  coap_option_num_t number;     /**< number of the option last returned */
  unsigned int bad:1;           /**< set once the iterator hit an error */
  unsigned int filtered:1;      /**< set if @c filter is applied */
  coap_opt_t *next_option;      /**< where the next option starts */
  coap_opt_filter_t filter;     /**< options to return (if @c filtered) */
} coap_opt_iterator_t;

/**
 * Prepares @p oi to walk the options of @p pdu from the first one.
 *
 * @param pdu    The PDU whose options are to be walked.
 * @param oi     Iterator storage to initialise.
 * @param filter If not COAP_OPT_ALL (@c NULL), only options whose numbers
 *               are in this filter will be returned by coap_option_next().
 *
 * @return @p oi on success, or @c NULL if the PDU has no options or is
 *         unusable.
 */
coap_opt_iterator_t *coap_option_iterator_init(const coap_pdu_t *pdu,
                                               coap_opt_iterator_t *oi,
                                               const coap_opt_filter_t *filter);

/**
 * Advances @p oi to the next (matching) option.
 *
 * On success @c oi->number holds the absolute number of the returned
 * option. Options not in the iterator's filter are skipped.
 *
 * @param oi The iterator to advance.
 *
 * @return The next option, or @c NULL when there are no more options (or on
 *         a parse error, in which case @c oi->bad is set).
 */
coap_opt_t *coap_option_next(coap_opt_iterator_t *oi);

/**
 * Finds the first occurrence of option @p number in @p pdu.
 *
 * @param pdu    The PDU to search.
 * @param number The option number wanted.
 * @param oi     Scratch iterator; it need not be initialised and is set up
 *               by this function (filtered on @p number).
 *
 * @return The first matching option, or @c NULL if @p pdu has none.
 */
coap_opt_t *coap_check_option(const coap_pdu_t *pdu,
                              coap_option_num_t number,
                              coap_opt_iterator_t *oi);

/**
 * Writes an option header (delta and value length, using extended bytes
 * where needed) to @p opt. The value itself is not written.
 *
 * @param opt    Output buffer.
 * @param maxlen Space available in @p opt.
 * @param delta  Option number delta to encode.
 * @param length Option value length to encode.
 *
 * @return Number of header bytes written (the value goes right after them),
 *         or 0 if @p maxlen is too small.
 */
size_t coap_opt_setheader(coap_opt_t *opt,
                          size_t maxlen,
                          uint16_t delta,
                          size_t length);

/**
 * Calculates the encoded size of an option.
 *
 * @param delta  Option number delta.
 * @param length Option value length.
 *
 * @return Bytes needed for header plus value.
 */
size_t coap_opt_encode_size(uint16_t delta, size_t length);

/**
 * Writes a complete option (header and value) to @p opt.
 *
 * @param opt    Output buffer.
 * @param n      Space available in @p opt.
 * @param delta  Option number delta to encode.
 * @param val    Option value to copy.
 * @param length Number of bytes in @p val.
 *
 * @return Number of bytes written, or 0 if @p opt is too small.
 */
size_t coap_opt_encode(coap_opt_t *opt,
                       size_t n,
                       uint16_t delta,
                       const uint8_t *val,
                       size_t length);

/**
 * Reads the value length of the option at @p opt.
 *
 * @param opt An option, e.g. as returned by coap_option_next() or
 *            coap_check_option().
 *
 * @return The value length. 0 is returned both for an empty value and for
 *         an undecodable option, which is harmless when the result is used
 *         to skip over the value.
 */
uint32_t coap_opt_length(const coap_opt_t *opt);

/**
 * Locates the value of the option at @p opt.
 *
 * @param opt An option, e.g. as returned by coap_option_next() or
 *            coap_check_option().
 *
 * @return Pointer to the first value byte, or @c NULL if @p opt cannot be
 *         decoded.
 */
const uint8_t *coap_opt_value(const coap_opt_t *opt);

/**
 * One entry of a singly linked list of options waiting to be put into a
 * PDU. Entries may be inserted in any order; coap_add_optlist_pdu() sorts
 * them by number before encoding.
 *
 * @code
 * coap_optlist_t *chain = NULL;
 * uint8_t buf[4];
 *
 * coap_insert_optlist(&chain,
 *                     coap_new_optlist(COAP_OPTION_OBSERVE,
 *                                      coap_encode_var_safe(buf, sizeof(buf),
 *                                                           COAP_OBSERVE_ESTABLISH),
 *                                      buf));
 * coap_add_optlist_pdu(pdu, &chain);
 * coap_delete_optlist(chain);
 * @endcode
 */
typedef struct coap_optlist_t {
  struct coap_optlist_t *next;  /**< following entry, or @c NULL */
  uint16_t number;              /**< absolute option number */
  size_t length;                /**< number of bytes in @c data */
  uint8_t *data;                /**< private copy of the option value */
} coap_optlist_t;

/**
 * Creates a stand-alone option list entry holding a copy of @p data.
 *
 * Integer option values should be passed in their shortest form (no
 * leading zero bytes), as produced by coap_encode_var_safe() or
 * coap_encode_var_safe8(); longer encodings waste space and may exceed the
 * option's permitted length.
 *
 * @param number Option number (one of the COAP_OPTION_* values).
 * @param length Number of bytes in @p data.
 * @param data   Option value.
 *
 * @return The new entry, or @c NULL on allocation failure.
 */
coap_optlist_t *coap_new_optlist(uint16_t number,
                                 size_t length,
                                 const uint8_t *data);

/**
 * Sorts the entries of @p optlist_chain into ascending option number order
 * and encodes them all into @p pdu. The chain itself is not freed.
 *
 * Must be called after any token has been added and before the payload.
 *
 * @param pdu           PDU to receive the options.
 * @param optlist_chain The option list (may be re-ordered by this call).
 *
 * @return 1 on success, 0 on failure.
 */
int coap_add_optlist_pdu(coap_pdu_t *pdu, coap_optlist_t **optlist_chain);

/**
 * Appends @p optlist to the end of @p optlist_chain. Start with a chain
 * pointer set to @c NULL; release the whole chain with
 * coap_delete_optlist() when done.
 *
 * @param optlist_chain The list to extend.
 * @param optlist       Entry to append (ownership passes to the list).
 *
 * @return 1 on success, 0 on failure.
 */
int coap_insert_optlist(coap_optlist_t **optlist_chain,
                        coap_optlist_t *optlist);

/**
 * Frees every entry of an option list.
 *
 * @param optlist_chain First entry of the list (@c NULL is allowed).
 */
void coap_delete_optlist(coap_optlist_t *optlist_chain);

/** @} */

/**
 * Legacy wrapper that adds @p type to @p filter.
 *
 * @deprecated Call coap_option_filter_set() instead.
 *
 * @param filter The filter to modify.
 * @param type   Option number to add.
 *
 * @return 1 on success, -1 if the filter had no room.
 */
COAP_STATIC_INLINE COAP_DEPRECATED int
coap_option_setb(coap_opt_filter_t *filter, uint16_t type) {
  if (coap_option_filter_set(filter, type))
    return 1;
  return -1;
}

/**
 * Legacy wrapper that removes @p type from @p filter.
 *
 * @deprecated Call coap_option_filter_unset() instead.
 *
 * @param filter The filter to modify.
 * @param type   Option number to remove.
 *
 * @return 1 if it was removed, -1 if it was not in the filter.
 */
COAP_STATIC_INLINE COAP_DEPRECATED int
coap_option_clrb(coap_opt_filter_t *filter, uint16_t type) {
  if (coap_option_filter_unset(filter, type))
    return 1;
  return -1;
}

/**
 * Legacy wrapper that tests whether @p type is in @p filter.
 *
 * @deprecated Call coap_option_filter_get() instead.
 *
 * @param filter The filter to look in.
 * @param type   Option number to look for.
 *
 * @return 1 if present, 0 if not.
 */
COAP_STATIC_INLINE COAP_DEPRECATED int
coap_option_getb(coap_opt_filter_t *filter, uint16_t type) {
  return coap_option_filter_get(filter, type);
}

#ifdef __cplusplus
}
#endif

#endif /* COAP_OPTION_H_ */
