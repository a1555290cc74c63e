/* Differential cases for contexts, endpoints and sessions that need no
 * traffic: getters and setters with their limits, identifiers, strings. */
#include "diff_common.h"

#include <arpa/inet.h>
#include <stdlib.h>

static coap_address_t v4(const char *ip, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.addr.sin.sin_addr);
  return a;
}

static void print_fp(const char *label, coap_fixed_point_t v) {
  printf("%s %u.%03u\n", label, v.integer_part, v.fractional_part);
}

#if LIBCOAP_VERSION >= 4003002ULL
static void token_case(coap_session_t *s, const char *label, size_t len, const char *init) {
  uint8_t tok[8];
  size_t n, i;
  if (init) coap_session_init_token(s, len, (const uint8_t *)init);
  coap_session_new_token(s, &n, tok);
  printf("%s len %zu:", label, n);
  for (i = 0; i < n; i++) printf("%02x", tok[i]);
  printf("\n");
}
#endif

int main(void) {
  coap_context_t *ctx;
  coap_endpoint_t *ep;
  coap_session_t *s;
  coap_address_t a;
  unsigned i;
  static const unsigned mtus[] = {0, 1, 63, 64, 65, 100, 1152, 1280, 65535, 70000};
  static const coap_fixed_point_t fps[] = {{0, 0}, {0, 1},   {0, 999}, {1, 0},
                                           {1, 1}, {2, 500}, {100, 0}};

  diff_setup();
  ctx = coap_new_context(NULL);

  diff_case("context-defaults");
  printf("max_idle %u handshake %u session_timeout %u\n", coap_context_get_max_idle_sessions(ctx),
         coap_context_get_max_handshake_sessions(ctx), coap_context_get_session_timeout(ctx));
#if LIBCOAP_VERSION >= 4003002ULL
  printf("csm_timeout_ms %u csm_max %u\n", coap_context_get_csm_timeout_ms(ctx),
         coap_context_get_csm_max_message_size(ctx));
#endif
#if LIBCOAP_VERSION >= 4003002ULL
  printf("app_data %p\n", coap_context_get_app_data(ctx));
#endif

  diff_case("context-setters");
  coap_context_set_max_idle_sessions(ctx, 7);
  coap_context_set_max_handshake_sessions(ctx, 9);
  coap_context_set_session_timeout(ctx, 42);
  printf("max_idle %u handshake %u session_timeout %u\n", coap_context_get_max_idle_sessions(ctx),
         coap_context_get_max_handshake_sessions(ctx), coap_context_get_session_timeout(ctx));
  coap_context_set_session_timeout(ctx, 0);
  printf("session_timeout after 0: %u\n", coap_context_get_session_timeout(ctx));
#if LIBCOAP_VERSION >= 4003002ULL
  {
    static const unsigned csm[] = {0, 5, 10, 500, 10000, 20000};
    for (i = 0; i < sizeof(csm) / sizeof(csm[0]); i++) {
      coap_context_set_csm_timeout_ms(ctx, csm[i]);
      printf("csm_timeout_ms %u -> %u\n", csm[i], coap_context_get_csm_timeout_ms(ctx));
    }
    /* Values below 64 make libcoap assert; see the unit tests. */
    static const uint32_t sizes[] = {64, 100, 1152, 65536, 0xffffffffu};
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
      coap_context_set_csm_max_message_size(ctx, sizes[i]);
      printf("csm_max %u -> %u\n", sizes[i], coap_context_get_csm_max_message_size(ctx));
    }
  }
#endif
#if LIBCOAP_VERSION >= 4003002ULL
  {
    static const size_t blocks[] = {0, 15, 16, 32, 64, 100, 128, 256, 512, 1024, 2048};
    for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
      printf("max_block %zu -> %d\n", blocks[i], coap_context_set_max_block_size(ctx, blocks[i]));
  }
  coap_context_set_app_data(ctx, (void *)ctx);
  printf("app_data set %d\n", coap_context_get_app_data(ctx) == (void *)ctx);
#endif

  /* Port 0 binds an ephemeral port (libcoap's behaviour, although its man
   * page speaks of the default port): only check that one was chosen. */
  a = v4("127.0.0.1", 0);
  ep = coap_new_endpoint(ctx, &a, COAP_PROTO_UDP);
  diff_case("endpoint-port-0");
  printf("endpoint %s\n", ep && strncmp(coap_endpoint_str(ep), "127.0.0.1:5683 ", 15) != 0 &&
                                  strncmp(coap_endpoint_str(ep), "127.0.0.1:0 ", 12) != 0
                              ? "ephemeral port"
                              : "NULL or fixed port");

  a = v4("127.0.0.1", 0);
  s = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_UDP);
  diff_case("client-session-defaults");
  printf("remote port %u type %d state %d proto %d ifindex %d\n",
         coap_address_get_port(coap_session_get_addr_remote(s)), (int)coap_session_get_type(s),
         (int)coap_session_get_state(s), (int)coap_session_get_proto(s),
         coap_session_get_ifindex(s));
  printf("context ok %d\n", coap_session_get_context(s) == ctx);
#if LIBCOAP_VERSION >= 4003002ULL
  printf("mcast %p\n", (const void *)coap_session_get_addr_mcast(s));
