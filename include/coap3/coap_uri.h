/* coap_uri.h: parsed URI representation, URI parsing and URI <-> option conversion
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_uri.h
 * @brief Splitting URIs into components and turning them into CoAP options.
 */

#ifndef COAP_URI_H_
#define COAP_URI_H_

#include <stdint.h>

#include "coap_str.h"
#include "coap_forward_decls.h"
#include "coap_option.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * URI schemes known to the library. The numbering is chosen so that the
 * secure (TLS / DTLS) variant of each scheme has an odd value and the plain
 * variant an even value.
 */
typedef enum coap_uri_scheme_t {
  COAP_URI_SCHEME_COAP = 0,  /**< coap://       (UDP) */
  COAP_URI_SCHEME_COAPS,     /**< coaps://      (DTLS) */
  COAP_URI_SCHEME_COAP_TCP,  /**< coap+tcp://   (TCP) */
  COAP_URI_SCHEME_COAPS_TCP, /**< coaps+tcp://  (TLS) */
  COAP_URI_SCHEME_HTTP,      /**< http://  (accepted for Proxy-Uri only) */
  COAP_URI_SCHEME_HTTPS,     /**< https:// (accepted for Proxy-Uri only) */
  COAP_URI_SCHEME_COAP_WS,   /**< coap+ws://    (WebSockets) */
  COAP_URI_SCHEME_COAPS_WS,  /**< coaps+ws://   (secure WebSockets) */
  COAP_URI_SCHEME_LAST       /**< number of schemes, not a scheme itself */
} coap_uri_scheme_t;

/** AND this with a scheme value: non-zero means the scheme is secure. */
#define COAP_URI_SCHEME_SECURE_MASK 0x01

/* One bit per scheme, for building sets of schemes. */
#define COAP_URI_SCHEME_COAP_BIT       (1 << COAP_URI_SCHEME_COAP)
#define COAP_URI_SCHEME_COAPS_BIT      (1 << COAP_URI_SCHEME_COAPS)
#define COAP_URI_SCHEME_COAP_TCP_BIT   (1 << COAP_URI_SCHEME_COAP_TCP)
#define COAP_URI_SCHEME_COAPS_TCP_BIT  (1 << COAP_URI_SCHEME_COAPS_TCP)
#define COAP_URI_SCHEME_HTTP_BIT       (1 << COAP_URI_SCHEME_HTTP)
#define COAP_URI_SCHEME_HTTPS_BIT      (1 << COAP_URI_SCHEME_HTTPS)
#define COAP_URI_SCHEME_COAP_WS_BIT    (1 << COAP_URI_SCHEME_COAP_WS)
#define COAP_URI_SCHEME_COAPS_WS_BIT   (1 << COAP_URI_SCHEME_COAPS_WS)

/** The set of every CoAP scheme (all of the above except http / https). */
#define COAP_URI_SCHEME_ALL_COAP_BITS (COAP_URI_SCHEME_COAP_BIT | \
                                       COAP_URI_SCHEME_COAPS_BIT | \
                                       COAP_URI_SCHEME_COAP_TCP_BIT | \
                                       COAP_URI_SCHEME_COAPS_TCP_BIT | \
                                       COAP_URI_SCHEME_COAP_WS_BIT | \
                                       COAP_URI_SCHEME_COAPS_WS_BIT)

/**
 * A URI broken into its parts. The string members point into the text that
 * was parsed (or into the object's own allocation for coap_new_uri() /
 * coap_clone_uri()); they are not zero terminated.
 *
 * Fill it with coap_split_uri() or coap_split_proxy_uri(); turn it into
 * request options with coap_uri_into_optlist().
 */
typedef struct {
  coap_str_const_t host;  /**< host name or address literal */
  uint16_t port;          /**< port number, host byte order */
  coap_str_const_t path;  /**< the entire path, {0, NULL} if absent; turn
                               it into Uri-Path options with
                               coap_path_into_optlist() */
  coap_str_const_t query; /**< the entire query, {0, NULL} if absent; turn
                               it into Uri-Query options with
                               coap_query_into_optlist() */
  /** Which scheme the URI used. */
  enum coap_uri_scheme_t scheme;
} coap_uri_t;

