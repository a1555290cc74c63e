/* Differential cases for Observe (RFC 7641) on the client side: a libcoap
 * client context and a raw UDP "server" on loopback in one process. What
 * the server receives (registrations, the deregistrations sent by
 * coap_cancel_observe() and by releasing a session or freeing the context,
 * or nothing with coap_session_set_no_observe_cancel()), what the response
 * handler is given (every notification, in whatever order the Observe
 * values come: no reordering filter), ACK/RST of CON and rejected
 * notifications, and coap_cancel_observe()'s results with and without
 * block mode, after responses without Observe, after errors and for the
 * empty token. */
#include "diff_observe_net.h"

static coap_context_t *cli;
static int srvfd, srv_port, cli_port;
static rx_state_t rx;
static uint16_t smid = 0x5000;
static coap_response_t verdict = COAP_RESPONSE_OK;

/* The raw server sends a response / notification. */
static void peer_send(int type, int code, int mid, const char *tok, int observe,
                      const char *payload) {
  uint8_t buf[512];
  ropt_t o[2];
  int n = 0;
  char ob[4];
  size_t l = 0;
  if (observe >= 0) {
    if (observe > 0xffff) ob[l++] = (char)(observe >> 16);
    if (observe > 0xff) ob[l++] = (char)(observe >> 8);
    if (observe > 0) ob[l++] = (char)observe;
    o[n].num = COAP_OPTION_OBSERVE, o[n].val = ob, o[n].len = l, n++;
  }
  if (mid < 0) mid = ++smid;
  printf("server sends %s %d.%02d tok=%s obs=%d \"%s\"\n", type_name(type), code >> 5, code & 31,
         tok, observe, payload ? payload : "");
  rx.our_mid = (uint16_t)mid;
  l = raw_encode(buf, type, code, (uint16_t)mid, tok, o, n, payload);
  raw_sendto(srvfd, cli_port, buf, l);
}

static int pump(int ms) {
  long long end = now_ms() + ms;
  int got = 0, rounds;
  /* A few rounds even if the process was descheduled past `end`. */
  for (rounds = 0; rounds < 3 || now_ms() < end; rounds++) {
    uint8_t b[1500];
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    ssize_t n;
    if (cli)
      coap_io_process(cli, 5);
    else
      usleep(5000);
    while ((n = recvfrom(srvfd, b, sizeof(b), 0, (struct sockaddr *)&from, &fl)) > 0) {
      cli_port = ntohs(from.sin_port);
      raw_print("server got", &rx, b, (size_t)n);
      got++;
    }
  }
  return got;
}

static coap_response_t on_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *rcv,
                                   const coap_mid_t mid) {
  coap_opt_iterator_t it;
  coap_opt_t *o;
  coap_bin_const_t t = coap_pdu_get_token(rcv);
  size_t len;
  const uint8_t *data;
  (void)s, (void)mid;
  printf("  response handler: %s %d.%02d tok=%.*s sent=%s", type_name(coap_pdu_get_type(rcv)),
         coap_pdu_get_code(rcv) >> 5, coap_pdu_get_code(rcv) & 31, (int)t.length, t.s,
         sent ? "yes" : "no");
  o = coap_check_option(rcv, COAP_OPTION_OBSERVE, &it);
  if (o) printf(" obs=%u", coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o)));
  if (coap_get_data(rcv, &len, &data)) printf(" \"%.*s\"", (int)len, data);
  printf(" -> %d\n", (int)verdict);
  return verdict;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid) {
  (void)s, (void)mid;
  printf("  nack reason %d sent %s\n", (int)reason, sent ? "yes" : "no");
}

static int on_event(coap_session_t *s, coap_event_t e) {
  (void)s;
  printf("  event %d\n", (int)e);
  return 0;
}

static coap_session_t *new_session(void) {
  coap_address_t a;
  coap_session_t *s;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.addr.sin.sin_port = htons((uint16_t)srv_port);
  a.size = sizeof(a.addr.sin);
  s = coap_new_client_session(cli, NULL, &a, COAP_PROTO_UDP);
  rx.have_base = 0;
  return s;
}

/* Client sends GET/FETCH with Observe (or -1 none). */
static coap_mid_t observe_req(coap_session_t *s, int type, int code, const char *tok, int observe,
                              const char *query, const char *payload) {
  coap_pdu_t *pdu = coap_new_pdu(type, code, s);
  uint8_t b[4];
  coap_mid_t m;
  coap_add_token(pdu, strlen(tok), (const uint8_t *)tok);
  if (observe >= 0)
    coap_add_option(pdu, COAP_OPTION_OBSERVE, coap_encode_var_safe(b, sizeof(b), observe), b);
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 3, (const uint8_t *)"obs");
  if (code == COAP_REQUEST_CODE_FETCH) coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, 0, b);
  if (query) coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(query), (const uint8_t *)query);
  if (payload) coap_add_data(pdu, strlen(payload), (const uint8_t *)payload);
  m = coap_send(s, pdu);
  printf("client sent %s tok=%s obs=%d -> %s\n", code == 1 ? "GET" : "FETCH", tok, observe,
         m == COAP_INVALID_MID ? "invalid" : "ok");
  return m;
}

