// Server side of an exchange: a request is checked, matched to a resource
// and method, handed to the application's handler, and the response it
// filled in is sent back (piggybacked on the ACK for CON requests).
#include <cstring>

#include "core/blockwise.h"
#include "core/context.h"
#include "core/exchange.h"
#include "core/mcast.h"
#include "core/messaging.h"
#include "core/observe.h"
#include "core/wellknown.h"
#include "runtime/log.h"
#include "wire/pdu.h"
#include "wire/uri_options.h"

namespace coap {

namespace {

// Request paths up to this length are looked up without allocating.
constexpr size_t kPathOnStack = 256;

// Critical options this library understands without registration.
bool known_critical(uint16_t number) {
  switch (number) {
    case COAP_OPTION_IF_MATCH:
    case COAP_OPTION_URI_HOST:
    case COAP_OPTION_IF_NONE_MATCH:
    case COAP_OPTION_URI_PORT:
    case COAP_OPTION_URI_PATH:
    case COAP_OPTION_URI_QUERY:
    case COAP_OPTION_ACCEPT:
    case COAP_OPTION_BLOCK2:
    case COAP_OPTION_BLOCK1:
    case COAP_OPTION_PROXY_URI:
    case COAP_OPTION_PROXY_SCHEME:
      return true;
    default:
      return false;
  }
}

// Collects unrecognised critical options (RFC 7252 section 5.4.1) into
// `unknown`; true if there were any.
bool find_unknown_critical(const coap_context_t *ctx, const coap_pdu_t *pdu,
                           coap_opt_filter_t *unknown) {
  bool any = false;
  pdu->visit_options([&](uint16_t number, const uint8_t *, size_t) {
    if ((number & 1) && !known_critical(number) &&
        !coap_option_filter_get(const_cast<coap_opt_filter_t *>(&ctx->known_options), number)) {
      if (!any) coap_option_filter_clear(unknown);
      coap_option_filter_set(unknown, number);
      any = true;
    }
    return true;
  });
  return any;
}

// No-Response (RFC 7967): does the request ask not to get this class?
bool response_suppressed(const coap_pdu_t *request, coap_pdu_code_t code) {
  size_t length = 0;
  const uint8_t *value = request->find_option(COAP_OPTION_NORESPONSE, &length);
  if (!value) return false;
  unsigned bits = coap_decode_var_bytes(value, length);
  switch (code >> 5) {
    case 2:
      return bits & 0x02;
    case 4:
      return bits & 0x08;
    case 5:
      return bits & 0x10;
    default:
      return false;
  }
}

// The skeleton handed to the request handler: piggybacked on the ACK for a
// CON request, a NON (with the request's message id, as libcoap does) for
// a NON request; the request's token.
coap_pdu_t *new_response(coap_session_t *s, const coap_pdu_t *request) {
  coap_pdu_type_t type = request->type == COAP_MESSAGE_CON ? COAP_MESSAGE_ACK : COAP_MESSAGE_NON;
  // A separate response to a CON request is a CON itself (core/async.h).
  if (type == COAP_MESSAGE_ACK && async_answering(s, request)) type = COAP_MESSAGE_CON;
  // Reliable transports have no types; handlers see CON, as in libcoap.
  if (s->reliable()) type = COAP_MESSAGE_CON;
  coap_pdu_t *response =
      s->context->new_pdu(type, COAP_EMPTY_CODE, request->mid, s->max_pdu_size());
  if (response && !response->add_token(request->token(), request->token_length())) {
    coap_pdu_t::destroy(response);
    return nullptr;
  }
  return response;
}

// The answer to a saved request of a separate response (core/async.h): a
// message of its own, CON for a CON request, with the message id the saved
// copy took. Left empty (or suppressed by No-Response), nothing is sent;
// libcoap 4.3.5 sends an empty CON with the token in that case, which is
// malformed (RFC 7252 section 4.1), so we do not.
void finish_separate_response(coap_session_t *s, const coap_pdu_t *request, coap_pdu_t *response,
                              uint64_t now) {
  if (response->code == COAP_EMPTY_CODE || response_suppressed(request, response->code)) {
    coap_pdu_t::destroy(response);
    return;
  }
  response->type = request->type == COAP_MESSAGE_CON ? COAP_MESSAGE_CON : COAP_MESSAGE_NON;
  response->mid = request->mid;
  send_pdu(s, response, now);
}

// Sends the response (or the empty ACK when the handler left the code
// empty) and keeps the bytes for duplicate requests.
void finish_response(coap_session_t *s, const coap_pdu_t *request, coap_pdu_t *response,
                     uint64_t now, const McastPolicy &mcast) {
  bool is_con = request->type == COAP_MESSAGE_CON;
  if (async_answering(s, request)) {
    finish_separate_response(s, request, response, now);
    return;
  }
  if (mcast.active) {
    // Group requests are NON; the answer may be suppressed (RFC 7252
    // section 8.2 and RFC 7967) or sent after a random leisure delay.
    if (response->code == COAP_EMPTY_CODE || response_suppressed(request, response->code) ||
        mcast_suppressed(mcast, response)) {
      coap_pdu_t::destroy(response);
    } else if (mcast.delay) {
      send_after_leisure(s, response, now);
    } else {
      transmit(s, response, now);
      coap_pdu_t::destroy(response);
    }
    return;
  }
  if (response->code == COAP_EMPTY_CODE || response_suppressed(request, response->code)) {
    if (is_con) {
      // An empty ACK carries no token, options or payload.
      response->type = COAP_MESSAGE_ACK;
      response->code = COAP_EMPTY_CODE;
      response->update_token(nullptr, 0);
      response->clear_after_token();
    } else {
      coap_pdu_t::destroy(response);
      return;
    }
  }
  if (response->type == COAP_MESSAGE_CON) {
    // The handler asked for a separate, confirmable response: the request
    // itself is acknowledged now.
    if (is_con) send_empty(s, COAP_MESSAGE_ACK, request->mid, now);
    if (response->mid == request->mid) response->mid = s->next_mid();
    send_pdu(s, response, now);
    return;
  }
  if (transmit(s, response, now) && !s->reliable()) {
    s->context->dedup.set_reply(s->serial, static_cast<uint16_t>(request->mid),
                                response->wire_begin(), response->wire_size());
  }
  coap_pdu_t::destroy(response);
}

void send_error(coap_session_t *s, const coap_pdu_t *request, coap_pdu_code_t code,
                const coap_opt_filter_t *copy_options, uint64_t now, const McastPolicy &mcast) {
  coap_pdu_t *response = make_error_response(request, code, copy_options, s->max_pdu_size());
  if (response) finish_response(s, request, response, now, mcast);
}

}  // namespace

coap_pdu_t *make_error_response(const coap_pdu_t *request, coap_pdu_code_t code,
                                const coap_opt_filter_t *copy_options, size_t max_size) {
  coap_pdu_type_t type = request->type == COAP_MESSAGE_CON ? COAP_MESSAGE_ACK : COAP_MESSAGE_NON;
  coap_pdu_t *response = coap_pdu_t::create(type, code, request->mid, max_size);
  if (!response) return nullptr;
  if (!response->add_token(request->token(), request->token_length())) {
    coap_pdu_t::destroy(response);
    return nullptr;
  }
  if (copy_options) {
    coap_opt_filter_t filter = *copy_options;
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    if (coap_option_iterator_init(request, &it, &filter)) {
      while ((opt = coap_option_next(&it)) != nullptr) {
        response->add_option(it.number, coap_opt_value(opt), coap_opt_length(opt));
      }
    }
  }
  if (const char *phrase = coap_response_phrase(code)) {
    size_t n = std::strlen(phrase);
    if (uint8_t *p = response->add_payload(n)) std::memcpy(p, phrase, n);
  }
  return response;
}

void handle_request(coap_session_t *s, coap_pdu_t *request, uint64_t now) {
  coap_context_t *ctx = s->context;
  McastPolicy mcast;  // inactive unless the request was sent to a group
  bool to_group = s->local_is_group;
  if (to_group && request->type == COAP_MESSAGE_CON) {
    LOGD("dropping a confirmable request sent to a multicast group\n");
    return;
  }
  // A request repeated while its separate response is pending is only
  // acknowledged again (core/async.h).
  if (async_absorbs(s, request, now)) return;

  coap_opt_filter_t unknown;
  if (find_unknown_critical(ctx, request, &unknown)) {
    LOGD("request with unrecognised critical options\n");
    if (request->type == COAP_MESSAGE_CON) {
      send_error(s, request, COAP_RESPONSE_CODE_BAD_OPTION, &unknown, now, mcast);
    } else {
      send_empty(s, COAP_MESSAGE_RST, request->mid, now);
    }
    return;
  }

  // The path as coap_get_uri_path() gives it, built on the stack when it
  // is short (the usual case) to keep allocation off the request path.
  uint8_t path_buf[kPathOnStack];
  size_t plen = 0;
  const uint8_t *p = path_buf;
  coap_string_t *path = nullptr;
  if (!wire::path_into(request, path_buf, sizeof(path_buf), &plen)) {
    path = coap_get_uri_path(request);
    p = path ? path->s : reinterpret_cast<const uint8_t *>("");
    plen = path ? path->length : 0;
  }
  coap_resource_t *resource = ctx->find_resource(p, plen);
  bool wellknown = !resource && is_wellknown_path(p, plen);
  if (!resource && !wellknown) resource = ctx->unknown_resource;
  coap_delete_string(path);

  if (to_group) {
    if (!wellknown && !mcast_allowed(ctx, resource)) {
      LOGD("resource does not answer multicast requests\n");
      return;
    }
    mcast = mcast_policy(ctx, wellknown ? nullptr : resource);
  }

  if (wellknown) {
    if (request->code == COAP_REQUEST_CODE_GET) {
      coap_pdu_t *response = new_response(s, request);
      if (response) {
        answer_wellknown(s, request, response);
        finish_response(s, request, response, now, mcast);
      }
    } else {
      send_error(s, request, COAP_RESPONSE_CODE_NOT_ALLOWED, nullptr, now, mcast);
    }
    return;
  }
  if (!resource) {
    send_error(s, request, COAP_RESPONSE_CODE_NOT_FOUND, nullptr, now, mcast);
    return;
  }
  coap_method_handler_t handler = resource->handler_for(request->code);
  if (!handler) {
    // The catch-all resource only stands in for the methods it handles;
    // for others the path simply does not exist.
    coap_pdu_code_t code =
        resource->is_unknown ? COAP_RESPONSE_CODE_NOT_FOUND : COAP_RESPONSE_CODE_NOT_ALLOWED;
    send_error(s, request, code, nullptr, now, mcast);
    return;
  }
  // RFC 8132 section 2: a FETCH says what its payload is; without a
  // Content-Format the request cannot be understood.
  if (request->code == COAP_REQUEST_CODE_FETCH &&
      !request->has_option(COAP_OPTION_CONTENT_FORMAT)) {
    send_error(s, request, COAP_RESPONSE_CODE_UNSUPPORTED_CONTENT_FORMAT, nullptr, now, mcast);
    return;
  }

  coap_pdu_t *response = new_response(s, request);
  if (!response) return;
  coap_string_t *query = coap_get_query(request);
  // Block-wise transfers (core/blockwise.h) may answer without the handler
  // (2.31 Continue, a later Block2 block) or hand it a reassembled body.
  blockwise::RequestState blocks;
  bool call_handler =
      !blockwise::server_before_handler(s, request, response, resource, query, &blocks, now);
  if (call_handler) {
    // Observe (core/observe.h): (de)registration and the Observe option
    // around the handler.
    observe::RequestState observing = observe::before_handler(s, resource, request, response, now);
    if (!observing.skip_handler) {
      // Calls the handler makes into the API use this dispatch's time.
      ctx->handler_now = now;
      ctx->in_handler = true;
      handler(resource, s, request, query, response);
      ctx->in_handler = false;
    }
    observe::after_handler(observing, s, resource, request, response);
  }
  blockwise::server_after_handler(s, request, response, resource, query, &blocks, call_handler);
  coap_delete_string(query);
  finish_response(s, request, response, now, mcast);
}

}  // namespace coap
