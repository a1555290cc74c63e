// coap_resource.h: creating resources, registering handlers and
// attributes, and printing them in CoRE Link Format.
#include <cstring>

#include "capi/api_lock.h"
#include "core/context.h"
#include "core/link_format.h"
#include "core/resource.h"
#include "runtime/log.h"
#include "util/memory.h"

using coap::ApiLock;

namespace {

coap_resource_t *new_special(coap_method_handler_t handler, int flags) {
  // Catch-all resources have no path of their own.
  coap_resource_t *r = coap_resource_t::create(nullptr, flags & ~COAP_RESOURCE_FLAGS_RELEASE_URI);
  if (r && handler) r->handler[COAP_REQUEST_PUT - 1] = handler;
  return r;
}

}  // namespace

extern "C" {

coap_resource_t *coap_resource_init(coap_str_const_t *uri_path, int flags) {
  // With COAP_RESOURCE_FLAGS_RELEASE_URI the resource takes the caller's
  // string; otherwise it keeps its own copy (callers commonly pass the
  // short-lived result of coap_make_str_const()). NULL is the root "".
  coap_str_const_t *path = uri_path;
  if (!path || !(flags & COAP_RESOURCE_FLAGS_RELEASE_URI)) {
    path = uri_path ? coap_new_str_const(uri_path->s, uri_path->length)
                    : coap_new_str_const(reinterpret_cast<const uint8_t *>(""), 0);
    if (!path) return nullptr;
  }
  coap_resource_t *r = coap_resource_t::create(path, flags | COAP_RESOURCE_FLAGS_RELEASE_URI);
  if (!r && path != uri_path) coap_delete_str_const(path);
  return r;
}

coap_resource_t *coap_resource_unknown_init(coap_method_handler_t put_handler) {
  return coap_resource_unknown_init2(put_handler, 0);
}

coap_resource_t *coap_resource_unknown_init2(coap_method_handler_t put_handler, int flags) {
  coap_resource_t *r = new_special(put_handler, flags);
  if (r) r->is_unknown = true;
  return r;
}

coap_resource_t *coap_resource_proxy_uri_init(coap_method_handler_t handler, size_t host_name_count,
                                              const char *host_name_list[]) {
  return coap_resource_proxy_uri_init2(handler, host_name_count, host_name_list, 0);
}

coap_resource_t *coap_resource_proxy_uri_init2(coap_method_handler_t handler,
                                               size_t host_name_count, const char *host_name_list[],
                                               int flags) {
  coap_resource_t *r = new_special(nullptr, flags);
  if (!r) return nullptr;
  r->is_proxy_uri = true;
  for (coap_method_handler_t &h : r->handler) h = handler;
  if (host_name_count) {
    r->proxy_names = static_cast<coap_str_const_t **>(
        coap::allocate(host_name_count * sizeof(coap_str_const_t *)));
    if (!r->proxy_names) {
      coap_resource_t::destroy(r);
      return nullptr;
    }
    for (size_t i = 0; i < host_name_count; ++i) {
      const char *name = host_name_list && host_name_list[i] ? host_name_list[i] : "";
      r->proxy_names[i] =
          coap_new_str_const(reinterpret_cast<const uint8_t *>(name), std::strlen(name));
      if (r->proxy_names[i]) ++r->proxy_name_count;
    }
  }
  return r;
}

coap_resource_t *coap_resource_reverse_proxy_init(coap_method_handler_t handler, int flags) {
  coap_resource_t *r = new_special(nullptr, flags);
  if (!r) return nullptr;
  r->is_unknown = true;
  r->is_reverse_proxy = true;
  for (coap_method_handler_t &h : r->handler) h = handler;
  return r;
}

void coap_add_resource(coap_context_t *ctx, coap_resource_t *r) {
  if (!ctx || !r) return;
  ApiLock lock(ctx);
  if (r->is_unknown) {
    // One catch-all per context; a new one replaces the old.
    if (ctx->unknown_resource && ctx->unknown_resource != r) {
      coap_resource_t::destroy(ctx->unknown_resource);
    }
    r->context = ctx;
    ctx->unknown_resource = r;
    return;
  }
  if (r->is_proxy_uri) {
    if (ctx->proxy_uri_resource && ctx->proxy_uri_resource != r) {
      coap_resource_t::destroy(ctx->proxy_uri_resource);
    }
    r->context = ctx;
    ctx->proxy_uri_resource = r;
    return;
  }
  ctx->add_resource(r);
}

int coap_delete_resource(coap_context_t *ctx, coap_resource_t *r) {
  (void)ctx;  // documented as ignored: the resource knows its context
  if (!r) return 0;
  coap_context_t *owner = r->context;
  if (!owner) {
    coap_resource_t::destroy(r);
    return 1;
  }
  ApiLock lock(owner);
  if (!owner->remove_resource(r)) return 0;
  coap_resource_t::destroy(r);
  return 1;
}

coap_resource_t *coap_get_resource_from_uri_path(coap_context_t *ctx, coap_str_const_t *uri_path) {
  if (!ctx || !uri_path) return nullptr;
  ApiLock lock(ctx);
  return ctx->find_resource(uri_path->s, uri_path->length);
}

coap_str_const_t *coap_resource_get_uri_path(coap_resource_t *r) {
  return r ? r->uri_path : nullptr;
}

void coap_resource_set_mode(coap_resource_t *r, int mode) {
  if (!r) return;
  // Only the CON bit is switched (NOTIFY_NON is 0): like libcoap 4.3.5,
  // NOTIFY_NON_ALWAYS stays as given to coap_resource_init() (checked by
  // tests/diff/diff_observe_server.c).
  r->flags = (r->flags & ~COAP_RESOURCE_FLAGS_NOTIFY_CON) | (mode & COAP_RESOURCE_FLAGS_NOTIFY_CON);
}

void coap_resource_set_userdata(coap_resource_t *r, void *data) {
  if (r) r->user_data = data;
}

void *coap_resource_get_userdata(coap_resource_t *r) {
  return r ? r->user_data : nullptr;
}

void coap_resource_release_userdata_handler(coap_context_t *ctx,
                                            coap_resource_release_userdata_handler_t callback) {
  if (ctx) ctx->release_userdata = callback;
}

void coap_register_handler(coap_resource_t *r, coap_request_t method,
                           coap_method_handler_t handler) {
  coap_register_request_handler(r, method, handler);
}

void coap_register_request_handler(coap_resource_t *r, coap_request_t method,
                                   coap_method_handler_t handler) {
  if (!r) return;
  int m = static_cast<int>(method);
  if (m < 1 || m > coap_resource_t::kMethods) {
    LOGW("coap_register_request_handler: unknown method %d\n", m);
    return;
  }
  r->handler[m - 1] = handler;
}

coap_attr_t *coap_add_attr(coap_resource_t *r, coap_str_const_t *name, coap_str_const_t *value,
                           int flags) {
  if (!r || !name) return nullptr;
  coap_attr_t *a = coap::create<coap_attr_t>();
  if (!a) return nullptr;
  // Strings the caller does not hand over (COAP_ATTR_FLAGS_RELEASE_*) are
  // copied, so coap_make_str_const() results can be passed.
  a->name = flags & COAP_ATTR_FLAGS_RELEASE_NAME ? name : coap_new_str_const(name->s, name->length);
  a->value = !value || (flags & COAP_ATTR_FLAGS_RELEASE_VALUE)
                 ? value
                 : coap_new_str_const(value->s, value->length);
  a->flags = flags | COAP_ATTR_FLAGS_RELEASE_NAME | (a->value ? COAP_ATTR_FLAGS_RELEASE_VALUE : 0);
  if (!a->name || (value && !a->value)) {
    if (a->name != name) coap_delete_str_const(a->name);
    if (a->value != value) coap_delete_str_const(a->value);
    coap::destroy(a);
    return nullptr;
  }
  // The newest attribute comes first in the link output, as in libcoap.
  a->next = r->attributes;
  r->attributes = a;
  return a;
}

coap_attr_t *coap_find_attr(coap_resource_t *r, coap_str_const_t *name) {
  if (!r || !name) return nullptr;
  for (coap_attr_t *a = r->attributes; a; a = a->next) {
    if (a->name && a->name->length == name->length &&
        std::memcmp(a->name->s, name->s, name->length) == 0) {
      return a;
    }
  }
  return nullptr;
}

coap_str_const_t *coap_attr_get_value(coap_attr_t *a) {
  return a ? a->value : nullptr;
}

// Both printers report what was written in the status (with
// COAP_PRINT_STATUS_TRUNC when the window was too small) and the full
// length of what they would print in the length parameter, as libcoap does.
coap_print_status_t coap_print_link(const coap_resource_t *r, unsigned char *buf, size_t *len,
                                    size_t *offset) {
  if (!r || !len || !offset) return COAP_PRINT_STATUS_ERROR;
  coap::LinkWindow w;
  w.buf = buf;
  w.capacity = buf ? *len : 0;
  w.offset = *offset;
  coap::write_link(r, &w);
  // The part of the link before the window is consumed from the offset.
  *offset = w.total > *offset ? 0 : *offset - w.total;
  *len = w.total;
  coap_print_status_t st = static_cast<coap_print_status_t>(w.written);
  if (w.truncated) st |= COAP_PRINT_STATUS_TRUNC;
  return st;
}

coap_print_status_t coap_print_wellknown(coap_context_t *ctx, unsigned char *buf, size_t *buflen,
                                         size_t offset, const coap_string_t *query_filter) {
  if (!ctx || !buflen) return COAP_PRINT_STATUS_ERROR;
  ApiLock lock(ctx);
  coap::LinkWindow w;
  w.buf = buf;
  w.capacity = buf ? *buflen : 0;
  w.offset = offset;
  coap::write_links(ctx, query_filter, &w);
  *buflen = w.total;
  coap_print_status_t st = static_cast<coap_print_status_t>(w.written & COAP_PRINT_STATUS_MAX);
  if (w.truncated) st |= COAP_PRINT_STATUS_TRUNC;
  return st;
}

}  // extern "C"