static int cancel(coap_session_t *s, const char *tok, coap_pdu_type_t type) {
  coap_binary_t t;
  int r;
  t.s = (uint8_t *)tok;
  t.length = tok ? strlen(tok) : 0;
  r = coap_cancel_observe(s, tok ? &t : NULL, type);
  printf("coap_cancel_observe(%s, %s) -> %d\n", tok ? tok : "NULL", type_name(type), r);
  return r;
}

static void new_context(uint32_t block_mode) {
  cli = coap_new_context(NULL);
  coap_register_response_handler(cli, on_response);
  coap_register_nack_handler(cli, on_nack);
  coap_register_event_handler(cli, on_event);
  if (block_mode) coap_context_set_block_mode(cli, block_mode);
}

int main(void) {
  coap_session_t *s;
  (void)diff_setup;
  (void)diff_dump_pdu;
  obs_setup();
  srvfd = raw_socket(0);
  srv_port = sock_port(srvfd);

  new_context(COAP_BLOCK_USE_LIBCOAP);
  s = new_session();

  diff_case("cancel-nothing");
  cancel(s, "K1", COAP_MESSAGE_NON);

  diff_case("register-con");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K1", 0, "q=1", NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K1", 5, "a");
  pump(50);
  diff_case("notifications-in-order-and-reordered");
  peer_send(1, 69, -1, "K1", 6, "b");
  pump(30);
  peer_send(1, 69, -1, "K1", 8, "c");
  pump(30);
  peer_send(1, 69, -1, "K1", 7, "d");
  pump(30);
  peer_send(0, 69, -1, "K1", 9, "e");
  pump(30);
  peer_send(0, 69, smid, "K1", 9, "e");
  pump(30);
  peer_send(1, 69, -1, "K1", 2, "f");
  pump(30);
  peer_send(1, 69, -1, "K1", 0x800009, "g");
  pump(30);
  diff_case("unknown-token-notification");
  peer_send(1, 69, -1, "ZZ", 10, "h");
  pump(30);
  peer_send(0, 69, -1, "ZZ", 11, "i");
  pump(30);
  diff_case("cancel-non");
  cancel(s, "K1", COAP_MESSAGE_NON);
  pump(50);
  cancel(s, "K1", COAP_MESSAGE_NON);
  diff_case("notification-after-cancel");
  peer_send(2, 69, rx.last_mid, "K1", -1, "z");
  peer_send(1, 69, -1, "K1", 12, "j");
  pump(30);

  diff_case("register-non-then-cancel-con");
  observe_req(s, COAP_MESSAGE_NON, COAP_REQUEST_CODE_GET, "K2", 0, NULL, NULL);
  pump(50);
  peer_send(1, 69, -1, "K2", 20, "a");
  pump(50);
  cancel(s, "K2", COAP_MESSAGE_CON);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K2", -1, "done");
  pump(50);

  diff_case("response-without-observe");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K3", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K3", -1, "plain");
  pump(50);
  cancel(s, "K3", COAP_MESSAGE_NON);
  pump(50);

  diff_case("error-response");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K4", 0, NULL, NULL);
  pump(50);
  peer_send(2, 132, rx.last_mid, "K4", -1, "nf");
  pump(50);
  cancel(s, "K4", COAP_MESSAGE_NON);
  pump(50);

  diff_case("fetch-observe");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_FETCH, "K5", 0, NULL, "fbody");
  pump(50);
  peer_send(2, 69, rx.last_mid, "K5", 3, "f1");
  pump(50);
  cancel(s, "K5", COAP_MESSAGE_NON);
  pump(50);

  diff_case("handler-rejects-notification");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K6", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K6", 3, "x");
  pump(50);
  verdict = COAP_RESPONSE_FAIL;
  peer_send(1, 69, -1, "K6", 4, "y");
  pump(50);
  verdict = COAP_RESPONSE_OK;
  cancel(s, "K6", COAP_MESSAGE_NON);
  pump(50);

  diff_case("empty-token");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "", 3, "x");
  pump(50);
  cancel(s, NULL, COAP_MESSAGE_NON);
  pump(50);

  diff_case("observe-1-request-by-app");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K7", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K7", 3, "x");
  pump(50);
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K7", 1, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K7", -1, "bye");
  pump(50);
  cancel(s, "K7", COAP_MESSAGE_NON);
  pump(50);

  diff_case("release-session-with-observation");
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K8", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K8", 3, "x");
  pump(50);
  coap_session_release(s);
  printf("released\n");
  pump(50);

  diff_case("release-session-no-observe-cancel");
  s = new_session();
  coap_session_set_no_observe_cancel(s);
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "K9", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "K9", 3, "x");
  pump(50);
  coap_session_release(s);
  printf("released\n");
  pump(50);

  diff_case("free-context-with-observation");
  s = new_session();
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "KA", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "KA", 3, "x");
  pump(50);
  coap_free_context(cli);
  cli = NULL;
  printf("freed\n");
  pump(50);

  diff_case("no-block-mode");
  new_context(0);
  s = new_session();
  observe_req(s, COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, "KB", 0, NULL, NULL);
  pump(50);
  peer_send(2, 69, rx.last_mid, "KB", 3, "x");
  pump(50);
  peer_send(1, 69, -1, "KB", 2, "older");
  pump(50);
  cancel(s, "KB", COAP_MESSAGE_NON);
  pump(50);
  coap_session_release(s);
  pump(50);
  coap_free_context(cli);
  cli = NULL;
  coap_cleanup();
  return 0;
}
