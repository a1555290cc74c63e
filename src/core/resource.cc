#include "core/resource.h"

#include <cstring>

#include "core/context.h"
#include "core/observe.h"
#include "util/memory.h"

coap_resource_t *coap_resource_t::create(coap_str_const_t *uri_path, int flags) {
  coap_resource_t *r = coap::create<coap_resource_t>();
  if (!r) return nullptr;
  r->uri_path = uri_path;
  r->flags = flags;
  return r;
}

void coap_resource_t::destroy(coap_resource_t *r) {
  if (!r) return;
  // Its observers get a 4.04 and are dropped (core/observe.h).
  coap::observe::resource_destroying(r);
  for (coap_attr_t *a = r->attributes; a;) {
    coap_attr_t *next = a->next;
    if (a->flags & COAP_ATTR_FLAGS_RELEASE_NAME) coap_delete_str_const(a->name);
    if (a->flags & COAP_ATTR_FLAGS_RELEASE_VALUE) coap_delete_str_const(a->value);
    coap::destroy(a);
    a = next;
  }
  if (r->context && r->context->release_userdata && r->user_data) {
    r->context->release_userdata(r->user_data);
  }
  if (r->flags & COAP_RESOURCE_FLAGS_RELEASE_URI) coap_delete_str_const(r->uri_path);
  for (size_t i = 0; i < r->proxy_name_count; ++i) coap_delete_str_const(r->proxy_names[i]);
  coap::deallocate(r->proxy_names);
  coap::destroy(r);
}
