// The build without (D)TLS has no engine: secure sessions are refused by
// the callers when create_backend() answers nullptr.
#include "core/tls_engine.h"

namespace coap::tls {

Backend *create_backend(coap_context_t *context) {
  (void)context;
  return nullptr;
}

void destroy_backend(Backend *backend) {
  (void)backend;
}

}  // namespace coap::tls
