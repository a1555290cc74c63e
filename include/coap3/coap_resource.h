/* coap_resource.h: server resources - creation, request handlers, attributes and link-format output
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_resource.h
 * @brief Defining the resources a server offers and describing them in
 *        CoRE link format.
 */

#ifndef COAP_RESOURCE_H_
#define COAP_RESOURCE_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_pdu.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef COAP_RESOURCE_CHECK_TIME
/** Seconds between scans for changed (dirty) resources. */
#define COAP_RESOURCE_CHECK_TIME 2
#endif /* COAP_RESOURCE_CHECK_TIME */

/**
 * @ingroup application_api
 * @defgroup coap_resource Resource Configuration
 * Setting up the resources served by a context.
 * @{
 */

/**
 * Request handler attached to a resource for one method.
 *
 * @param resource The resource addressed by the request.
 * @param session  Session the request arrived on.
 * @param request  The incoming request.
 * @param query    The request's URI query, if any.
 * @param response Reply already primed with token and type; the handler
 *                 sets its code (and data). It is sent when the handler
 *                 returns, so the handler must not send it itself.
 */
typedef void (*coap_method_handler_t)(coap_resource_t *resource,
                                      coap_session_t *session,
                                      const coap_pdu_t *request,
                                      const coap_string_t *query,
                                      coap_pdu_t *response);

/** coap_add_attr() flag: free the attribute name when the attribute goes. */
#define COAP_ATTR_FLAGS_RELEASE_NAME  0x1
/** coap_add_attr() flag: free the attribute value when the attribute goes. */
#define COAP_ATTR_FLAGS_RELEASE_VALUE 0x2

/** Resource flag: coap_delete_resource() frees the URI path given to coap_resource_init(). */
#define COAP_RESOURCE_FLAGS_RELEASE_URI 0x1

/**
 * Resource flag (the default, value zero): observe notifications go out as
 * NON messages (RFC 7641, 4.5), with every fifth one sent as CON.
 */
#define COAP_RESOURCE_FLAGS_NOTIFY_NON  0x0

/** Resource flag: observe notifications go out as CON messages. */
#define COAP_RESOURCE_FLAGS_NOTIFY_CON  0x2

/**
 * Resource flag: observe notifications are always NON, never the periodic
 * CON that RFC 7641 asks for. Needed e.g. for the DOTS signal channel
 * (RFC 8782) in lossy conditions.
 */
#define COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS  0x4

/**
 * Resource flag: the resource accepts multicast requests (RFC 7252 11.3,
 * RFC 7390 2.8). ".well-known/core" always does. Only honoured once
 * coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_HAS_MCAST_SUPPORT 0x8

/**
 * Resource flag: the library does not hold back responses to multicast
 * requests (RFC 7252 8.2 leisure); the application handles any delay.
 * Only honoured once coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_DELAYS 0x10

/**
 * Resource flag: the library drops empty 2.05 responses to multicast
 * requests (a No-Response option, RFC 7967, takes precedence). Only
 * honoured once coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_05 0x20

/**
 * Resource flag: the library drops all 2.xx responses to multicast requests
 * (a No-Response option takes precedence). Only honoured once
 * coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_XX 0x40

/**
 * Resource flag: the library no longer drops 4.xx responses to multicast
 * requests (a No-Response option takes precedence). Only honoured once
 * coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_4_XX 0x80

/**
 * Resource flag: the library no longer drops 5.xx responses to multicast
 * requests (a No-Response option takes precedence). Only honoured once
 * coap_mcast_per_resource() has been called.
 */
#define COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_5_XX 0x100

/** All the multicast related resource flags together. */
#define COAP_RESOURCE_FLAGS_MCAST_LIST \
  (COAP_RESOURCE_FLAGS_HAS_MCAST_SUPPORT | \
   COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_DELAYS | \
   COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_05 | \
   COAP_RESOURCE_FLAGS_LIB_ENA_MCAST_SUPPRESS_2_XX | \
   COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_4_XX | \
   COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_5_XX)

