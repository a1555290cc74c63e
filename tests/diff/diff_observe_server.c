/* Differential cases for Observe (RFC 7641) on the server side: a libcoap
 * server context and raw UDP peers on loopback in one process. What the
 * peers receive (types, codes, relative message ids, tokens, options,
 * payloads), what the GET handler is handed for registrations and
 * notifications, nack and session events, and the API's return values:
 * registration and re-registration, NON notifications with every sixth one
 * CON, NOTIFY_CON and NOTIFY_NON_ALWAYS, folding of several changes into
 * one notification, deferral of a CON notification while one is
 * outstanding, deregistration by Observe=1 (by token or by request), by RST
 * to a NON or CON notification and by unanswered CON notifications, error
 * responses, FETCH, Block2 in registrations, resource deletion (4.04) and
 * context teardown, and an observer's session surviving idle expiry. */
#include "diff_observe_net.h"

static coap_context_t *srv;
static int srv_port;
static int peer[3];
static rx_state_t rx[3];
static uint16_t peer_mid[3] = {0x1000, 0x2000, 0x3000};
static int handler_code = COAP_RESPONSE_CODE_CONTENT;
static int handler_calls;
static uint16_t last_con[3];

enum { NO_REPLY, ACK_CON, RST_ALL, RST_NON };

static void send_req(int p, int type, int code, const char *tok, int observe, const char *path,
                     const char *query, const char *payload) {
  uint8_t buf[512];
  ropt_t o[4];
  int n = 0;
  char ob[4];
  size_t len;
  if (observe >= 0) {
    size_t l = 0;
    if (observe > 0xffff) ob[l++] = (char)(observe >> 16);
    if (observe > 0xff) ob[l++] = (char)(observe >> 8);
    if (observe > 0) ob[l++] = (char)observe;
    o[n].num = COAP_OPTION_OBSERVE, o[n].val = ob, o[n].len = l, n++;
  }
  if (path) o[n].num = COAP_OPTION_URI_PATH, o[n].val = path, o[n].len = strlen(path), n++;
  if (code == 5) o[n].num = COAP_OPTION_CONTENT_FORMAT, o[n].val = "", o[n].len = 0, n++;
  if (query) o[n].num = COAP_OPTION_URI_QUERY, o[n].val = query, o[n].len = strlen(query), n++;
  ++peer_mid[p];
  rx[p].our_mid = peer_mid[p];
  len = raw_encode(buf, type, code, peer_mid[p], tok, o, n, payload);
  printf("peer%d sends %s code %d.%02d tok=%s obs=%d %s%s%s\n", p, type_name(type), code >> 5,
         code & 31, tok, observe, path ? path : "", query ? "?" : "", query ? query : "");
  raw_sendto(peer[p], srv_port, buf, len);
}

static void send_empty(int p, int type, uint16_t mid) {
  uint8_t buf[4];
  size_t len = raw_encode(buf, type, 0, mid, "", NULL, 0, NULL);
  printf("peer%d sends %s for S+%u\n", p, type_name(type), (unsigned)(uint16_t)(mid - rx[p].base));
  raw_sendto(peer[p], srv_port, buf, len);
}

/* Runs the server for ms milliseconds; peers answer according to mode. */
static int nacks;

static int pump_until(int ms, int mode, int want_nacks) {
  long long end = now_ms() + ms;
  int got = 0, p, rounds;
  /* A few rounds even if the process was descheduled past `end`. */
  for (rounds = 0; (rounds < 3 || now_ms() < end) && nacks < want_nacks; rounds++) {
    coap_io_process(srv, 5);
    for (p = 0; p < 3; p++) {
      uint8_t b[1500];
      ssize_t n;
      char who[16];
      while ((n = recv(peer[p], b, sizeof(b), 0)) > 0) {
        snprintf(who, sizeof(who), "peer%d got", p);
        raw_print(who, &rx[p], b, (size_t)n);
        got++;
        if (rx[p].last_type == 0) last_con[p] = rx[p].last_mid;
        if (mode == ACK_CON && rx[p].last_type == 0) send_empty(p, 2, rx[p].last_mid);
        if (mode == RST_ALL && rx[p].last_type <= 1) send_empty(p, 3, rx[p].last_mid);
        if (mode == RST_NON && rx[p].last_type == 1) send_empty(p, 3, rx[p].last_mid);
      }
    }
  }
  return got;
}

