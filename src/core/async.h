// Separate responses (RFC 7252 section 5.2.2) as coap_async.h offers them:
// a request handler registers the request and leaves the response empty,
// so a CON request is acknowledged with an empty ACK; when the delay runs
// out (or the application triggers it) the resource's handler is called
// again with a copy of the request to fill in the real response, which
// goes out as a CON of its own (for a CON request) or a NON, with the
// original token.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "util/intrusive_list.h"
#include "util/timer_queue.h"

struct coap_async_t {
  coap_session_t *session = nullptr;  // referenced while registered
  coap_pdu_t *pdu = nullptr;          // the request copy (own message id)
  uint64_t due = 0;                   // ms tick to answer at; 0: wait for a trigger
  void *app_data = nullptr;
  bool firing = false;  // the handler is being called for it right now
  coap::Timer timer;
  coap::ListHook link;  // in the context's list
};

namespace coap {

using AsyncList = IntrusiveList<coap_async_t, &coap_async_t::link>;

// coap_register_async(): keeps a copy of request (payload included, with a
// message id of its own) and answers it after delay ms, or when triggered
// if delay is 0. nullptr when request is not a request or its token is
// already registered on the session.
coap_async_t *register_async(coap_session_t *session, const coap_pdu_t *request, uint64_t delay,
                             uint64_t now);
// Answers after delay ms from now; 0: only when triggered.
void set_async_delay(coap_async_t *async, uint64_t delay, uint64_t now);
// Answers as soon as the timers next run.
void trigger_async(coap_async_t *async, uint64_t now);
coap_async_t *find_async(const coap_session_t *session, const uint8_t *token, size_t length);
// Forgets the registration (its session reference is released).
void free_async(coap_async_t *async);

// Server hook, called for every incoming request: when its token belongs
// to a registration that is still waiting, the request is only
// acknowledged (again) and true is returned: it must not reach a handler.
bool async_absorbs(coap_session_t *session, const coap_pdu_t *request, uint64_t now);

// Server hook: is request the saved copy of a registration being answered
// right now? Its response is then a separate one (see finish_response).
bool async_answering(const coap_session_t *session, const coap_pdu_t *request);

// Teardown hooks: all registrations of a context; the registrations of a
// session that is being freed (without touching its reference count).
void free_all_async(coap_context_t *context);
void drop_session_async(coap_session_t *session);

}  // namespace coap
