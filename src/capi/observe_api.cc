// coap_subscribe.h / coap_resource.h: Observe (RFC 7641) for applications.
// The protocol logic lives in core/observe*.cc.
#include "capi/api_lock.h"
#include "core/context.h"
#include "core/observe.h"
#include "core/resource.h"
#include "runtime/clock.h"
#include "runtime/log.h"

using coap::ApiLock;

extern "C" {

void coap_resource_set_get_observable(coap_resource_t *resource, int mode) {
  if (!resource) return;
  ApiLock lock(resource->context);
  // Existing observers are kept while the resource is not observable; they
  // are notified again once it is (as libcoap does).
  resource->observable = mode != 0;
}

int coap_resource_notify_observers(coap_resource_t *resource, const coap_string_t *query) {
  (void)query;  // documented as obsolete and ignored: every observer is notified
  if (!resource) return 0;
  ApiLock lock(resource->context);
  return coap::observe::notify_observers(resource, lock.now());
}

int coap_resource_set_dirty(coap_resource_t *resource, const coap_string_t *query) {
  return coap_resource_notify_observers(resource, query);
}

void coap_check_notify(coap_context_t *context) {
  if (!context) return;
  ApiLock lock(context);
  coap::observe::check_notify(context, lock.now());
}

int coap_cancel_observe(coap_session_t *session, coap_binary_t *token,
                        coap_pdu_type_t message_type) {
  if (!session) return 0;
  ApiLock lock(session);
  // A NULL token means the empty token.
  const uint8_t *t = token ? token->s : nullptr;
  size_t length = token ? token->length : 0;
  if (length && !t) return 0;
  return coap::observe::cancel(session, t, length, message_type, lock.now());
}

}  // extern "C"