#endif
  printf("max_pdu %zu\n", coap_session_max_pdu_size(s));
  print_fp("ack_timeout", coap_session_get_ack_timeout(s));
  print_fp("ack_random_factor", coap_session_get_ack_random_factor(s));
  printf("max_retransmit %u nstart %u\n", coap_session_get_max_retransmit(s),
         coap_session_get_nstart(s));
#if LIBCOAP_VERSION >= 4003002ULL
  print_fp("default_leisure", coap_session_get_default_leisure(s));
  printf("probing_rate %u max_payloads %u non_max_retransmit %u\n",
         coap_session_get_probing_rate(s), coap_session_get_max_payloads(s),
         coap_session_get_non_max_retransmit(s));
  print_fp("non_timeout", coap_session_get_non_timeout(s));
  print_fp("non_receive_timeout", coap_session_get_non_receive_timeout(s));
#endif
  {
    /* The local port is ephemeral: only its presence is printed. */
    const coap_address_t *local = coap_session_get_addr_local(s);
    printf("local family %d port set %d\n", local->addr.sa.sa_family,
           coap_address_get_port(local) != 0);
  }

  diff_case("session-mtu");
  for (i = 0; i < sizeof(mtus) / sizeof(mtus[0]); i++) {
    coap_session_set_mtu(s, mtus[i]);
    printf("mtu %u -> max_pdu %zu\n", mtus[i], coap_session_max_pdu_size(s));
  }
  coap_session_set_mtu(s, 1152);

  diff_case("session-fixed-point-setters");
  for (i = 0; i < sizeof(fps) / sizeof(fps[0]); i++) {
    printf("set %u.%03u:\n", fps[i].integer_part, fps[i].fractional_part);
    coap_session_set_ack_timeout(s, fps[i]);
    print_fp("  ack_timeout", coap_session_get_ack_timeout(s));
    coap_session_set_ack_random_factor(s, fps[i]);
    print_fp("  ack_random_factor", coap_session_get_ack_random_factor(s));
#if LIBCOAP_VERSION >= 4003002ULL
    coap_session_set_default_leisure(s, fps[i]);
    print_fp("  default_leisure", coap_session_get_default_leisure(s));
    coap_session_set_non_timeout(s, fps[i]);
    print_fp("  non_timeout", coap_session_get_non_timeout(s));
    coap_session_set_non_receive_timeout(s, fps[i]);
    print_fp("  non_receive_timeout", coap_session_get_non_receive_timeout(s));
#endif
  }

  diff_case("session-integer-setters");
  {
    static const unsigned vals[] = {0, 1, 2, 10, 100, 65535};
    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
      coap_session_set_max_retransmit(s, (uint16_t)vals[i]);
      coap_session_set_nstart(s, (uint16_t)vals[i]);
      printf("set %u: max_retransmit %u nstart %u", vals[i], coap_session_get_max_retransmit(s),
             coap_session_get_nstart(s));
#if LIBCOAP_VERSION >= 4003002ULL
      coap_session_set_probing_rate(s, vals[i]);
      coap_session_set_max_payloads(s, (uint16_t)vals[i]);
      coap_session_set_non_max_retransmit(s, (uint16_t)vals[i]);
      printf(" probing_rate %u max_payloads %u non_max_retransmit %u",
             coap_session_get_probing_rate(s), coap_session_get_max_payloads(s),
             coap_session_get_non_max_retransmit(s));
#endif
      printf("\n");
    }
  }

#if LIBCOAP_VERSION >= 4003002ULL
  diff_case("session-tokens");
  token_case(s, "init3", 3, "\x01\x02\x03");
  token_case(s, "next", 0, NULL);
  token_case(s, "init2", 2, "\x00\xff");
  token_case(s, "next", 0, NULL);
  token_case(s, "init8", 8, "\xff\xff\xff\xff\xff\xff\xff\xff");
  token_case(s, "next", 0, NULL);
  token_case(s, "init1-zero", 1, "\x00");
  token_case(s, "next", 0, NULL);
  token_case(s, "init10", 10, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a");
  token_case(s, "next", 0, NULL);
#endif

  diff_case("message-ids-increase");
  {
    int m1 = coap_new_message_id(s);
    int m2 = coap_new_message_id(s);
    printf("step %d\n", ((m2 - m1) + 65536) % 65536);
  }

  diff_case("session-app-data");
  printf("initial %p\n", coap_session_get_app_data(s));
  coap_session_set_app_data(s, (void *)s);
  printf("set %d\n", coap_session_get_app_data(s) == (void *)s);

  diff_case("session-reference-counting");
  printf("reference returns session %d\n", coap_session_reference(s) == s);
  coap_session_release(s);
  printf("still usable: proto %d\n", (int)coap_session_get_proto(s));

  diff_case("session-get-by-peer");
  {
    /* Only server sessions are looked up; this client session is not. */
    coap_address_t peer = v4("127.0.0.1", 5683);
    printf("by peer found %d\n", coap_session_get_by_peer(ctx, &peer, 0) == s);
    peer = v4("127.0.0.2", 5683);
    printf("other peer %p\n", (void *)coap_session_get_by_peer(ctx, &peer, 0));
  }

  diff_case("set-type-client-on-client");
  printf("result %d\n", coap_session_set_type_client(s));

  coap_session_release(s);
  coap_free_endpoint(ep);
  coap_free_context(ctx);

  /* NULL sessions make libcoap crash; see the unit tests. */
  return 0;
}
