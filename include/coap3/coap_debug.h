/* coap_debug.h: log levels, logging macros and functions, PDU/address dumping helpers
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_debug.h
 * @brief Logging and diagnostic output.
 */

#ifndef COAP_DEBUG_H_
#define COAP_DEBUG_H_

#include <stddef.h>
#include <stdint.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_pdu.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup logging Logging
 * Log level control, log output redirection and diagnostic dumps.
 * @{
 */

#ifndef COAP_DEBUG_FD
/** Stream that receives log lines of level COAP_LOG_ERR and above
 *  (i.e. the less severe ones, up to COAP_LOG_OSCORE). */
#define COAP_DEBUG_FD stdout
#endif

#ifndef COAP_ERR_FD
/** Stream that receives log lines of the severe levels COAP_LOG_EMERG
 *  to COAP_LOG_CRIT. */
#define COAP_ERR_FD stderr
#endif

#ifndef COAP_MAX_LOGGING_LEVEL
/** Highest level for which the coap_log_*() convenience macros generate code;
 *  calls above it compile to nothing. May be lowered by the application. */
#define COAP_MAX_LOGGING_LEVEL 8
#endif

/**
 * Severity of a log message. The numbering follows syslog(3): a smaller
 * value is more severe. COAP_LOG_DTLS_BASE is added to the level of messages
 * that originate from the (D)TLS layer when handed to a log handler.
 */
typedef enum {
  COAP_LOG_EMERG = 0, /**< system unusable (0) */
  COAP_LOG_ALERT,     /**< immediate action needed (1) */
  COAP_LOG_CRIT,      /**< critical condition (2) */
  COAP_LOG_ERR,       /**< error (3) */
  COAP_LOG_WARN,      /**< warning, the default level (4) */
  COAP_LOG_NOTICE,    /**< normal but noteworthy (5) */
  COAP_LOG_INFO,      /**< informational (6) */
  COAP_LOG_DEBUG,     /**< debugging detail (7) */
  COAP_LOG_OSCORE,    /**< OSCORE debugging detail (8) */
  COAP_LOG_DTLS_BASE, /**< offset marking (D)TLS originated messages (9) */
} coap_log_t;

/** Older name of COAP_LOG_DTLS_BASE, kept for source compatibility. */
#define COAP_LOG_CIPHERS COAP_LOG_DTLS_BASE

/* Plain integer copies of the levels, usable in preprocessor conditions. */
#define _COAP_LOG_EMERG  0
#define _COAP_LOG_ALERT  1
#define _COAP_LOG_CRIT   2
#define _COAP_LOG_ERR    3
#define _COAP_LOG_WARN   4
#define _COAP_LOG_NOTICE 5
#define _COAP_LOG_INFO   6
#define _COAP_LOG_DEBUG  7
#define _COAP_LOG_OSCORE 8

/** Does nothing; stands in for log calls compiled out by
 *  COAP_MAX_LOGGING_LEVEL. */
COAP_STATIC_INLINE void
coap_no_log(void) {
}

/*
 * coap_log_<level>(fmt, ...): printf-style shorthands for coap_log() at a
 * fixed level. Levels above COAP_MAX_LOGGING_LEVEL turn into coap_no_log(),
 * in which case the arguments are not evaluated.
 */
#define coap_log_emerg(...) coap_log(COAP_LOG_EMERG, __VA_ARGS__)

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_ALERT
#define coap_log_alert(...) coap_log(COAP_LOG_ALERT, __VA_ARGS__)
#else
#define coap_log_alert(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_CRIT
#define coap_log_crit(...) coap_log(COAP_LOG_CRIT, __VA_ARGS__)
#else
#define coap_log_crit(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_ERR
#define coap_log_err(...) coap_log(COAP_LOG_ERR, __VA_ARGS__)
#else
#define coap_log_err(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_WARN
#define coap_log_warn(...) coap_log(COAP_LOG_WARN, __VA_ARGS__)
#else
#define coap_log_warn(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_NOTICE
#define coap_log_notice(...) coap_log(COAP_LOG_NOTICE, __VA_ARGS__)
#else
#define coap_log_notice(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_INFO
#define coap_log_info(...) coap_log(COAP_LOG_INFO, __VA_ARGS__)
#else
#define coap_log_info(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_DEBUG
#define coap_log_debug(...) coap_log(COAP_LOG_DEBUG, __VA_ARGS__)
#else
#define coap_log_debug(...) coap_no_log()
#endif

#if COAP_MAX_LOGGING_LEVEL >= _COAP_LOG_OSCORE
#define coap_log_oscore(...) coap_log(COAP_LOG_OSCORE, __VA_ARGS__)
#else
#define coap_log_oscore(...) coap_no_log()
#endif

/*
 * Legacy syslog-style names, mapped onto the CoAP levels unless <syslog.h>
 * (or the application) already provides them. Deprecated: new code should
 * use the COAP_LOG_* names.
 */
#ifndef LOG_EMERG
#define LOG_EMERG COAP_LOG_EMERG
#endif
#ifndef LOG_ALERT
#define LOG_ALERT COAP_LOG_ALERT
#endif
#ifndef LOG_CRIT
#define LOG_CRIT COAP_LOG_CRIT
#endif
#ifndef LOG_ERR
#define LOG_ERR COAP_LOG_ERR
#endif
#ifndef LOG_WARNING
#define LOG_WARNING COAP_LOG_WARN
#endif
#ifndef LOG_NOTICE
#define LOG_NOTICE COAP_LOG_NOTICE
#endif
#ifndef LOG_INFO
#define LOG_INFO COAP_LOG_INFO
#endif
#ifndef LOG_DEBUG
#define LOG_DEBUG COAP_LOG_DEBUG
#endif

/**
 * Reports the level currently used to filter coap_log() output.
 *
 * @return The active COAP_LOG_* threshold.
 */
coap_log_t coap_get_log_level(void);

/**
 * Changes the threshold for coap_log() output: messages whose level is
 * numerically greater than @p level are suppressed.
 *
 * @param level New COAP_LOG_* threshold.
 */
void coap_set_log_level(coap_log_t level);

/**
 * Changes the threshold applied to messages coming from the (D)TLS layer
 * (coap_dtls_log()).
 *
 * @param level New COAP_LOG_* threshold for (D)TLS messages.
 */
void coap_dtls_set_log_level(coap_log_t level);

/**
 * Reports the threshold applied to (D)TLS layer messages.
 *
 * @return The active COAP_LOG_* threshold for (D)TLS messages.
 */
coap_log_t coap_dtls_get_log_level(void);

/**
 * Gives a short printable tag (a few characters) naming a log level.
 *
 * @param level The COAP_LOG_* value to describe.
 *
 * @return Static zero-terminated text for @p level.
 */
const char *coap_log_level_desc(coap_log_t level);

/**
 * Signature of an application log sink.
 *
 * @param level   Level of the message; for (D)TLS messages this is
 *                COAP_LOG_DTLS_BASE plus the COAP_LOG_* level.
 * @param message The formatted, zero-terminated message text.
 */
typedef void (*coap_log_handler_t)(coap_log_t level, const char *message);

/**
 * Routes all log output (CoAP and (D)TLS) to @p handler instead of the
 * built-in writer to COAP_DEBUG_FD / COAP_ERR_FD.
 *
 * @param handler Application sink, or NULL to restore the built-in output.
 */
void coap_set_log_handler(coap_log_handler_t handler);

/**
 * Gives the name of this library package.
 *
 * @return Static zero-terminated package name.
 */
const char *coap_package_name(void);

/**
 * Gives the version of this library package.
 *
 * @return Static zero-terminated version text.
 */
const char *coap_package_version(void);

/**
 * Gives the build identification of this library (source revision
 * description, or the version if none is known).
 *
 * @return Static zero-terminated build text.
 */
const char *coap_package_build(void);

/**
 * Back end of coap_log() and coap_dtls_log(): formats the message and hands
 * it to the log handler, or prints it to COAP_ERR_FD (levels up to
 * COAP_LOG_CRIT) or COAP_DEBUG_FD (all others). Not meant to be called
 * directly; level filtering is done by the calling macros.
 *
 * @param level  COAP_LOG_* level (plus COAP_LOG_DTLS_BASE for (D)TLS output).
 * @param format printf(3)-style format, followed by its arguments.
 */
#if defined(__GNUC__)
void coap_log_impl(coap_log_t level, const char *format, ...)
__attribute__((format(printf, 2, 3)));
#else
void coap_log_impl(coap_log_t level, const char *format, ...);
#endif

#ifndef coap_log
/**
 * Logs a printf-style message at @p level, provided @p level does not exceed
 * the threshold set by coap_set_log_level().
 *
 * @param level A COAP_LOG_* value; the remaining arguments are a format
 *              string and its values.
 */
#define coap_log(level, ...) \
  do { \
    if ((level) < (coap_get_log_level() + 1)) \
      coap_log_impl((level), __VA_ARGS__); \
  } while (0)
#endif

#ifndef coap_dtls_log
/**
 * Logs a printf-style message from the (D)TLS layer at @p level, provided
 * @p level does not exceed the threshold set by coap_dtls_set_log_level().
 * The message is passed on with COAP_LOG_DTLS_BASE added to its level.
 *
 * @param level A COAP_LOG_* value; the remaining arguments are a format
 *              string and its values.
 */
#define coap_dtls_log(level, ...) \
  do { \
    if ((int)((level)) <= (int)coap_dtls_get_log_level()) \
      coap_log_impl((level) + COAP_LOG_DTLS_BASE, __VA_ARGS__); \
  } while (0)
#endif

/**
 * Chooses where coap_show_pdu() writes.
 *
 * @param use_fprintf 1 to print straight to stdout/stderr (the default),
 *                    0 to emit the lines through coap_log().
 */
void coap_set_show_pdu_output(int use_fprintf);

/**
 * Dumps a readable decoding of @p pdu (header, token, options, payload) if
 * @p level is enabled; the destination follows coap_set_show_pdu_output().
 *
 * @param level Log level the dump is produced at.
 * @param pdu   PDU whose contents are shown.
 */
void coap_show_pdu(coap_log_t level, const coap_pdu_t *pdu);

/**
 * Logs, at @p level, which (D)TLS library is linked at run time and which
 * version the library was compiled against.
 *
 * @param level Log level the information is produced at.
 */
void coap_show_tls_version(coap_log_t level);

/**
 * Writes a description of the (D)TLS library in use (run-time and build-time
 * versions) into @p buffer.
 *
 * @param buffer  Destination for the zero-terminated text.
 * @param bufsize Capacity of @p buffer in bytes.
 *
 * @return @p buffer.
 */
char *coap_string_tls_version(char *buffer, size_t bufsize);

/**
 * Writes into @p buffer a summary of the key types and features (PSK, PKI,
 * RPK, ...) that the (D)TLS library in use supports.
 *
 * @param buffer  Destination for the zero-terminated text.
 * @param bufsize Capacity of @p buffer in bytes.
 *
 * @return @p buffer.
 */
char *coap_string_tls_support(char *buffer, size_t bufsize);

/**
 * Formats @p address (IP address and port, or socket path) as readable text.
 *
 * @param address The address to format.
 * @param buffer  Destination buffer.
 * @param size    Capacity of @p buffer in bytes.
 *
 * @return Number of characters placed in @p buffer.
 */
size_t coap_print_addr(const coap_address_t *address,
                       unsigned char *buffer, size_t size);

/**
 * Formats only the IP address part of @p address (no port) as readable text.
 *
 * @param address The address to format.
 * @param buffer  Destination buffer.
 * @param size    Capacity of @p buffer in bytes.
 *
 * @return @p buffer, holding as much of the address as fitted.
 */
const char *coap_print_ip_addr(const coap_address_t *address,
                               char *buffer, size_t size);

/** @} */

/**
 * Configures simulated packet loss, for testing retransmission handling.
 *
 * @p loss_level is either a percentage ("0%" sends everything, "100%" drops
 * everything) or a comma separated list of packet numbers and ranges
 * (e.g. "1,3-5") listing which packets are discarded.
 *
 * @param loss_level Loss specification as described above.
 *
 * @return 1 if the specification was accepted, 0 if it is invalid.
 */
int coap_debug_set_packet_loss(const char *loss_level);

#ifdef __cplusplus
}
#endif

#endif /* COAP_DEBUG_H_ */
