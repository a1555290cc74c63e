// Serialises public calls on one context (COAP_THREAD_SAFE): every entry
// point that touches a context, or a session/endpoint/resource of it, holds
// the context's recursive lock. Callbacks run with the lock held, so they
// may call back into the API.
#pragma once

#include "core/context.h"
#include "core/session.h"
#include "runtime/clock.h"

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
  // The time for the call into the core: inside a request handler, the
  // time of the dispatch that runs it (one clock for the whole exchange,
  // which lets tests drive the core with a fake clock, and no clock read
  // per request); otherwise the system clock.
  uint64_t now() const { return ctx_ && ctx_->in_handler ? ctx_->handler_now : clock::ticks_ms(); }
  ApiLock(const ApiLock &) = delete;
  ApiLock &operator=(const ApiLock &) = delete;

 private:
  coap_context_t *ctx_;
};

}  // namespace coap
