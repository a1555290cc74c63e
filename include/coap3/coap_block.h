/* coap_block.h: block-wise transfer (RFC 7959, RFC 9177, BERT) types, flags and functions
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_block.h
 * @brief Splitting large bodies into blocks and putting them back together.
 */

#ifndef COAP_BLOCK_H_
#define COAP_BLOCK_H_

#include "coap_encode.h"
#include "coap_option.h"
#include "coap_pdu.h"

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup block Block-wise transfers
 * Sending and receiving bodies that do not fit into one PDU, using the
 * Block1 / Block2 (RFC 7959) and Q-Block1 / Q-Block2 (RFC 9177) options.
 * @{
 */

#ifndef COAP_MAX_BLOCK_SZX
/**
 * Largest SZX exponent used for a Block option; blocks are
 * 1 << (SZX + 4) bytes, so 6 means 1024 bytes.
 */
#define COAP_MAX_BLOCK_SZX      6
#endif /* COAP_MAX_BLOCK_SZX */

/** Decoded content of a Block1 / Block2 option. */
typedef struct {
  unsigned int num;       /**< block number (NUM) */
  unsigned int m:1;       /**< M flag: 1 if further blocks follow */
  unsigned int szx:3;     /**< size exponent: block size is 1 << (szx + 4) */
} coap_block_t;

/** Decoded content of a Block option, including BERT information. */
typedef struct {
  unsigned int num;       /**< block number (NUM) */
  unsigned int m:1;       /**< M flag: 1 if further blocks follow */
  unsigned int szx:3;     /**< size exponent as usable for size (0..6) */
  unsigned int aszx:3;    /**< size exponent as sent (0..7, 7 means BERT) */
  unsigned int defined:1; /**< 1 if the option was present */
  unsigned int bert:1;    /**< 1 if BERT (RFC 8323) is in use */
  uint32_t chunk_size;    /**< payload bytes per block; above 1024 for BERT */
} coap_block_b_t;

/* Flags for coap_context_set_block_mode(); combine with '|'.
 * (cl) = affects clients only, (svr) = affects servers only. */
#define COAP_BLOCK_USE_LIBCOAP  0x01 /* library drives block-wise transfers */
#define COAP_BLOCK_SINGLE_BODY  0x02 /* hand over only the fully assembled body */
#define COAP_BLOCK_TRY_Q_BLOCK   0x04 /* use Q-Block options if the peer supports them */
#define COAP_BLOCK_USE_M_Q_BLOCK 0x08 /* request missing Q-Block2 blocks via the M bit */
#define COAP_BLOCK_NO_PREEMPTIVE_RTAG 0x10 /* (cl) only send Request-Tag when really needed */
#define COAP_BLOCK_STLESS_FETCH  0x20 /* (cl) server handles FETCH + Block2 statelessly */
#define COAP_BLOCK_STLESS_BLOCK2 0x40 /* (svr) keep no state between Block2 responses */
#define COAP_BLOCK_NOT_RANDOM_BLOCK1 0x80 /* (svr) reject out-of-order Block1 */
/* Bits 0xff000000 are taken by internal flags; new flags must stay clear
 * of them. */

/**
 * Pointer to the last byte of the value of Block option @p opt (the byte
 * holding M and SZX), or 0 if the value is empty.
 */
#define COAP_OPT_BLOCK_LAST(opt) \
  (coap_opt_length(opt) ? (coap_opt_value(opt) + (coap_opt_length(opt)-1)) : 0)

/** The last value byte of Block option @p opt, or 0 for an empty value. */
#define COAP_OPT_BLOCK_END_BYTE(opt) \
  ((coap_opt_length(opt) && coap_opt_value(opt)) ? \
   *(coap_opt_value(opt) + (coap_opt_length(opt)-1)) : 0)

/** The M bit of Block option @p opt (non-zero if set). */
#define COAP_OPT_BLOCK_MORE(opt) \
  (coap_opt_length(opt) ? (COAP_OPT_BLOCK_END_BYTE(opt) & 0x08) : 0)

/** The SZX field of Block option @p opt. */
#define COAP_OPT_BLOCK_SZX(opt)  \
  (coap_opt_length(opt) ? (COAP_OPT_BLOCK_END_BYTE(opt) & 0x07) : 0)

/**
 * Extracts the block number (NUM) from the Block option at @p block_opt.
 *
 * @param block_opt A Block1 / Block2 option.
 *
 * @return The block number (0 for an empty value).
 */
unsigned int coap_opt_block_num(const coap_opt_t *block_opt);

/**
 * Tells whether a body of @p data_len bytes extends beyond block @p num
 * for blocks of 1 << (@p szx + 4) bytes.
 *
 * @param data_len Size of the whole body.
 * @param num      Current block number.
 * @param szx      Block size exponent.
 *
 * @return Non-zero if more blocks than block @p num are needed.
 */
COAP_STATIC_INLINE int
coap_more_blocks(size_t data_len, unsigned int num, uint16_t szx) {
  unsigned int end_of_block = (num + 1) << (szx + 4);
  return end_of_block < data_len;
}

/**
 * Reads the Block option @p number from @p pdu into @p block.
 *
 * @param pdu    The PDU to look in.
 * @param number COAP_OPTION_BLOCK1 or COAP_OPTION_BLOCK2.
 * @param block  Receives the decoded values.
 *
 * @return 1 if the option was found and decoded, 0 otherwise.
 */
int coap_get_block(const coap_pdu_t *pdu, coap_option_num_t number,
                   coap_block_t *block);

/**
 * Reads the Block option @p number from @p pdu into @p block, taking BERT
 * into account for sessions on reliable transports.
 *
 * @param session The session @p pdu belongs to.
 * @param pdu     The PDU to look in.
 * @param number  COAP_OPTION_BLOCK1 or COAP_OPTION_BLOCK2.
 * @param block   Receives the decoded values.
 *
 * @return 1 if the option was found and decoded, 0 otherwise.
 */
int coap_get_block_b(const coap_session_t *session, const coap_pdu_t *pdu,
                     coap_option_num_t number, coap_block_b_t *block);

/**
 * Adds a Block option to @p pdu describing @p block. If the block does not
 * fit into the space left in @p pdu, the block size is reduced (and
 * @p block updated accordingly), unless the remaining data is small
 * enough anyway. Add no further options afterwards.
 *
 * @param block       In: the wanted block; out: the block actually used.
 * @param number      COAP_OPTION_BLOCK1 or COAP_OPTION_BLOCK2.
 * @param pdu         The PDU to add the option to.
 * @param data_length Size of the whole body the block is taken from.
 *
 * @return 1 on success, a negative value on error.
 */
int coap_write_block_opt(coap_block_t *block,
                         coap_option_num_t number,
                         coap_pdu_t *pdu,
                         size_t data_length);

/**
 * BERT-aware version of coap_write_block_opt().
 *
 * @param session     The session @p pdu will be sent on.
 * @param block       In: the wanted block; out: the block actually used.
 * @param number      COAP_OPTION_BLOCK1 or COAP_OPTION_BLOCK2.
 * @param pdu         The PDU to add the option to.
 * @param data_length Size of the whole body the block is taken from.
 *
 * @return 1 on success, a negative value on error.
 */
int coap_write_block_b_opt(coap_session_t *session,
                           coap_block_b_t *block,
                           coap_option_num_t number,
                           coap_pdu_t *pdu,
                           size_t data_length);

/**
 * Copies block number @p block_num (of size 1 << (@p block_szx + 4)) of the
 * body @p data into the payload of @p pdu.
 *
 * @param pdu       The PDU to fill.
 * @param len       Size of the whole body @p data.
 * @param data      The whole body.
 * @param block_num Which block to copy.
 * @param block_szx Block size exponent.
 *
 * @return 1 on success, 0 on failure.
 */
int coap_add_block(coap_pdu_t *pdu,
                   size_t len,
                   const uint8_t *data,
                   unsigned int block_num,
                   unsigned char block_szx);

/**
 * Copies the part of the body @p data selected by @p block (BERT aware)
 * into the payload of @p pdu.
 *
 * @param pdu   The PDU to fill.
 * @param len   Size of the whole body @p data.
 * @param data  The whole body.
 * @param block The block to copy.
 *
 * @return 1 on success, 0 on failure.
 */
int coap_add_block_b_data(coap_pdu_t *pdu, size_t len, const uint8_t *data,
                          coap_block_b_t *block);

/**
 * Merges a received piece of a body into the body assembled so far,
 * growing the buffer as necessary.
 *
 * @param body_data Body assembled so far, or @c NULL for the first piece.
 * @param length    Length of @p data.
 * @param data      The piece to merge.
 * @param offset    Position of @p data within the body.
 * @param total     Expected size of the whole body.
 *
 * @return The updated body (possibly moved), or @c NULL on failure, in
 *         which case @p body_data has already been freed.
 */
coap_binary_t *coap_block_build_body(coap_binary_t *body_data, size_t length,
                                     const uint8_t *data, size_t offset, size_t total);

/**
 * Server helper that puts the part of @p data requested by @p request into
 * @p response. When the data needs several blocks, the Block2, Size2 and
 * an ETag (derived from the whole data) are added as well.
 *
 * Superseded by coap_add_data_large_response(), which avoids calling the
 * request handler again for every block.
 *
 * @param request    The request being answered.
 * @param response   The response to fill.
 * @param media_type Content-Format of @p data.
 * @param maxage     Max-Age in seconds, or -1 to leave the option out.
 * @param length     Size of the whole body.
 * @param data       The whole body.
 */
void coap_add_data_blocked_response(const coap_pdu_t *request,
                                    coap_pdu_t *response,
                                    uint16_t media_type,
                                    int maxage,
                                    size_t length,
                                    const uint8_t *data);

/**
 * Called by the library once it no longer needs data given to one of the
 * coap_add_data_large_*() functions (transfer done or failed).
 *
 * @param session The session the data was sent on.
 * @param app_ptr The @p app_ptr value passed along with the data.
 */
typedef void (*coap_release_large_data_t)(coap_session_t *session,
                                          void *app_ptr);

/**
 * Client side: attaches a body of any size to request @p pdu. If it does
 * not fit into one PDU, the library sends it block by block with
 * (Q-)Block1, Size1 and Request-Tag options; the application must not add
 * these itself.
 *
 * @p data is used in place and must stay unchanged until @p release_func
 * is called (which also happens on failure). Call at most once per PDU, as
 * the last change before coap_send(). Requires COAP_BLOCK_USE_LIBCOAP to be
 * set via coap_context_set_block_mode().
 *
 * @param session      Session the request will be sent on.
 * @param pdu          The request.
 * @param length       Size of @p data.
 * @param data         The body.
 * @param release_func Called when @p data is no longer needed; may be
 *                     @c NULL.
 * @param app_ptr      Passed unchanged to @p release_func.
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_add_data_large_request(coap_session_t *session,
                                         coap_pdu_t *pdu,
                                         size_t length,
                                         const uint8_t *data,
                                         coap_release_large_data_t release_func,
                                         void *app_ptr);

/**
 * Server side: attaches a body of any size to @p response from inside a
 * request handler. Content-Format, Max-Age and ETag are added as needed;
 * if the body needs several PDUs the library serves the remaining
 * (Q-)Block2 blocks itself (with Size2 and ETag), without calling the
 * handler again.
 *
 * @p data is used in place and must stay unchanged until @p release_func
 * is called (which also happens on failure). Call at most once per PDU, as
 * the last change before the handler returns. Requires
 * COAP_BLOCK_USE_LIBCOAP to be set via coap_context_set_block_mode().
 *
 * @param resource     The resource being requested (handler argument).
 * @param session      The session (handler argument).
 * @param request      The request (handler argument).
 * @param response     The response to fill (handler argument).
 * @param query        The request's query (handler argument).
 * @param media_type   Content-Format of @p data.
 * @param maxage       Max-Age in seconds, or -1 to leave the option out.
 * @param etag         ETag value to use, or 0 to have one generated.
 * @param length       Size of @p data.
 * @param data         The body.
 * @param release_func Called when @p data is no longer needed; may be
 *                     @c NULL.
 * @param app_ptr      Passed unchanged to @p release_func.
 *
 * @return 1 on success, 0 on failure.
 */
COAP_API int coap_add_data_large_response(coap_resource_t *resource,
                                          coap_session_t *session,
                                          const coap_pdu_t *request,
                                          coap_pdu_t *response,
                                          const coap_string_t *query,
                                          uint16_t media_type,
                                          int maxage,
                                          uint64_t etag,
                                          size_t length,
                                          const uint8_t *data,
                                          coap_release_large_data_t release_func,
                                          void *app_ptr);

/**
 * Sets the block-wise transfer behaviour of @p context. Sessions created
 * afterwards inherit it (features the peer lacks may get switched off per
 * session), so call this before creating sessions. Without
 * COAP_BLOCK_USE_LIBCOAP, which is the default, the application has to
 * handle Block options itself.
 *
 * @param context    The context to configure.
 * @param block_mode Bitwise OR of the wanted COAP_BLOCK_* flags (0 for none).
 */
COAP_API void coap_context_set_block_mode(coap_context_t *context,
                                          uint32_t block_mode);

/**
 * Sets the largest block size the context will use or accept for Block1 /
 * Block2. Sessions created afterwards inherit it, so call this before
 * creating sessions; it only takes effect with COAP_BLOCK_USE_LIBCOAP.
 *
 * @param context        The context to configure.
 * @param max_block_size 16, 32, 64, 128, 256, 512 or 1024, or 0 to go
 *                       back to the default.
 *
 * @return 1 on success, 0 if @p max_block_size is not allowed.
 */
COAP_API int coap_context_set_max_block_size(coap_context_t *context, size_t max_block_size);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_BLOCK_H_ */