/**
 * Resource flag: block-wise request bodies are reassembled and given to the
 * handler in one piece.
 */
#define COAP_RESOURCE_FLAGS_FORCE_SINGLE_BODY 0x200

/** Resource flag: the resource may only be reached through OSCORE. */
#define COAP_RESOURCE_FLAGS_OSCORE_ONLY 0x400

/**
 * Flag for coap_resource_unknown_init2(): hand ".well-known/core" requests
 * to the unknown resource handler instead of answering them locally
 * (useful for reverse proxies).
 */
#define COAP_RESOURCE_HANDLE_WELLKNOWN_CORE 0x800

/**
 * Allocates a resource for URI path @p uri_path.
 *
 * When COAP_RESOURCE_FLAGS_RELEASE_URI is in @p flags, @p uri_path is freed
 * together with the resource; its string data must then be either constant
 * text or part of the same allocation as @p uri_path.
 *
 * @param uri_path Path of the resource, normally without a leading '/'
 *                 (e.g. "sensors/temp").
 * @param flags    Zero or more COAP_RESOURCE_FLAGS_* ORed together (memory
 *                 handling, notification type, multicast behaviour). Without
 *                 NOTIFY_CON or NOTIFY_NON_ALWAYS, notifications are NON
 *                 with every fifth one CON.
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_init(coap_str_const_t *uri_path,
                                    int flags);

/**
 * Allocates the catch-all resource used for requests to paths that match
 * no registered resource; @p put_handler handles PUT, and further handlers
 * can be added with coap_register_request_handler(). Typically a handler
 * creates a real resource (with a DELETE handler) for the new path. A
 * context has only one such resource; adding another replaces it. The
 * catch-all resource itself cannot be observed.
 *
 * @param put_handler Handler for PUT requests to unknown paths.
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_unknown_init(coap_method_handler_t put_handler);

/**
 * Same as coap_resource_unknown_init(), plus multicast handling flags. It
 * shares the single slot with the reverse-proxy resource.
 *
 * @param put_handler Handler for PUT requests to unknown paths.
 * @param flags       Any COAP_RESOURCE_FLAGS_*MCAST* values ORed together
 *                    (COAP_RESOURCE_HANDLE_WELLKNOWN_CORE may be added).
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_unknown_init2(coap_method_handler_t put_handler,
                                             int flags);

/**
 * Allocates the resource that takes requests carrying a Proxy-Uri (or
 * Proxy-Scheme) option. A context has only one; adding another replaces it.
 *
 * @param handler         Handler used for every request method.
 * @param host_name_count Number of entries in @p host_name_list (at least 1).
 * @param host_name_list  Names under which this proxy is known.
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_proxy_uri_init(coap_method_handler_t handler,
                                              size_t host_name_count, const char *host_name_list[]);

/**
 * Same as coap_resource_proxy_uri_init(), plus multicast handling flags.
 *
 * @param handler         Handler used for every request method.
 * @param host_name_count Number of entries in @p host_name_list (at least 1).
 * @param host_name_list  Names under which this proxy is known.
 * @param flags           Any COAP_RESOURCE_FLAGS_*MCAST* values ORed together.
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_proxy_uri_init2(coap_method_handler_t handler,
                                               size_t host_name_count,
                                               const char *host_name_list[],
                                               int flags);

/**
 * Allocates the reverse-proxy resource, which receives every request
 * (including ".well-known/core"). It shares the single slot with the
 * unknown resource; adding one replaces the other.
 *
 * @param handler Handler used for every request method.
 * @param flags   Any COAP_RESOURCE_FLAGS_*MCAST* values ORed together.
 *
 * @return The new resource, or @c NULL on failure.
 */
coap_resource_t *coap_resource_reverse_proxy_init(coap_method_handler_t handler,
                                                  int flags);

/**
 * Looks up the resource of @p context registered for @p uri_path.
 *
 * @param context  Context to search.
 * @param uri_path Exact URI path to look for.
 *
 * @return The matching resource; @c NULL when no resource has that path.
 */