/* Runs the server for ms milliseconds; peers answer according to mode. */
static int pump(int ms, int mode) {
  return pump_until(ms, mode, 1 << 30);
}

static void hnd_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp) {
  coap_opt_iterator_t it;
  coap_opt_t *o;
  char buf[32];
  coap_bin_const_t t = coap_pdu_get_token(req);
  (void)r, (void)s;
  handler_calls++;
  printf("  handler: req %s code %d tok=%.*s", type_name(coap_pdu_get_type(req)),
         coap_pdu_get_code(req), (int)t.length, t.s);
  o = coap_check_option(req, COAP_OPTION_OBSERVE, &it);
  if (o) printf(" req-obs=%u", coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o)));
  if (query) printf(" query=%.*s", (int)query->length, query->s);
  t = coap_pdu_get_token(resp);
  printf(" | skel %s code %d tok=%.*s", type_name(coap_pdu_get_type(resp)), coap_pdu_get_code(resp),
         (int)t.length, t.s);
  o = coap_check_option(resp, COAP_OPTION_OBSERVE, &it);
  if (o) printf(" skel-obs=%u", coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o)));
  printf("\n");
  if (handler_code == 0) return;
  coap_pdu_set_code(resp, handler_code);
  snprintf(buf, sizeof(buf), "v%d", handler_calls);
  coap_add_data(resp, strlen(buf), (const uint8_t *)buf);
}

static int on_event(coap_session_t *s, coap_event_t e) {
  printf("  event %d\n", (int)e);
  if (e == COAP_EVENT_SERVER_SESSION_NEW) {
    coap_fixed_point_t ack = {1, 0}, rf = {1, 1};
    coap_session_set_ack_timeout(s, ack);
    coap_session_set_ack_random_factor(s, rf);
    coap_session_set_max_retransmit(s, 1);
  }
  return 0;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid) {
  (void)s, (void)mid;
  printf("  nack reason %d sent %s\n", (int)reason, sent ? "yes" : "no");
  nacks++;
}

static coap_resource_t *mkres(const char *name, int flags) {
  coap_resource_t *r = coap_resource_init(coap_make_str_const(name), flags);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_get);
  coap_register_request_handler(r, COAP_REQUEST_FETCH, hnd_get);
  coap_resource_set_get_observable(r, 1);
  coap_add_resource(srv, r);
  return r;
}

static int notify(coap_resource_t *r) {
  int rc = coap_resource_notify_observers(r, NULL);
  printf("notify -> %d\n", rc);
  return rc;
}

/* Raw request with a Block2 option (registration asking for block num). */
static void send_block2_req(int p, const char *tok, const char *block2) {
  uint8_t buf[64];
  size_t len;
  ropt_t o[3];
  o[0].num = COAP_OPTION_OBSERVE, o[0].val = "", o[0].len = 0;
  o[1].num = COAP_OPTION_URI_PATH, o[1].val = "obs", o[1].len = 3;
  o[2].num = COAP_OPTION_BLOCK2, o[2].val = block2, o[2].len = 1;
  rx[p].our_mid = ++peer_mid[p];
  len = raw_encode(buf, 0, COAP_REQUEST_CODE_GET, peer_mid[p], tok, o, 3, NULL);
  printf("peer%d sends CON GET tok=%s obs=0 block2=0x%02x\n", p, tok, (uint8_t)block2[0]);
  raw_sendto(peer[p], srv_port, buf, len);
}