/**
 * Tells whether the scheme of @p uri is a secure one (coaps, coaps+tcp,
 * coaps+ws or https).
 *
 * @param uri Parsed URI (may be @c NULL).
 *
 * @return 1 for a secure scheme, 0 otherwise or if @p uri is @c NULL.
 */
static inline int
coap_uri_scheme_is_secure(const coap_uri_t *uri) {
  if (uri == NULL)
    return 0;
  return (uri->scheme & COAP_URI_SCHEME_SECURE_MASK) ? 1 : 0;
}

/**
 * Checks whether @p host names a Unix domain socket (a file path with each
 * '/' written as "%2F") rather than a network host.
 *
 * @param host The host part of a URI.
 *
 * @return 1 if it is a Unix domain socket name, else 0.
 */
int coap_host_is_unix_domain(const coap_str_const_t *host);

/**
 * Parses @p uri (as coap_split_uri() does) into a newly allocated
 * coap_uri_t that also holds its own copy of the text.
 *
 * @param uri    URI text (need not be zero terminated).
 * @param length Length of @p uri in bytes.
 *
 * @return The new object (release with coap_delete_uri()), or @c NULL if
 *         parsing or allocation failed.
 */
coap_uri_t *coap_new_uri(const uint8_t *uri, unsigned int length);

/**
 * Makes a deep copy of @p uri, including the strings it refers to.
 *
 * @param uri The object to copy.
 *
 * @return The copy (release with coap_delete_uri()), or @c NULL on failure.
 */
coap_uri_t *coap_clone_uri(const coap_uri_t *uri);

/**
 * Frees an object returned by coap_new_uri() or coap_clone_uri().
 *
 * @param uri The object to free (@c NULL is ignored).
 */
void coap_delete_uri(coap_uri_t *uri);

/**
 * @ingroup application_api
 * @defgroup uri_parse URI splitting
 * Breaking URI text into components, and components into the individual
 * Uri-Path / Uri-Query segments that a CoAP request carries.
 * @{
 */

/**
 * Splits a CoAP URI (coap, coaps, coap+tcp, coaps+tcp, coap+ws, coaps+ws)
 * into scheme, host, port, path and query.
 *
 * Missing parts are left empty ({0, NULL}); a missing port is replaced by
 * the default port of the scheme. The members of @p uri point into
 * @p str_var, which must therefore outlive them.
 *
 * @param str_var URI text.
 * @param len     Length of @p str_var in bytes.
 * @param uri     Receives the parts.
 *
 * @return 0 on success, a negative value if the text is not a valid URI.
 */
int coap_split_uri(const uint8_t *str_var, size_t len, coap_uri_t *uri);

/**
 * Like coap_split_uri(), but for the value of a Proxy-Uri option: the text
 * must be an absolute URI and the http and https schemes are accepted as
 * well.
 *
 * @param str_var URI text.
 * @param len     Length of @p str_var in bytes.
 * @param uri     Receives the parts.
 *
 * @return 0 on success, a negative value on error.
 */
int coap_split_proxy_uri(const uint8_t *str_var, size_t len, coap_uri_t *uri);

/**
 * Converts @p uri into request options appended to @p optlist_chain: a
 * Uri-Host option if @p dst is given and the host does not simply repeat
 * the destination address, a Uri-Port option for a non-default port (both
 * only when @p create_port_host_opt is non-zero), then one Uri-Path option
 * per path segment and one Uri-Query option per query segment.
 *
 * Same as coap_uri_into_optlist() apart from the unused buffer arguments
 * and the return convention.
 *
 * @param uri           The parsed URI.
 * @param dst           Destination address, or @c NULL to never add
 *                      Uri-Host.
 * @param optlist_chain List to append to (free it with
 *                      coap_delete_optlist()).
 * @param create_port_host_opt Non-zero to allow Uri-Host / Uri-Port.
 * @param buf           Unused; may be @c NULL.
 * @param buflen        Unused.
 *
 * @return 0 on success, a negative value on failure.
 */
int coap_uri_into_options(const coap_uri_t *uri, const coap_address_t *dst,
                          coap_optlist_t **optlist_chain,
                          int create_port_host_opt,
                          uint8_t *buf, size_t buflen);

