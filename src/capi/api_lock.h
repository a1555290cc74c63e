// Serialises public calls on one context (COAP_THREAD_SAFE): every entry
// point that touches a context, or a session/endpoint/resource of it, holds
// the context's recursive lock. Callbacks run with the lock held, so they
// may call back into the API.
#pragma once

#include "core/context.h"
#include "core/session.h"

namespace coap {

class ApiLock {
 public:
  explicit ApiLock(coap_context_t *ctx) : ctx_(ctx) {
    if (ctx_) ctx_->lock.lock();
  }
  explicit ApiLock(const coap_session_t *s) : ApiLock(s ? s->context : nullptr) {}
  ~ApiLock() {
    if (ctx_) ctx_->lock.unlock();
  }
  ApiLock(const ApiLock &) = delete;
  ApiLock &operator=(const ApiLock &) = delete;

 private:
  coap_context_t *ctx_;
};

}  // namespace coap