COAP_API coap_resource_t *coap_get_resource_from_uri_path(coap_context_t *context,
                                                          coap_str_const_t *uri_path);

/**
 * Returns the URI path of @p resource.
 *
 * @param resource The resource.
 *
 * @return Its path, or @c NULL if it has none.
 */
coap_str_const_t *coap_resource_get_uri_path(coap_resource_t *resource);

/**
 * Chooses the message type used for observe notifications of @p resource.
 *
 * @param resource The resource.
 * @param mode     COAP_RESOURCE_FLAGS_NOTIFY_NON or
 *                 COAP_RESOURCE_FLAGS_NOTIFY_CON.
 */
void coap_resource_set_mode(coap_resource_t *resource, int mode);

/**
 * Attaches an application pointer to @p resource (e.g. for use by its
 * handlers). The library only stores it.
 *
 * @param resource The resource.
 * @param data     Pointer to store.
 */
void coap_resource_set_userdata(coap_resource_t *resource, void *data);

/**
 * Returns the application pointer attached to @p resource.
 *
 * @param resource The resource.
 *
 * @return The pointer set with coap_resource_set_userdata(), or @c NULL.
 */
void *coap_resource_get_userdata(coap_resource_t *resource);

/**
 * Callback that disposes of a resource's application pointer when the
 * resource is deleted.
 *
 * @param user_data The pointer that was attached to the resource.
 */
typedef void (*coap_resource_release_userdata_handler_t)(void *user_data);

/**
 * Installs, for all resources of @p context, the callback that releases a
 * resource's application pointer when the resource is deleted.
 *
 * @param context  The context.
 * @param callback Release callback, or @c NULL for none.
 */
void coap_resource_release_userdata_handler(coap_context_t *context,
                                            coap_resource_release_userdata_handler_t callback);

/**
 * Adds @p resource (from one of the coap_resource_*init*() functions) to
 * @p context, which then owns it; it is freed by coap_delete_resource() or
 * with the context.
 *
 * @param context  The context.
 * @param resource Resource to add.
 */
COAP_API void coap_add_resource(coap_context_t *context, coap_resource_t *resource);

/**
 * Removes @p resource from its context and frees it.
 *
 * @param context  Unused; kept only for source compatibility.
 * @param resource Resource to delete.
 *
 * @return @c 1 on success, @c 0 if @p resource was not known.
 */
COAP_API int coap_delete_resource(coap_context_t *context, coap_resource_t *resource);

/**
 * Sets @p handler as the handler of @p resource for request method @p method.
 *
 * @deprecated Use coap_register_request_handler().
 *
 * @param resource The resource.
 * @param method   Request method (COAP_REQUEST_GET, ...).
 * @param handler  Handler to install.
 */
void coap_register_handler(coap_resource_t *resource,
                           coap_request_t method,
                           coap_method_handler_t handler);

/**
 * Sets @p handler as the handler of @p resource for request method @p method.
 *
 * @param resource The resource.
 * @param method   Request method (COAP_REQUEST_GET, ...).
 * @param handler  Handler to install.
 */
void coap_register_request_handler(coap_resource_t *resource,
                                   coap_request_t method,
                                   coap_method_handler_t handler);

/**
 * Adds a link-format attribute (e.g. rt, if, ct) to @p resource. No copies
 * are made: the attribute keeps the given name/value pointers, so those
 * must stay valid as long as the attribute exists.
 *
 * With COAP_ATTR_FLAGS_RELEASE_NAME / COAP_ATTR_FLAGS_RELEASE_VALUE in
 * @p flags, @p name / @p value are freed along with the attribute; their
 * string data must then be either constant text or part of the same
 * allocation.
 *
 * @param resource The resource.
 * @param name     Attribute name.
 * @param value    Attribute value, or @c NULL for a name-only attribute.
 * @param flags    Zero or more COAP_ATTR_FLAGS_* ORed together.
 *
 * @return Pointer to the added attribute; @c NULL if it could not be created.
 */
