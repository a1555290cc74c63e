/* coap_pdu.h: CoAP message (PDU) constants, codes, option numbers, media types and PDU API
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_pdu.h
 * @brief CoAP protocol constants and the functions that build and read PDUs.
 */

#ifndef COAP_PDU_H_
#define COAP_PDU_H_

#include "coap_option.h"
#include "coap_uri.h"

#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup pdu CoAP messages
 * Creating, filling in and inspecting CoAP messages.
 * @{
 */

/* ---- Well-known numbers ------------------------------------------------ */

#define COAP_DEFAULT_PORT      5683 /* plain coap (UDP and TCP) */
#define COAPS_DEFAULT_PORT     5684 /* coaps (DTLS and TLS) */
#define COAP_DEFAULT_MAX_AGE     60 /* implied Max-Age, in seconds */
#ifndef COAP_DEFAULT_MTU
#define COAP_DEFAULT_MTU       1152 /* default maximum PDU size, in bytes */
#endif /* COAP_DEFAULT_MTU */

/** Unit size of BERT (block-wise extension for reliable transport) blocks. */
#define COAP_BERT_BASE 1152

#ifndef COAP_DEFAULT_HOP_LIMIT
/** Hop-Limit value used when a proxied request carries none. */
#define COAP_DEFAULT_HOP_LIMIT       16
#endif /* COAP_DEFAULT_HOP_LIMIT */

#define COAP_DEFAULT_SCHEME  "coap" /* scheme assumed when none is given */

/** Path of the resource discovery resource (RFC 6690). */
#define COAP_DEFAULT_URI_WELLKNOWN ".well-known/core"

/** Longest token allowed without extended tokens (RFC 8974). */
#define COAP_TOKEN_DEFAULT_MAX 8
/*
 * Longest token possible with extended tokens (RFC 8974): 65535 + 269 bytes.
 * Note: UINT_MAX is only known here if the includer pulled in <limits.h>
 * beforehand; otherwise the test sees 0 and the smaller limit applies.
 */
#if (UINT_MAX > 65804UL)
#define COAP_TOKEN_EXT_MAX 65804UL
#else /* UINT_MAX < 65804UL */
#define COAP_TOKEN_EXT_MAX 4096
#endif /* UINT_MAX < 65804UL */

/* ---- Message types, methods ------------------------------------------- */

/** The four CoAP message types (header field T). */
typedef enum coap_pdu_type_t {
  COAP_MESSAGE_CON,  /**< 0: confirmable, must be ACKed or RST */
  COAP_MESSAGE_NON,  /**< 1: non-confirmable, fire and forget */
  COAP_MESSAGE_ACK,  /**< 2: acknowledgement of a CON message */
  COAP_MESSAGE_RST   /**< 3: reset, the peer could not process a message */
} coap_pdu_type_t;

/** Request method codes (class 0). */
typedef enum coap_request_t {
  COAP_REQUEST_GET = 1,   /**< 0.01 */
  COAP_REQUEST_POST,      /**< 0.02 */
  COAP_REQUEST_PUT,       /**< 0.03 */
  COAP_REQUEST_DELETE,    /**< 0.04 */
  COAP_REQUEST_FETCH,     /**< 0.05 (RFC 8132) */
  COAP_REQUEST_PATCH,     /**< 0.06 (RFC 8132) */
  COAP_REQUEST_IPATCH,    /**< 0.07 (RFC 8132) */
} coap_request_t;

/* ---- Option numbers ---------------------------------------------------- */

/*
 * Each entry notes, in this order:
 *  - properties from RFC 7252 5.4: crit(ical) or not, unsafe to forward or
 *    not, nocachekey (only meaningful for safe options), repeatable;
 *  - the OSCORE (RFC 8613) protection class: E = encrypted inner option,
 *    U = outer (unprotected) option, E+U = may appear as both;
 *  - value format and permitted length;
 *  - the defining RFC.
 */

#define COAP_OPTION_IF_MATCH        1 /* crit, repeatable; E; opaque 0-8; RFC 7252 */
#define COAP_OPTION_URI_HOST        3 /* crit, unsafe; U; string 1-255; RFC 7252 */
#define COAP_OPTION_ETAG            4 /* repeatable; E; opaque 1-8; RFC 7252 */
#define COAP_OPTION_IF_NONE_MATCH   5 /* crit; E; empty; RFC 7252 */
#define COAP_OPTION_OBSERVE         6 /* unsafe; E+U; empty or uint 0-3; RFC 7641 */
#define COAP_OPTION_URI_PORT        7 /* crit, unsafe; U; uint 0-2; RFC 7252 */
#define COAP_OPTION_LOCATION_PATH   8 /* repeatable; E; string 0-255; RFC 7252 */
#define COAP_OPTION_OSCORE          9 /* crit; U; 0-255; RFC 8613 */
#define COAP_OPTION_URI_PATH       11 /* crit, unsafe, repeatable; E; string 0-255; RFC 7252 */
#define COAP_OPTION_CONTENT_FORMAT 12 /* E; uint 0-2; RFC 7252 */
/** Older name of COAP_OPTION_CONTENT_FORMAT. */
#define COAP_OPTION_CONTENT_TYPE COAP_OPTION_CONTENT_FORMAT
/* When Max-Age is absent, COAP_DEFAULT_MAX_AGE (60 s) applies. */
#define COAP_OPTION_MAXAGE         14 /* unsafe; E+U; uint 0-4; RFC 7252 */
#define COAP_OPTION_URI_QUERY      15 /* crit, unsafe, repeatable; E; string 1-255; RFC 7252 */
#define COAP_OPTION_HOP_LIMIT      16 /* U; uint 1; RFC 8768 */
#define COAP_OPTION_ACCEPT         17 /* crit; E; uint 0-2; RFC 7252 */
#define COAP_OPTION_Q_BLOCK1       19 /* crit, unsafe; E+U; uint 0-3; RFC 9177 */
#define COAP_OPTION_LOCATION_QUERY 20 /* repeatable; E; string 0-255; RFC 7252 */
#define COAP_OPTION_BLOCK2         23 /* crit, unsafe; E+U; uint 0-3; RFC 7959 */
#define COAP_OPTION_BLOCK1         27 /* crit, unsafe; E+U; uint 0-3; RFC 7959 */
#define COAP_OPTION_SIZE2          28 /* nocachekey; E+U; uint 0-4; RFC 7959 */
#define COAP_OPTION_Q_BLOCK2       31 /* crit, unsafe, repeatable; E+U; uint 0-3; RFC 9177 */
#define COAP_OPTION_PROXY_URI      35 /* crit, unsafe; U; string 1-1034; RFC 7252 */
#define COAP_OPTION_PROXY_SCHEME   39 /* crit, unsafe; U; string 1-255; RFC 7252 */
#define COAP_OPTION_SIZE1          60 /* nocachekey; E+U; uint 0-4; RFC 7252 */
#define COAP_OPTION_ECHO          252 /* nocachekey; E+U; opaque 0-40; RFC 9175 */
#define COAP_OPTION_NORESPONSE    258 /* unsafe; E+U; uint 0-1; RFC 7967 */
#define COAP_OPTION_RTAG          292 /* repeatable; E+U; opaque 0-8; RFC 9175 */

/*
 * Largest option number handled. As with COAP_TOKEN_EXT_MAX, UINT_MAX is
 * only seen here when <limits.h> was included earlier.
 */
#if (UINT_MAX > 65535)
#define COAP_MAX_OPT            65535
#else /* UINT_MAX <= 65535 */
#define COAP_MAX_OPT            65534
#endif /* UINT_MAX <= 65535 */

/* ---- Response codes ---------------------------------------------------- */

/**
 * Builds the one-byte code for the dotted response code written as a
 * decimal number, e.g. COAP_RESPONSE_CODE(404) for 4.04: the hundreds
 * become the 3-bit class and the remainder the 5-bit detail.
 */
#define COAP_RESPONSE_CODE(N) (((N)/100 << 5) | (N)%100)

/** Extracts the class (the digit before the dot) from a code byte @p C. */
#define COAP_RESPONSE_CLASS(C) (((C) >> 5) & 0xFF)

#ifndef SHORT_ERROR_RESPONSE
/**
 * Looks up the reason phrase for a response code, e.g. "Not Found" for
 * COAP_RESPONSE_CODE(404).
 *
 * @param code A response code byte.
 *
 * @return A static zero-terminated phrase, or @c NULL if the code is not
 *         known.
 */
const char *coap_response_phrase(unsigned char code);

/** Upper bound on the length of a reason phrase. */
#define COAP_ERROR_PHRASE_LENGTH   32

#else
/* Built without reason phrases: every lookup yields NULL. */
#define coap_response_phrase(x) ((char *)NULL)

#define COAP_ERROR_PHRASE_LENGTH    0
#endif /* SHORT_ERROR_RESPONSE */

/** Same mapping as COAP_RESPONSE_CODE(), for signaling codes (7.xx). */
#define COAP_SIGNALING_CODE(N) (((N)/100 << 5) | (N)%100)

/** Signaling message codes of CoAP over reliable transports (RFC 8323). */
typedef enum coap_pdu_signaling_proto_t {
  COAP_SIGNALING_CSM =     COAP_SIGNALING_CODE(701), /**< 7.01 Capabilities and Settings */
  COAP_SIGNALING_PING =    COAP_SIGNALING_CODE(702), /**< 7.02 Ping */
  COAP_SIGNALING_PONG =    COAP_SIGNALING_CODE(703), /**< 7.03 Pong */
  COAP_SIGNALING_RELEASE = COAP_SIGNALING_CODE(704), /**< 7.04 Release */
  COAP_SIGNALING_ABORT =   COAP_SIGNALING_CODE(705), /**< 7.05 Abort */
} coap_pdu_signaling_proto_t;

/* Option numbers valid in a 7.01 CSM message. */
#define COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE 2
#define COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER 4
#define COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH 6

/* Option number valid in 7.02 Ping and 7.03 Pong. */
#define COAP_SIGNALING_OPTION_CUSTODY 2

/* Option numbers valid in 7.04 Release. */
#define COAP_SIGNALING_OPTION_ALTERNATIVE_ADDRESS 2
#define COAP_SIGNALING_OPTION_HOLD_OFF 4

/* Option number valid in 7.05 Abort. */
#define COAP_SIGNALING_OPTION_BAD_CSM_OPTION 2

/* ---- Content-Format numbers -------------------------------------------- */

/* Registered in RFC 7252 and RFC 8392 (CWT): */
#define COAP_MEDIATYPE_TEXT_PLAIN                 0 /* text/plain;charset=utf-8 */
#define COAP_MEDIATYPE_APPLICATION_LINK_FORMAT   40 /* application/link-format */
#define COAP_MEDIATYPE_APPLICATION_XML           41 /* application/xml */
#define COAP_MEDIATYPE_APPLICATION_OCTET_STREAM  42 /* application/octet-stream */
#define COAP_MEDIATYPE_APPLICATION_RDF_XML       43 /* application/rdf+xml */
#define COAP_MEDIATYPE_APPLICATION_EXI           47 /* application/exi */
#define COAP_MEDIATYPE_APPLICATION_JSON          50 /* application/json */
#define COAP_MEDIATYPE_APPLICATION_CBOR          60 /* application/cbor */
#define COAP_MEDIATYPE_APPLICATION_CWT           61 /* application/cwt */

/* RFC 7390 (group communication): */
#define COAP_MEDIATYPE_APPLICATION_COAP_GROUP_JSON 256 /* application/coap-group+json */

/* RFC 8152 (COSE) message types, all application/cose with a cose-type: */
#define COAP_MEDIATYPE_APPLICATION_COSE_SIGN     98 /* cose-type=cose-sign */
#define COAP_MEDIATYPE_APPLICATION_COSE_SIGN1    18 /* cose-type=cose-sign1 */
#define COAP_MEDIATYPE_APPLICATION_COSE_ENCRYPT  96 /* cose-type=cose-encrypt */
#define COAP_MEDIATYPE_APPLICATION_COSE_ENCRYPT0 16 /* cose-type=cose-encrypt0 */
#define COAP_MEDIATYPE_APPLICATION_COSE_MAC      97 /* cose-type=cose-mac */
#define COAP_MEDIATYPE_APPLICATION_COSE_MAC0     17 /* cose-type=cose-mac0 */

/* RFC 8152 key formats: */
#define COAP_MEDIATYPE_APPLICATION_COSE_KEY     101 /* application/cose-key */
#define COAP_MEDIATYPE_APPLICATION_COSE_KEY_SET 102 /* application/cose-key-set */

/* RFC 8428 (SenML / SenSML): */
#define COAP_MEDIATYPE_APPLICATION_SENML_JSON   110 /* application/senml+json */
#define COAP_MEDIATYPE_APPLICATION_SENSML_JSON  111 /* application/sensml+json */
#define COAP_MEDIATYPE_APPLICATION_SENML_CBOR   112 /* application/senml+cbor */
#define COAP_MEDIATYPE_APPLICATION_SENSML_CBOR  113 /* application/sensml+cbor */
#define COAP_MEDIATYPE_APPLICATION_SENML_EXI    114 /* application/senml-exi */
#define COAP_MEDIATYPE_APPLICATION_SENSML_EXI   115 /* application/sensml-exi */
#define COAP_MEDIATYPE_APPLICATION_SENML_XML    310 /* application/senml+xml */
#define COAP_MEDIATYPE_APPLICATION_SENSML_XML   311 /* application/sensml+xml */

/* RFC 8782 (DOTS): */
#define COAP_MEDIATYPE_APPLICATION_DOTS_CBOR    271 /* application/dots+cbor */

/* RFC 9200 (ACE): */
#define COAP_MEDIATYPE_APPLICATION_ACE_CBOR      19 /* application/ace+cbor */

/* RFC 9177 (Q-Block): */
#define COAP_MEDIATYPE_APPLICATION_MB_CBOR_SEQ  272 /* application/missing-blocks+cbor-seq */

/* RFC 8613 (OSCORE): */
#define COAP_MEDIATYPE_APPLICATION_OSCORE     10001 /* application/oscore */

/* ---- Message IDs --------------------------------------------------------- */

/**
 * A CoAP message ID. Real IDs are in the range 0..65535; negative values
 * signal errors (see COAP_INVALID_MID).
 */
typedef int coap_mid_t;

/** Error value of coap_mid_t, e.g. returned when sending fails. */
#define COAP_INVALID_MID -1

/**
 * Older name of COAP_INVALID_MID.
 * @deprecated Use COAP_INVALID_MID.
 */
#define COAP_INVALID_TID COAP_INVALID_MID

/**
 * Header of a legacy in-memory option record; the option value bytes were
 * stored directly behind it (see COAP_OPTION_DATA()).
 *
 * @deprecated Use coap_optlist_t.
 */
COAP_DEPRECATED typedef struct {
  uint16_t key;           /**< absolute option number */
  unsigned int length;    /**< length of the value that follows */
} coap_option;

/** Option number of a legacy coap_option record. */
#define COAP_OPTION_KEY(option) (option).key
/** Value length of a legacy coap_option record. */
#define COAP_OPTION_LENGTH(option) (option).length
/** Start of the value bytes stored right after a legacy coap_option record. */
#define COAP_OPTION_DATA(option) ((unsigned char *)&(option) + sizeof(coap_option))

/* ---- Transports and codes ------------------------------------------------ */

/** Transport a session uses. */
typedef enum coap_proto_t {
  COAP_PROTO_NONE = 0, /**< not set */
  COAP_PROTO_UDP,      /**< plain UDP */
  COAP_PROTO_DTLS,     /**< DTLS over UDP */
  COAP_PROTO_TCP,      /**< plain TCP */
  COAP_PROTO_TLS,      /**< TLS over TCP */
  COAP_PROTO_WS,       /**< WebSockets */
  COAP_PROTO_WSS,      /**< WebSockets over TLS */
  COAP_PROTO_LAST      /**< number of entries, not a transport */
} coap_proto_t;

/** Every code a PDU may carry: empty, requests, responses, signaling. */
typedef enum coap_pdu_code_t {
  COAP_EMPTY_CODE          = 0,                   /**< 0.00 */

  COAP_REQUEST_CODE_GET    = COAP_REQUEST_GET,    /**< 0.01 */
  COAP_REQUEST_CODE_POST   = COAP_REQUEST_POST,   /**< 0.02 */
  COAP_REQUEST_CODE_PUT    = COAP_REQUEST_PUT,    /**< 0.03 */
  COAP_REQUEST_CODE_DELETE = COAP_REQUEST_DELETE, /**< 0.04 */
  COAP_REQUEST_CODE_FETCH  = COAP_REQUEST_FETCH,  /**< 0.05 */
  COAP_REQUEST_CODE_PATCH  = COAP_REQUEST_PATCH,  /**< 0.06 */
  COAP_REQUEST_CODE_IPATCH = COAP_REQUEST_IPATCH, /**< 0.07 */

  COAP_RESPONSE_CODE_CREATED                    = COAP_RESPONSE_CODE(201),
  COAP_RESPONSE_CODE_DELETED                    = COAP_RESPONSE_CODE(202),
  COAP_RESPONSE_CODE_VALID                      = COAP_RESPONSE_CODE(203),
  COAP_RESPONSE_CODE_CHANGED                    = COAP_RESPONSE_CODE(204),
  COAP_RESPONSE_CODE_CONTENT                    = COAP_RESPONSE_CODE(205),
  COAP_RESPONSE_CODE_CONTINUE                   = COAP_RESPONSE_CODE(231),
  COAP_RESPONSE_CODE_BAD_REQUEST                = COAP_RESPONSE_CODE(400),
  COAP_RESPONSE_CODE_UNAUTHORIZED               = COAP_RESPONSE_CODE(401),
  COAP_RESPONSE_CODE_BAD_OPTION                 = COAP_RESPONSE_CODE(402),
  COAP_RESPONSE_CODE_FORBIDDEN                  = COAP_RESPONSE_CODE(403),
  COAP_RESPONSE_CODE_NOT_FOUND                  = COAP_RESPONSE_CODE(404),
  COAP_RESPONSE_CODE_NOT_ALLOWED                = COAP_RESPONSE_CODE(405),
  COAP_RESPONSE_CODE_NOT_ACCEPTABLE             = COAP_RESPONSE_CODE(406),
  COAP_RESPONSE_CODE_INCOMPLETE                 = COAP_RESPONSE_CODE(408),
  COAP_RESPONSE_CODE_CONFLICT                   = COAP_RESPONSE_CODE(409),
  COAP_RESPONSE_CODE_PRECONDITION_FAILED        = COAP_RESPONSE_CODE(412),
  COAP_RESPONSE_CODE_REQUEST_TOO_LARGE          = COAP_RESPONSE_CODE(413),
  COAP_RESPONSE_CODE_UNSUPPORTED_CONTENT_FORMAT = COAP_RESPONSE_CODE(415),
  COAP_RESPONSE_CODE_UNPROCESSABLE              = COAP_RESPONSE_CODE(422),
  COAP_RESPONSE_CODE_TOO_MANY_REQUESTS          = COAP_RESPONSE_CODE(429),
  COAP_RESPONSE_CODE_INTERNAL_ERROR             = COAP_RESPONSE_CODE(500),
  COAP_RESPONSE_CODE_NOT_IMPLEMENTED            = COAP_RESPONSE_CODE(501),
  COAP_RESPONSE_CODE_BAD_GATEWAY                = COAP_RESPONSE_CODE(502),
  COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE        = COAP_RESPONSE_CODE(503),
  COAP_RESPONSE_CODE_GATEWAY_TIMEOUT            = COAP_RESPONSE_CODE(504),
  COAP_RESPONSE_CODE_PROXYING_NOT_SUPPORTED     = COAP_RESPONSE_CODE(505),
  COAP_RESPONSE_CODE_HOP_LIMIT_REACHED          = COAP_RESPONSE_CODE(508),

  COAP_SIGNALING_CODE_CSM                       = COAP_SIGNALING_CSM,
  COAP_SIGNALING_CODE_PING                      = COAP_SIGNALING_PING,
  COAP_SIGNALING_CODE_PONG                      = COAP_SIGNALING_PONG,
  COAP_SIGNALING_CODE_RELEASE                   = COAP_SIGNALING_RELEASE,
  COAP_SIGNALING_CODE_ABORT                     = COAP_SIGNALING_ABORT
} coap_pdu_code_t;

/* ---- Creating and destroying PDUs ---------------------------------------- */

/**
 * Allocates an empty PDU able to hold up to @p size bytes of encoded
 * message.
 *
 * @param type One of the COAP_MESSAGE_* types.
 * @param code The request, response or signaling code.
 * @param mid  Message ID to use (0 where it does not matter, e.g. for
 *             reliable transports); coap_new_message_id() hands out fresh
 *             IDs.
 * @param size Maximum encoded size of the message, usually
 *             coap_session_max_pdu_size().
 *
 * @return The new PDU, or @c NULL on failure. Unless it is passed to
 *         coap_send(), release it with coap_delete_pdu().
 */
coap_pdu_t *coap_pdu_init(coap_pdu_type_t type, coap_pdu_code_t code,
                          coap_mid_t mid, size_t size);

/**
 * Allocates an empty PDU for @p session, taking the message ID and the
 * maximum size from the session.
 *
 * @param type    One of the COAP_MESSAGE_* types.
 * @param code    The request, response or signaling code.
 * @param session The session the PDU will be sent on.
 *
 * @return The new PDU, or @c NULL on failure.
 */
COAP_API coap_pdu_t *coap_new_pdu(coap_pdu_type_t type, coap_pdu_code_t code,
                                  coap_session_t *session);

/**
 * Frees a PDU. Not needed (and not allowed) for PDUs handed to coap_send()
 * or for the response PDU given to a request handler; the library frees
 * those itself. @c NULL is ignored.
 *
 * @param pdu The PDU to free.
 */
void coap_delete_pdu(coap_pdu_t *pdu);

/**
 * Creates a new PDU with the type, code and options of @p old_pdu but with
 * a different token. The payload is never copied.
 *
 * @param old_pdu      The PDU to copy from.
 * @param session      The session the new PDU is meant for.
 * @param token_length Length of @p token.
 * @param token        Token for the new PDU.
 * @param drop_options Options not to copy, or @c NULL to copy all of them.
 *
 * @return The new PDU, or @c NULL on failure.
 */
COAP_API coap_pdu_t *coap_pdu_duplicate(const coap_pdu_t *old_pdu,
                                        coap_session_t *session,
                                        size_t token_length,
                                        const uint8_t *token,
                                        coap_opt_filter_t *drop_options);

/**
 * Decodes a received message into @p pdu.
 *
 * @param proto  Transport the bytes arrived on (header formats differ
 *               between datagram and stream transports).
 * @param data   The encoded message.
 * @param length Number of bytes in @p data.
 * @param pdu    Target PDU; it must be big enough for the token, options
 *               and payload contained in @p data.
 *
 * @return 1 on success, 0 if the message is malformed or does not fit.
 */
int coap_pdu_parse(coap_proto_t proto,
                   const uint8_t *data,
                   size_t length,
                   coap_pdu_t *pdu);

/* ---- Filling in a PDU (token, then options, then payload) ----------------- */

/**
 * Sets the token of @p pdu. Must happen before any option or payload is
 * added, and only once per PDU (request handlers receive a response PDU
 * that already carries the token).
 *
 * @param pdu  The PDU to modify.
 * @param len  Token length: up to 8 bytes normally, more only if the peer
 *             supports extended tokens (RFC 8974).
 * @param data Token bytes.
 *
 * @return Non-zero on success, 0 on failure.
 */
int coap_add_token(coap_pdu_t *pdu,
                   size_t len,
                   const uint8_t *data);

/**
 * Appends an option to @p pdu. Options have to be added in ascending
 * option number order (equal numbers may repeat) and before the payload;
 * use an option list (coap_add_optlist_pdu()) to avoid ordering concerns.
 *
 * Integer values should be given in minimal form, see
 * coap_encode_var_safe() / coap_encode_var_safe8().
 *
 * @param pdu    The PDU to modify.
 * @param number Option number (COAP_OPTION_*).
 * @param len    Length of @p data.
 * @param data   Option value.
 *
 * @return Number of bytes the encoded option takes in the PDU, or 0 on
 *         failure.
 */
size_t coap_add_option(coap_pdu_t *pdu,
                       coap_option_num_t number,
                       size_t len,
                       const uint8_t *data);

/**
 * Sets the payload of @p pdu by copying @p data. Can only be done once,
 * after the token and all options.
 *
 * @param pdu  The PDU to modify.
 * @param len  Payload length.
 * @param data Payload bytes.
 *
 * @return 1 on success, 0 on failure.
 */
int coap_add_data(coap_pdu_t *pdu,
                  size_t len,
                  const uint8_t *data);

/**
 * Reserves @p len bytes of payload in @p pdu without filling them; the
 * caller writes the payload to the returned address. Same restrictions as
 * coap_add_data().
 *
 * @param pdu The PDU to modify.
 * @param len Payload length to reserve.
 *
 * @return Where to write the payload, or @c NULL on failure.
 */
uint8_t *coap_add_data_after(coap_pdu_t *pdu, size_t len);

/* ---- Reading a PDU --------------------------------------------------------- */

/**
 * Gives access to the payload of @p pdu. The returned pointer is only valid
 * while the PDU exists.
 *
 * For bodies that may have been split into blocks, prefer
 * coap_get_data_large().
 *
 * @param pdu  The PDU to read.
 * @param len  Receives the payload length.
 * @param data Receives a pointer to the payload.
 *
 * @return 1 if the PDU has a payload (outputs set), 0 if it has none.
 */
int coap_get_data(const coap_pdu_t *pdu,
                  size_t *len,
                  const uint8_t **data);

/**
 * Gives access to the payload of @p pdu together with where it sits inside
 * a larger body that is transferred in blocks (RFC 7959). The returned
 * pointer is only valid while the PDU exists.
 *
 * @param pdu    The PDU to read.
 * @param len    Receives the length of this piece of data.
 * @param data   Receives a pointer to this piece of data.
 * @param offset Receives the position of this piece within the body.
 * @param total  Receives the (possibly estimated) size of the whole body;
 *               more data follows while offset + len < total.
 *
 * @return 1 if there is data (outputs set), 0 otherwise.
 */
int coap_get_data_large(const coap_pdu_t *pdu,
                        size_t *len,
                        const uint8_t **data,
                        size_t *offset,
                        size_t *total);

/**
 * Reads the code of @p pdu.
 *
 * @param pdu The PDU to read.
 *
 * @return The PDU's code.
 */
coap_pdu_code_t coap_pdu_get_code(const coap_pdu_t *pdu);

/**
 * Changes the code of @p pdu. In a request handler, setting the response
 * code is what makes the response get sent.
 *
 * @param pdu  The PDU to modify.
 * @param code The new code.
 */
void coap_pdu_set_code(coap_pdu_t *pdu, coap_pdu_code_t code);

/**
 * Reads the message type of @p pdu (always COAP_MESSAGE_CON on reliable
 * transports).
 *
 * @param pdu The PDU to read.
 *
 * @return The PDU's type.
 */
coap_pdu_type_t coap_pdu_get_type(const coap_pdu_t *pdu);

/**
 * Changes the message type of @p pdu.
 *
 * @param pdu  The PDU to modify.
 * @param type The new type.
 */
void coap_pdu_set_type(coap_pdu_t *pdu, coap_pdu_type_t type);

/**
 * Reads the token of @p pdu.
 *
 * @param pdu The PDU to read.
 *
 * @return Length and pointer of the token (possibly empty); the data
 *         belongs to the PDU.
 */
coap_bin_const_t coap_pdu_get_token(const coap_pdu_t *pdu);

/**
 * Reads the message ID of @p pdu (always 0 on reliable transports).
 *
 * @param pdu The PDU to read.
 *
 * @return The message ID.
 */
coap_mid_t coap_pdu_get_mid(const coap_pdu_t *pdu);

/**
 * Changes the message ID of @p pdu.
 *
 * @param pdu The PDU to modify.
 * @param mid The new message ID.
 */
void coap_pdu_set_mid(coap_pdu_t *pdu, coap_mid_t mid);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_PDU_H_ */