/**
 * Converts @p uri into request options appended to @p optlist_chain: a
 * Uri-Host option if @p dst is given and the host does not simply repeat
 * the destination address, a Uri-Port option for a non-default port (both
 * only when @p create_port_host_opt is non-zero), then one Uri-Path option
 * per path segment and one Uri-Query option per query segment.
 *
 * @param uri           The parsed URI.
 * @param dst           Destination address, or @c NULL to never add
 *                      Uri-Host.
 * @param optlist_chain List to append to; start from @c NULL or an existing
 *                      list, free it with coap_delete_optlist().
 * @param create_port_host_opt Non-zero to allow Uri-Host / Uri-Port.
 *
 * @return 1 on success, 0 on failure.
 */
int coap_uri_into_optlist(const coap_uri_t *uri, const coap_address_t *dst,
                          coap_optlist_t **optlist_chain,
                          int create_port_host_opt);

/**
 * Breaks a URI path at '/' into segments, percent-decodes each one and
 * writes them to @p buf, each preceded by an option header with delta 0
 * and the decoded segment length.
 *
 * @param path   Path text.
 * @param length Length of @p path.
 * @param buf    Output buffer.
 * @param buflen In: size of @p buf, which should be at least @p length plus
 *               2 bytes per segment. Out: bytes actually used.
 *
 * @return Number of segments written, or -1 on error.
 */
int coap_split_path(const uint8_t *path,
                    size_t length,
                    unsigned char *buf,
                    size_t *buflen);

/**
 * Breaks a URI path at '/' into segments and appends one @p optnum option
 * per percent-decoded segment to @p optlist_chain. "." segments are
 * dropped and ".." removes the preceding segment.
 *
 * @param path          Path text.
 * @param length        Length of @p path.
 * @param optnum        COAP_OPTION_URI_PATH or COAP_OPTION_LOCATION_PATH.
 * @param optlist_chain List to append to (@c NULL-initialised or existing).
 *
 * @return 1 on success, 0 on failure.
 */
int coap_path_into_optlist(const uint8_t *path, size_t length,
                           coap_option_num_t optnum,
                           coap_optlist_t **optlist_chain);

/**
 * Breaks a URI query at '&' into segments and writes them to @p buf, each
 * preceded by an option header with delta 0 and the segment length.
 *
 * @param query  Query text.
 * @param length Length of @p query.
 * @param buf    Output buffer.
 * @param buflen In: size of @p buf, which should be at least @p length plus
 *               2 bytes per segment. Out: bytes actually used.
 *
 * @return Number of segments written, or -1 on error.
 */
int coap_split_query(const uint8_t *query,
                     size_t length,
                     unsigned char *buf,
                     size_t *buflen);

/**
 * Breaks a URI query at '&' into segments and appends one @p optnum option
 * per segment to @p optlist_chain.
 *
 * @param query         Query text.
 * @param length        Length of @p query.
 * @param optnum        COAP_OPTION_URI_QUERY or COAP_OPTION_LOCATION_QUERY.
 * @param optlist_chain List to append to (@c NULL-initialised or existing).
 *
 * @return 1 on success, 0 on failure.
 */
int coap_query_into_optlist(const uint8_t *query, size_t length,
                            coap_option_num_t optnum,
                            coap_optlist_t **optlist_chain);

/**
 * Rebuilds the query string ("a=1&b=2") from the Uri-Query options of
 * @p request, percent-escaping characters as RFC 7252 section 6.5 requires.
 *
 * @param request The request PDU.
 *
 * @return A new string (free with coap_delete_string()), or @c NULL if the
 *         request has no Uri-Query option.
 */
coap_string_t *coap_get_query(const coap_pdu_t *request);

/**
 * Rebuilds the path ("a/b/c") from the Uri-Path options of @p request,
 * percent-escaping characters where needed.
 *
 * @param request The request PDU.
 *
 * @return A new string (free with coap_delete_string()), or @c NULL if the
 *         request has no Uri-Path option.
 */
coap_string_t *coap_get_uri_path(const coap_pdu_t *request);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_URI_H_ */