static void drain_after_free(void) {
  int i;
  for (i = 0; i < 3; i++) {
    uint8_t b[1500];
    ssize_t n;
    char who[16];
    usleep(20000);
    while ((n = recv(peer[i], b, sizeof(b), 0)) > 0) {
      snprintf(who, sizeof(who), "peer%d got", i);
      raw_print(who, &rx[i], b, (size_t)n);
    }
  }
}

static void new_server(void) {
  coap_address_t a;
  int i;
  for (i = 0; i < 3; i++) rx[i].have_base = 0;
  handler_calls = 0;
  srv = coap_new_context(NULL);
  coap_register_event_handler(srv, on_event);
  coap_register_nack_handler(srv, on_nack);
  srv_port = free_udp_port();
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.addr.sin.sin_port = htons((uint16_t)srv_port);
  a.size = sizeof(a.addr.sin);
  coap_new_endpoint(srv, &a, COAP_PROTO_UDP);
}

/* Codes the handler sets: 2.03, 2.04, 5.00, none, 4.04. */
static const int codes[] = {67, 68, 160, 0, 132};

static void more_cases(void) {
  coap_resource_t *r, *r2;
  int i;
  char name[48];

  new_server();
  r = mkres("obs", 0);
  r2 = mkres("p", 0);
  for (i = 0; i < 5; i++) {
    snprintf(name, sizeof name, "register-handler-code-%d", codes[i]);
    diff_case(name);
    handler_code = codes[i];
    send_req(0, 0, 1, "T1", 0, "obs", NULL, NULL);
    pump(40, ACK_CON);
    handler_code = COAP_RESPONSE_CODE_CONTENT;
    notify(r);
    pump(40, ACK_CON);
    send_req(0, 0, 1, "T1", 1, "obs", NULL, NULL);
    pump(40, ACK_CON);
  }
  for (i = 0; i < 5; i++) {
    snprintf(name, sizeof name, "notify-handler-code-%d", codes[i]);
    diff_case(name);
    if (LIBCOAP_VERSION < 4003002ULL && codes[i] >= 128) {
      printf("skipped: libcoap 4.3.1 crashes on error notifications\n");
      continue;
    }
    send_req(0, 0, 1, "T2", 0, "obs", NULL, NULL);
    pump(40, ACK_CON);
    handler_code = codes[i];
    notify(r);
    pump(40, ACK_CON);
    handler_code = COAP_RESPONSE_CODE_CONTENT;
    notify(r);
    pump(40, ACK_CON);
    send_req(0, 0, 1, "T2", 1, "obs", NULL, NULL);
    pump(40, ACK_CON);
  }
  diff_case("reregister-same-token-other-query");
  send_req(1, 0, 1, "Q", 0, "obs", "a=1", NULL);
  pump(40, ACK_CON);
  send_req(1, 0, 1, "Q", 0, "obs", "a=2", NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);
  diff_case("cancel-unknown-token");
  send_req(1, 0, 1, "W", 1, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);
  diff_case("cancel-other-token-same-request");
  send_req(2, 0, 1, "G1", 0, "p", "z=1", NULL);
  pump(40, ACK_CON);
  send_req(2, 0, 1, "G9", 1, "p", "z=1", NULL);
  pump(40, ACK_CON);
  notify(r2);
  pump(40, ACK_CON);
  diff_case("post-with-observe");
  send_req(2, 0, 2, "P", 0, "p", NULL, NULL);
  pump(40, ACK_CON);
  notify(r2);
  pump(40, ACK_CON);
  diff_case("register-block2-num1");
  send_block2_req(2, "B1", "\x12");
  pump(40, ACK_CON);
  diff_case("register-block2-num0");
  send_block2_req(2, "B0", "\x02");
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);
  coap_free_context(srv);
  drain_after_free();

  diff_case("set-mode-after-registration");
  new_server();
  r = mkres("obs", 0);
  send_req(0, 0, 1, "M1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_CON);
  notify(r);
  pump(40, ACK_CON);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
  for (i = 0; i < 6; i++) {
    notify(r);
    pump(30, ACK_CON);
  }
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_NON);
  notify(r);
  pump(30, ACK_CON);
  coap_free_context(srv);
  drain_after_free();

  diff_case("set-mode-keeps-non-always");
  new_server();
  r = mkres("nonalways", COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
  send_req(0, 0, 1, "M2", 0, "nonalways", NULL, NULL);
  pump(40, ACK_CON);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_CON);
  notify(r);
  pump(40, ACK_CON);
  coap_resource_set_mode(r, COAP_RESOURCE_FLAGS_NOTIFY_NON);
  for (i = 0; i < 7; i++) {
    notify(r);
    pump(30, ACK_CON);
  }
  coap_free_context(srv);
  drain_after_free();

  diff_case("idle-session-with-observer");
  new_server();
  r = mkres("obs", 0);
  coap_context_set_session_timeout(srv, 1);
  send_req(0, 0, 1, "I1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  send_req(1, 0, 1, "U1", 0, "nothing", NULL, NULL);
  pump(3000, ACK_CON);
  notify(r);
  pump(40, ACK_CON);
  coap_free_context(srv);
  drain_after_free();
  srv = NULL;
}

