// Block-wise transfer engine (RFC 7959, Request-Tag from RFC 9175) with
// libcoap 4.3.5's semantics, switched on per session by
// coap_context_set_block_mode(COAP_BLOCK_USE_LIBCOAP [| ...]).
//
//   client, sending a large body (Block1):     coap_add_data_large_request()
//       keeps an LgXmit; each 2.31 (or 2.xx) with Block1 makes it send the
//       next block, until the last one is acknowledged.
//   client, receiving a large body (Block2):   every request sent with
//       coap_send() gets an LgCrcv that asks for the following blocks and
//       hands the application either each block or the whole body.
//   server, sending a large body (Block2):     coap_add_data_large_response()
//       keeps an LgXmit keyed by resource, method, query and Request-Tag;
//       later Block2 requests are answered from it without the handler.
//   server, receiving a large body (Block1):   an LgSrcv keyed by resource
//       (or URI path) and Request-Tag collects the blocks, answering 2.31.
//
// The engine never reads the clock or touches sockets: hooks take `now`.
// This header is what the shared core files call; the state itself lives in
// core/blockwise_state.h.
//
// Observe (core/observe.*, written separately) interplay:
//  - Server: a notification is built by calling the resource's GET/FETCH
//    handler with a response that already carries the Observe option; when
//    that handler uses coap_add_data_large_response() the Observe option is
//    copied into the LgXmit skeleton and is sent with block 0 only (later
//    blocks, fetched by the client with Block2 requests, are served by
//    server_before_handler() without Observe). Nothing else is needed from
//    the observe code, except that it should answer an Observe register
//    request carrying Block2 with NUM != 0 with 4.00 (as libcoap does).
//  - Client: LgCrcv remembers the Observe value of block 0 and stays alive
//    while the observation does (it does not expire); each complete
//    notification body is delivered under the registering request's token.
//    In block mode libcoap 4.3.5 cancels observations from this state:
//    coap_cancel_observe() (owned by the observe code) should first call
//    blockwise::cancel_observe() when the session has
//    COAP_BLOCK_USE_LIBCOAP, and use its own registry otherwise.
//    blockwise::send() (coap_send() in block mode) turns an application's
//    Observe=1 request into that same cancellation, as libcoap does.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::blockwise {

// --- session life cycle (session.cc) ---------------------------------------

// Drops every transfer of the session (release callbacks are called).
void release_session(coap_session_t *session);

// --- client side --------------------------------------------------------------

// coap_send() for sessions in block mode: adds Request-Tag, sets up the
// state that follows Block2 responses, routes Observe cancellation. Takes
// pdu like send_pdu().
coap_mid_t send(coap_session_t *session, coap_pdu_t *pdu, uint64_t now);

// A response arrived on a session in block mode (client.cc). True when the
// engine has dealt with it completely (next block requested and the
// response acknowledged, or the application already called); false when
// the caller should deliver `response` (possibly rewritten: original token,
// whole body, Block option removed) to the application as usual.
bool client_response(coap_session_t *session, coap_pdu_t *sent, coap_pdu_t *response, uint64_t now);

// One of our requests failed (no ACK, RST): puts the application's token
// back into `sent` before the nack handler sees it.
void client_failed(coap_session_t *session, coap_pdu_t *sent);

// coap_add_data_large_request().
int add_data_large_request(coap_session_t *session, coap_pdu_t *pdu, size_t length,
                           const uint8_t *data, coap_release_large_data_t release_func,
                           void *app_ptr, uint64_t now);

// Block mode part of coap_cancel_observe(): sends the Observe
// deregistration for the observation started with `token` (nullptr: the
// empty token), built from the registering request (its options and body).
// False when no such observation is followed here.
bool cancel_observe(coap_session_t *session, const coap_binary_t *token, coap_pdu_type_t type,
                    uint64_t now);

// --- server side --------------------------------------------------------------

// What server_before_handler() found out, for server_after_handler().
struct RequestState {
  bool added_block = false;       // per-block Block1 delivery with more to come
  void *finished_srcv = nullptr;  // reassembled body handed to the handler
};

// Called once the resource and its handler are known, before the handler
// (server.cc). May rewrite `request` (whole reassembled body, Block1
// removed). True when the handler must not be called: `response` is
// complete (2.31 Continue, a Block2 block served from memory, an error) or
// left empty (an empty ACK).
bool server_before_handler(coap_session_t *session, coap_pdu_t *request, coap_pdu_t *response,
                           coap_resource_t *resource, const coap_string_t *query,
                           RequestState *state, uint64_t now);

// Called after the handler ran (or was skipped) and before the response is
// sent: completes the LgXmit the handler may have created, frees a finished
// upload, and fixes the code / Block1 option as libcoap does.
void server_after_handler(coap_session_t *session, const coap_pdu_t *request, coap_pdu_t *response,
                          coap_resource_t *resource, const coap_string_t *query,
                          RequestState *state, bool handler_called);

// coap_add_data_large_response().
int add_data_large_response(coap_resource_t *resource, coap_session_t *session,
                            const coap_pdu_t *request, coap_pdu_t *response,
                            const coap_string_t *query, uint16_t media_type, int maxage,
                            uint64_t etag, size_t length, const uint8_t *data,
                            coap_release_large_data_t release_func, void *app_ptr, uint64_t now);

}  // namespace coap::blockwise
