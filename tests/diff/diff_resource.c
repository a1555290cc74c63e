/* Differential cases for resources, attributes and CoRE Link Format output
 * (coap_resource.h), without any traffic. */
#include "diff_common.h"

#include <limits.h>
#include <stdlib.h>

static void hnd(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                const coap_string_t *q, coap_pdu_t *resp) {
  (void)r, (void)s, (void)req, (void)q, (void)resp;
}

static coap_resource_t *add(coap_context_t *ctx, const char *path) {
  coap_resource_t *r = coap_resource_init(coap_make_str_const(path), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd);
  coap_add_resource(ctx, r);
  return r;
}

static void attr(coap_resource_t *r, const char *name, const char *value) {
  coap_add_attr(r, coap_make_str_const(name), value ? coap_make_str_const(value) : NULL, 0);
}

static void wellknown(coap_context_t *ctx, const char *query, size_t buflen, size_t offset) {
  unsigned char buf[2048];
  size_t len = buflen;
  coap_string_t *q = NULL;
  coap_print_status_t st;
  if (query) {
    q = coap_new_string(strlen(query));
    memcpy(q->s, query, strlen(query));
  }
  memset(buf, '#', sizeof(buf));
#if LIBCOAP_VERSION >= 4003002ULL
  st = coap_print_wellknown(ctx, buf, &len, offset, q);
#else
  (void)ctx;
  st = COAP_PRINT_STATUS_ERROR; /* not exported by 4.3.1's shared library */
#endif
  printf("query '%s' buflen %zu offset %zu -> status %s%s len %u buflen %zu '%.*s'\n",
         query ? query : "(none)", buflen, offset, (st & COAP_PRINT_STATUS_ERROR) ? "ERROR " : "",
         (st & COAP_PRINT_STATUS_TRUNC) ? "TRUNC" : "", (unsigned)COAP_PRINT_OUTPUT_LENGTH(st), len,
         (int)(len < sizeof(buf) ? len : 0), buf);
  coap_delete_string(q);
}