/* Frees the server (observers get 4.04), drains what the peers receive
 * and starts a fresh server with the four test resources. */
static void restart(coap_resource_t **r, coap_resource_t **r2, coap_resource_t **rc,
                    coap_resource_t **rn) {
  int i;
  if (srv) {
    coap_free_context(srv);
    srv = NULL;
    drain_after_free();
  }
  new_server();
  *r = mkres("obs", 0);
  *r2 = mkres("other", 0);
  *rc = mkres("con", COAP_RESOURCE_FLAGS_NOTIFY_CON);
  *rn = mkres("nonalways", COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
}

int main(void) {
  coap_resource_t *r, *r2, *rc, *rn;
  int i;
  (void)diff_setup;
  (void)diff_dump_pdu;
  (void)sock_port;
  obs_setup();
  for (i = 0; i < 3; i++) peer[i] = raw_socket(0);
  restart(&r, &r2, &rc, &rn);

  diff_case("notify-without-observers");
  notify(r);

  diff_case("register");
  send_req(0, 0, 1, "T1", 0, "obs", NULL, NULL);
  pump(60, ACK_CON);

  diff_case("notify-non-x7");
  for (i = 0; i < 7; i++) {
    notify(r);
    pump(40, ACK_CON);
  }
  diff_case("notify-twice-then-run");
  notify(r);
  notify(r);
  pump(40, ACK_CON);

  diff_case("notify-query-ignored");
  {
    coap_string_t *q = coap_new_string(3);
    memcpy(q->s, "a=b", 3);
    printf("notify -> %d\n", coap_resource_notify_observers(r, q));
    coap_delete_string(q);
  }
  pump(40, ACK_CON);

  diff_case("reregister-same-token");
  send_req(0, 0, 1, "T1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("register-new-token-same-request");
  send_req(0, 0, 1, "T2", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("register-other-query");
  send_req(0, 1, 1, "Q1", 0, "obs", "x=1", NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("second-peer");
  send_req(1, 0, 1, "P1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("deregister-observe-1");
  send_req(0, 0, 1, "T2", 1, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("rst-to-non-notification");
  notify(r);
  pump(40, RST_NON);
  notify(r);
  pump(40, ACK_CON);

  diff_case("observe-2-value");
  send_req(2, 0, 1, "Z", 2, "obs", NULL, NULL);
  pump(40, ACK_CON);
  diff_case("non-registration");
  send_req(2, 1, 1, "N1", 0, "other", NULL, NULL);
  pump(40, ACK_CON);
  notify(r2);
  pump(40, ACK_CON);

  diff_case("error-response-registration");
  handler_code = COAP_RESPONSE_CODE_NOT_FOUND;
  send_req(2, 0, 1, "E1", 0, "con", NULL, NULL);
  pump(40, ACK_CON);
  handler_code = COAP_RESPONSE_CODE_CONTENT;
  notify(rc);
  pump(40, ACK_CON);

  diff_case("con-notifications");
  send_req(2, 0, 1, "C1", 0, "con", NULL, NULL);
  pump(40, ACK_CON);
  for (i = 0; i < 2; i++) {
    notify(rc);
    pump(40, ACK_CON);
  }
  diff_case("con-notification-while-unacked");
  notify(rc);
  pump(40, NO_REPLY);
  notify(rc);
  pump(60, NO_REPLY);
  send_empty(2, 2, rx[2].last_mid);
  pump(60, ACK_CON);

  diff_case("con-notification-retries-exhausted");
  notify(rc);
  pump_until(8000, NO_REPLY, nacks + 1);
  notify(rc);
  pump(40, ACK_CON);
  diff_case("rst-to-con-notification");
  send_req(2, 0, 1, "C2", 0, "con", NULL, NULL);
  pump(40, ACK_CON);
  notify(rc);
  pump(40, RST_ALL);
  notify(rc);
  pump(40, ACK_CON);
  diff_case("rst-to-older-non");
  send_req(1, 0, 1, "R1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  notify(r);
  pump(40, ACK_CON);
  {
    uint16_t old = rx[1].last_mid;
    notify(r);
    pump(40, ACK_CON);
    send_empty(1, 3, old);
    pump(40, ACK_CON);
  }
  notify(r);
  pump(40, ACK_CON);
  diff_case("non-mode-con-unacked-then-non");
  for (i = 0; i < 7; i++) {
    notify(r);
    pump(40, NO_REPLY);
  }
  send_empty(1, 2, last_con[1]);
  pump(40, ACK_CON);

  diff_case("non-always");
  send_req(2, 0, 1, "A1", 0, "nonalways", NULL, NULL);
  pump(40, ACK_CON);
  for (i = 0; i < 7; i++) {
    notify(rn);
    pump(40, ACK_CON);
  }
  diff_case("handler-error-in-notification");
  restart(&r, &r2, &rc, &rn);
#if LIBCOAP_VERSION >= 4003002ULL
  send_req(2, 0, 1, "A1", 0, "nonalways", NULL, NULL);
  pump(40, ACK_CON);
  handler_code = COAP_RESPONSE_CODE_NOT_FOUND;
  notify(rn);
  pump(40, ACK_CON);
  handler_code = COAP_RESPONSE_CODE_CONTENT;
  notify(rn);
  pump(40, ACK_CON);

#else
  printf("skipped: libcoap 4.3.1 crashes here\n");
#endif

  diff_case("fetch-registration");
  restart(&r, &r2, &rc, &rn);
  send_req(1, 0, 1, "R1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  send_req(2, 1, 1, "N1", 0, "other", NULL, NULL);
  pump(40, ACK_CON);
  send_req(2, 0, 5, "F1", 0, "nonalways", NULL, "body");
  pump(40, ACK_CON);
  notify(rn);
  pump(40, ACK_CON);

  diff_case("set-unobservable");
  coap_resource_set_get_observable(r2, 0);
  notify(r2);
  pump(40, ACK_CON);
  send_req(1, 0, 1, "U1", 0, "other", NULL, NULL);
  pump(40, ACK_CON);
  coap_resource_set_get_observable(r2, 1);
  notify(r2);
  pump(40, ACK_CON);

  diff_case("delete-resource");
  send_req(1, 0, 1, "D1", 0, "other", NULL, NULL);
  pump(40, ACK_CON);
  notify(r2);
  printf("delete -> %d\n", coap_delete_resource(srv, r2));
  pump(40, ACK_CON);

  diff_case("free-context");
  send_req(2, 0, 1, "X1", 0, "obs", NULL, NULL);
  pump(40, ACK_CON);
  coap_free_context(srv);
  srv = NULL;
  drain_after_free();

  more_cases();
  coap_cleanup();
  return 0;
}