coap_attr_t *coap_add_attr(coap_resource_t *resource,
                           coap_str_const_t *name,
                           coap_str_const_t *value,
                           int flags);

/**
 * Finds the first attribute of @p resource called @p name.
 *
 * @param resource The resource.
 * @param name     Attribute name.
 *
 * @return The attribute, or @c NULL if there is none.
 */
coap_attr_t *coap_find_attr(coap_resource_t *resource,
                            coap_str_const_t *name);

/**
 * Returns the value of @p attribute.
 *
 * @param attribute The attribute.
 *
 * @return Its value, or @c NULL if it has none.
 */
coap_str_const_t *coap_attr_get_value(coap_attr_t *attribute);

/**
 * Result of the link-format printing functions. Bits 0-27 hold the number
 * of characters produced; bit 31 (COAP_PRINT_STATUS_ERROR) flags a failure,
 * in which case the remaining bits mean nothing; bit 30
 * (COAP_PRINT_STATUS_TRUNC) flags that the buffer was too small.
 */
typedef uint32_t coap_print_status_t;

/** Selects the status bits of a coap_print_status_t. */
#define COAP_PRINT_STATUS_MASK  0xF0000000UL
/** Selects the length bits of a coap_print_status_t. */
#define COAP_PRINT_STATUS_MAX   0x0FFFFFFFUL
/** Extracts the number of characters written from a coap_print_status_t. */
#define COAP_PRINT_OUTPUT_LENGTH(v) ((v) & COAP_PRINT_STATUS_MAX)
/** Status bit: printing failed. */
#define COAP_PRINT_STATUS_ERROR 0x80000000UL
/** Status bit: output was cut short. */
#define COAP_PRINT_STATUS_TRUNC 0x40000000UL

/**
 * Writes the link-format description of @p resource into @p buf.
 *
 * @param resource Resource whose link is printed.
 * @param buf      Output buffer.
 * @param len      In: size of @p buf. Out: number of characters written.
 * @param offset   Position within the complete description at which output
 *                 starts (for Block2 paging); advanced by what was consumed.
 *
 * @return A coap_print_status_t: the character count, possibly with
 *         COAP_PRINT_STATUS_TRUNC, or COAP_PRINT_STATUS_ERROR on failure.
 */
coap_print_status_t coap_print_link(const coap_resource_t *resource,
                                    unsigned char *buf,
                                    size_t *len,
                                    size_t *offset);

/**
 * Writes the ".well-known/core" listing of the resources of @p context
 * into @p buf.
 *
 * @param context      Context whose resources are listed.
 * @param buf          Output buffer.
 * @param buflen       In: size of @p buf. Out: number of bytes written
 *                     (undefined after an error).
 * @param offset       Position within the complete listing at which output
 *                     starts (for Block2 paging).
 * @param query_filter Optional link-format query (e.g. "rt=temp") selecting
 *                     which resources are listed, or @c NULL.
 *
 * @return A coap_print_status_t: the byte count, possibly with
 *         COAP_PRINT_STATUS_TRUNC, or COAP_PRINT_STATUS_ERROR on failure.
 */
COAP_API coap_print_status_t coap_print_wellknown(coap_context_t *context,
                                                  unsigned char *buf,
                                                  size_t *buflen,
                                                  size_t offset,
                                                  const coap_string_t *query_filter);

/** @} */

/**
 * Marks @p r as changed so its observers get notified.
 *
 * @deprecated Use coap_resource_notify_observers().
 *
 * @param r     The changed resource.
 * @param query Only notify observers that used this query, or @c NULL.
 *
 * @return @c 1 if notifications were scheduled, @c 0 otherwise.
 */
COAP_DEPRECATED COAP_API int coap_resource_set_dirty(coap_resource_t *r,
                                                     const coap_string_t *query);

#ifdef __cplusplus
}
#endif

#endif /* COAP_RESOURCE_H_ */