int main(void) {
  coap_context_t *ctx;
  coap_resource_t *root, *time, *temp, *obs, *plain, *r;
  static const char *queries[] = {NULL,
                                  "",
                                  "rt=ticks",
                                  "rt=tick*",
                                  "rt=sensor",
                                  "rt=temp-c",
                                  "rt=*",
                                  "if=clock",
                                  "title=Internal*",
                                  "title=\"Internal Clock\"",
                                  "ct=0",
                                  "ct=40",
                                  "href=/time",
                                  "href=time",
                                  "href=/t*",
                                  "href=*",
                                  "href=",
                                  "obs",
                                  "obs=",
                                  "foo=bar",
                                  "rt",
                                  "rt=",
                                  "=x",
                                  "rt=ticks&if=clock",
                                  "if=sensor*",
                                  "sz=1234"};
  size_t i;

  diff_setup();
  ctx = coap_new_context(NULL);

  root = coap_resource_init(NULL, 0);
  coap_register_request_handler(root, COAP_REQUEST_GET, hnd);
  attr(root, "title", "\"General Info\"");
  attr(root, "ct", "0");
  coap_add_resource(ctx, root);

  time = add(ctx, "time");
  attr(time, "ct", "0");
  attr(time, "title", "\"Internal Clock\"");
  attr(time, "rt", "\"ticks\"");
  attr(time, "if", "\"clock\"");
  coap_resource_set_get_observable(time, 1);

  temp = add(ctx, "sensors/temp");
  attr(temp, "rt", "\"temperature-c sensor\"");
  attr(temp, "if", "\"sensor\"");
  attr(temp, "sz", "1234");

  obs = add(ctx, "obs/only");
  coap_resource_set_get_observable(obs, 1);

  plain = add(ctx, "/with/leading/slash");
  attr(plain, "empty", NULL);
  attr(plain, "novalue", "");

  diff_case("wellknown-queries");
  for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) wellknown(ctx, queries[i], 1024, 0);

  diff_case("wellknown-windows");
  for (i = 0; i < 200; i += 13) wellknown(ctx, NULL, 20, i);
  wellknown(ctx, NULL, 0, 0);
  wellknown(ctx, NULL, 1, 0);
  wellknown(ctx, NULL, 1024, 10000);
  wellknown(ctx, "rt=ticks", 10, 3);

  diff_case("print-link");
  {
    unsigned char buf[256];
    size_t len, offset;
    coap_print_status_t st;
    for (offset = 0; offset < 60; offset += 11) {
      len = 16;
      size_t off = offset;
      memset(buf, 0, sizeof(buf));
      st = coap_print_link(time, buf, &len, &off);
      printf("offset %zu -> status %u%s len %zu offset now %zu '%.*s'\n", offset,
             (unsigned)COAP_PRINT_OUTPUT_LENGTH(st), (st & COAP_PRINT_STATUS_TRUNC) ? " TRUNC" : "",
             len, off, (int)len, buf);
    }
  }

  diff_case("lookups");
  printf("time found %d\n",
         coap_get_resource_from_uri_path(ctx, coap_make_str_const("time")) == time);
  printf("/time found %d\n",
         coap_get_resource_from_uri_path(ctx, coap_make_str_const("/time")) == time);
  printf("with/leading/slash found %d\n",
         coap_get_resource_from_uri_path(ctx, coap_make_str_const("with/leading/slash")) == plain);
  printf("root found %d\n", coap_get_resource_from_uri_path(ctx, coap_make_str_const("")) == root);
  printf("missing %p\n",
         (void *)coap_get_resource_from_uri_path(ctx, coap_make_str_const("nothere")));
  {
    coap_str_const_t *p = coap_resource_get_uri_path(temp);
    printf("uri path of temp '%.*s'\n", (int)p->length, p->s);
    p = coap_resource_get_uri_path(plain);
    printf("uri path of plain '%.*s'\n", (int)p->length, p->s);
    p = coap_resource_get_uri_path(root);
    printf("uri path of root '%.*s' (%zu)\n", (int)p->length, p->s, p->length);
  }

  diff_case("attributes");
  {
    coap_attr_t *a = coap_find_attr(time, coap_make_str_const("rt"));
    coap_str_const_t *v = coap_attr_get_value(a);
    printf("rt '%.*s'\n", (int)v->length, v->s);
    printf("missing attr %p\n", (void *)coap_find_attr(time, coap_make_str_const("nope")));
    a = coap_find_attr(plain, coap_make_str_const("empty"));
    printf("empty attr found %d value %p\n", a != NULL, a ? (void *)coap_attr_get_value(a) : NULL);
    attr(time, "rt", "\"second\"");
    a = coap_find_attr(time, coap_make_str_const("rt"));
    v = coap_attr_get_value(a);
    printf("rt after adding a second '%.*s'\n", (int)v->length, v->s);
  }

  diff_case("userdata");
  printf("initial %p\n", coap_resource_get_userdata(temp));
  coap_resource_set_userdata(temp, temp);
  printf("set %d\n", coap_resource_get_userdata(temp) == (void *)temp);

  diff_case("replace-same-path");
  r = add(ctx, "time");
  printf("new time found %d\n",
         coap_get_resource_from_uri_path(ctx, coap_make_str_const("time")) == r);
  wellknown(ctx, NULL, 1024, 0);

  diff_case("delete");
  printf("delete temp %d\n", coap_delete_resource(ctx, temp));
  printf("temp gone %p\n",
         (void *)coap_get_resource_from_uri_path(ctx, coap_make_str_const("sensors/temp")));
  wellknown(ctx, NULL, 1024, 0);

  diff_case("unknown-resource");
  r = coap_resource_unknown_init(hnd);
  coap_add_resource(ctx, r);
  wellknown(ctx, NULL, 1024, 0);

  coap_free_context(ctx);
  return 0;
}
