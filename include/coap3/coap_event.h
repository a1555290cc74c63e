/* coap_event.h: session/transport event codes and the event callback registration
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_event.h
 * @brief Event codes reported to the application and how to receive them.
 */

#ifndef COAP_EVENT_H_
#define COAP_EVENT_H_

#include "libcoap.h"
#include "coap_forward_decls.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup events Event Handling
 * Notifications about things happening below the request/response level
 * (transport state changes, failures, retransmissions, ...).
 * @{
 */

/**
 * Identifies an event passed to a coap_event_handler_t. The numeric values
 * are grouped by the layer the event comes from.
 */
typedef enum {
  /* ---- (D)TLS layer (COAP_PROTO_DTLS / COAP_PROTO_TLS) ---- */
  /** The (D)TLS session has been shut down. */
  COAP_EVENT_DTLS_CLOSED       = 0x0000,
  /** The (D)TLS handshake completed. */
  COAP_EVENT_DTLS_CONNECTED    = 0x01DE,
  /** The (D)TLS session went through a renegotiation. */
  COAP_EVENT_DTLS_RENEGOTIATE  = 0x01DF,
  /** The (D)TLS layer reported an error. */
  COAP_EVENT_DTLS_ERROR        = 0x0200,

  /* ---- TCP layer (COAP_PROTO_TCP / COAP_PROTO_TLS) ---- */
  /** The TCP connection is up. */
  COAP_EVENT_TCP_CONNECTED     = 0x1001,
  /** The TCP connection has been closed. */
  COAP_EVENT_TCP_CLOSED        = 0x1002,
  /** The TCP connection failed. */
  COAP_EVENT_TCP_FAILED        = 0x1003,

  /* ---- CSM signalling, reliable transports only ---- */
  /** Capabilities and Settings Messages have been exchanged; session usable. */
  COAP_EVENT_SESSION_CONNECTED = 0x2001,
  /** A session that had completed the CSM exchange has been closed. */
  COAP_EVENT_SESSION_CLOSED    = 0x2002,
  /** A session that had completed the CSM exchange has failed. */
  COAP_EVENT_SESSION_FAILED    = 0x2003,

  /* ---- Block-wise (Block / Q-Block) transfer problems ---- */
  /** A large body was only partly received. */
  COAP_EVENT_PARTIAL_BLOCK     = 0x3001,
  /** Sending a large body could not be completed. */
  COAP_EVENT_XMIT_BLOCK_FAIL   = 0x3002,

  /* ---- Server side session life cycle ---- */
  /**
   * An incoming connection caused a new server session to be created while
   * running the I/O loop. The session may not be fully set up yet (e.g. a
   * DTLS handshake can still be in progress).
   */
  COAP_EVENT_SERVER_SESSION_NEW = 0x4001,
  /**
   * A server session is about to be removed (for instance after being idle
   * too long, or to respect the idle session limit). Its data is still
   * readable while the handler runs.
   */
  COAP_EVENT_SERVER_SESSION_DEL = 0x4002,

  /* ---- Message level ---- */
  /** A packet that could not be parsed was received. */
  COAP_EVENT_BAD_PACKET         = 0x5001,
  /** A message has been sent again as a retransmission. */
  COAP_EVENT_MSG_RETRANSMITTED  = 0x5002,

  /* ---- OSCORE ---- */
  /** Decrypting an OSCORE protected message failed. */
  COAP_EVENT_OSCORE_DECRYPTION_FAILURE = 0x6001,
  /** An OSCORE message arrived but OSCORE is not enabled. */
  COAP_EVENT_OSCORE_NOT_ENABLED,           /* 0x6002 */
  /** An OSCORE message carried no protected payload. */
  COAP_EVENT_OSCORE_NO_PROTECTED_PAYLOAD,  /* 0x6003 */
  /** No matching OSCORE security context could be found. */
  COAP_EVENT_OSCORE_NO_SECURITY,           /* 0x6004 */
  /** OSCORE processing hit an internal failure (e.g. out of memory). */
  COAP_EVENT_OSCORE_INTERNAL_ERROR,        /* 0x6005 */
  /** The OSCORE option could not be decoded. */
  COAP_EVENT_OSCORE_DECODE_ERROR,          /* 0x6006 */

  /* ---- WebSockets ---- */
  /** A WebSockets frame exceeded the allowed size. */
  COAP_EVENT_WS_PACKET_SIZE = 0x7001,
  /** The WebSockets layer is established. */
  COAP_EVENT_WS_CONNECTED,                 /* 0x7002 */
  /** The WebSockets layer has been closed. */
  COAP_EVENT_WS_CLOSED,                    /* 0x7003 */

  /* ---- Keepalive ---- */
  /** A keepalive (ping) went unanswered. */
  COAP_EVENT_KEEPALIVE_FAILURE = 0x8001
} coap_event_t;

/**
 * Application callback receiving events for a context, installed with
 * coap_register_event_handler().
 *
 * @param session The session the event relates to.
 * @param event   Which event happened.
 *
 * @return @c 0 when the library need not do anything further; @c 1 allows
 *         the library to take follow-up action where it supports that
 *         (currently reserved).
 */
typedef int (*coap_event_handler_t)(coap_session_t *session,
                                    const coap_event_t event);

/**
 * Installs @p hnd as the event callback of @p context, replacing whatever
 * handler was installed before.
 *
 * @param context Context whose events are to be reported.
 * @param hnd     Callback to install, or @c NULL to remove the current one.
 */
void coap_register_event_handler(coap_context_t *context,
                                 coap_event_handler_t hnd);

/** @} */

/**
 * Older name for installing the event callback of @p context.
 *
 * @deprecated Call coap_register_event_handler() instead.
 *
 * @param context Context whose events are to be reported.
 * @param hnd     Callback to install.
 */
COAP_DEPRECATED
void coap_set_event_handler(coap_context_t *context,
                            coap_event_handler_t hnd);

/**
 * Removes the event callback installed on @p context.
 *
 * @deprecated Call coap_register_event_handler() with a @c NULL handler.
 *
 * @param context Context whose event callback is dropped.
 */
COAP_DEPRECATED
void coap_clear_event_handler(coap_context_t *context);

#ifdef __cplusplus
}
#endif

#endif /* COAP_EVENT_H_ */
