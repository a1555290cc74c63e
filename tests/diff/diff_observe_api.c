/* Differential cases for the Observe API where no traffic is needed:
 * coap_resource_notify_observers() and coap_resource_set_dirty() results
 * (unregistered, not observable, no observers, query ignored), the ";obs"
 * link attribute following coap_resource_set_get_observable(),
 * coap_check_notify() with nothing due, and coap_cancel_observe() on a
 * session that observes nothing (with and without block mode, NULL and
 * empty tokens). Calls with NULL resources or sessions, on which libcoap
 * asserts or crashes, are covered by tests/unit/observe_test.cc. The
 * exchanges themselves are in diff_observe_server.c and
 * diff_observe_client.c. */
#include "diff_common.h"

static void show_link(coap_resource_t *r) {
  unsigned char buf[128];
  size_t len = sizeof(buf) - 1, offset = 0;
  coap_print_status_t st = coap_print_link(r, buf, &len, &offset);
  buf[len] = 0;
  printf("link (%u): %s\n", (unsigned)(st & 0x0fffffff), buf);
}

static void hnd_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp) {
  (void)r, (void)s, (void)req, (void)query;
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CONTENT);
}

static coap_session_t *client_session(coap_context_t *ctx) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.addr.sin.sin_port = htons(9); /* nothing is sent */
  a.size = sizeof(a.addr.sin);
  return coap_new_client_session(ctx, NULL, &a, COAP_PROTO_UDP);
}

int main(void) {
  coap_context_t *ctx;
  coap_resource_t *r, *loose;
  coap_string_t *q;
  coap_session_t *s;
  coap_binary_t token;
  uint8_t tok[] = {1, 2, 3};

  (void)diff_dump_pdu;
  diff_setup();
  ctx = coap_new_context(NULL);
  r = coap_resource_init(coap_make_str_const("obs"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_get);

  diff_case("notify-unregistered");
  loose = coap_resource_init(coap_make_str_const("loose"), 0);
  printf("notify %d\n", coap_resource_notify_observers(loose, NULL));
  coap_resource_set_get_observable(loose, 1);
  printf("observable: notify %d dirty %d\n", coap_resource_notify_observers(loose, NULL),
         coap_resource_set_dirty(loose, NULL));
  /* (deleting a resource that was never added crashes libcoap) */
  coap_add_resource(ctx, loose);

  diff_case("notify-not-observable");
  coap_add_resource(ctx, r);
  printf("notify %d dirty %d\n", coap_resource_notify_observers(r, NULL),
         coap_resource_set_dirty(r, NULL));
  show_link(r);

  diff_case("notify-observable-without-observers");
  coap_resource_set_get_observable(r, 1);
  q = coap_new_string(3);
  memcpy(q->s, "a=1", 3);
  printf("notify %d with query %d dirty %d\n", coap_resource_notify_observers(r, NULL),
         coap_resource_notify_observers(r, q), coap_resource_set_dirty(r, q));
  coap_delete_string(q);
  show_link(r);

  diff_case("observable-off-again");
  coap_resource_set_get_observable(r, 0);
  show_link(r);
  coap_resource_set_get_observable(r, 7);
  show_link(r);

  diff_case("set-mode");
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_CON);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_NON);
  printf("notify %d\n", coap_resource_notify_observers(r, NULL));

  diff_case("check-notify-nothing-due");
#if LIBCOAP_VERSION >= 4003002ULL
  coap_check_notify(ctx);
  printf("io pending %d can exit %d\n", coap_io_pending(ctx), coap_can_exit(ctx));
#else
  printf("4.3.1 exports neither coap_check_notify() nor coap_io_pending()\n");
#endif

  diff_case("cancel-without-block-mode");
  s = client_session(ctx);
  token.s = tok;
  token.length = sizeof(tok);
  printf("cancel NON %d CON %d NULL %d\n", coap_cancel_observe(s, &token, COAP_MESSAGE_NON),
         coap_cancel_observe(s, &token, COAP_MESSAGE_CON),
         coap_cancel_observe(s, NULL, COAP_MESSAGE_NON));
  coap_session_set_no_observe_cancel(s);
  coap_session_release(s);

  diff_case("cancel-in-block-mode-nothing-observed");
  coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP);
  s = client_session(ctx);
  printf("cancel NON %d CON %d NULL %d\n", coap_cancel_observe(s, &token, COAP_MESSAGE_NON),
         coap_cancel_observe(s, &token, COAP_MESSAGE_CON),
         coap_cancel_observe(s, NULL, COAP_MESSAGE_NON));
  token.length = 0;
  printf("cancel empty token %d\n", coap_cancel_observe(s, &token, COAP_MESSAGE_NON));
  coap_session_release(s);

  diff_case("delete-observable-resource-without-observers");
  coap_resource_set_get_observable(r, 1);
  printf("delete %d\n", coap_delete_resource(ctx, r));

  coap_free_context(ctx);
  coap_cleanup();
  return 0;
}
