/* CoAP over TCP (RFC 8323): a libcoap context and a raw TCP peer on
 * loopback in the same process, driven from one thread (the context by
 * coap_io_process(), the peer by plain socket calls), so events happen in
 * a fixed order. Printed: the bytes the peer receives (as messages), the
 * events with the session state during each, the handlers' arguments and
 * API return values.
 *
 * Left out because this library deliberately differs from libcoap 4.3.5
 * there (covered by tests/unit/tcp_test.cc instead):
 *  - a Ping's token: RFC 8323 section 5.4 requires the Pong to carry it,
 *    libcoap sends none (Pings here have no token);
 *  - malformed input, an invalid CSM, a message above our Max-Message-Size:
 *    RFC 8323 sections 5.3 and 5.6 answer with Abort before closing,
 *    libcoap closes (or ignores the message) without one;
 *  - a server-side peer that never sends anything is dropped after the CSM
 *    timeout here, libcoap keeps it until the session timeout. */
#include "diff_stream_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#if LIBCOAP_VERSION < 4003002ULL
/* 4.3.1 has neither the keepalive event nor these settings. */
#define COAP_EVENT_KEEPALIVE_FAILURE 0x8001
#define coap_context_set_csm_timeout_ms(c, ms) coap_context_set_csm_timeout((c), 1)
#define coap_context_set_max_token_size(c, n) ((void)(c), (void)(n))
#endif

static coap_context_t *ctx;
static int srv_port;

static void tcp_log(coap_log_t level, const char *message) {
  (void)level;
  if (getenv("TCP_LOG")) fprintf(stderr, "%s", message);
}

static const char *event_name(coap_event_t e) {
  switch ((int)e) {
    case COAP_EVENT_TCP_CONNECTED:
      return "TCP_CONNECTED";
    case COAP_EVENT_TCP_CLOSED:
      return "TCP_CLOSED";
    case COAP_EVENT_TCP_FAILED:
      return "TCP_FAILED";
    case COAP_EVENT_SESSION_CONNECTED:
      return "SESSION_CONNECTED";
    case COAP_EVENT_SESSION_CLOSED:
      return "SESSION_CLOSED";
    case COAP_EVENT_SESSION_FAILED:
      return "SESSION_FAILED";
    case COAP_EVENT_SERVER_SESSION_NEW:
      return "SERVER_SESSION_NEW";
    case COAP_EVENT_SERVER_SESSION_DEL:
      return "SERVER_SESSION_DEL";
    case (int)COAP_EVENT_KEEPALIVE_FAILURE:
      return "KEEPALIVE_FAILURE";
    default:
      return "other";
  }
}

static const char *side(coap_session_t *s) {
  return coap_session_get_type(s) == COAP_SESSION_TYPE_CLIENT ? "client" : "server";
}

static int on_event(coap_session_t *s, const coap_event_t e) {
  printf("%s event %s (state %d)\n", side(s), event_name(e), (int)coap_session_get_state(s));
  return 0;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid) {
  printf("%s nack reason %d mid %d sent %s\n", side(s), (int)reason, (int)mid,
         sent ? "pdu" : "NULL");
}

static void on_ping(coap_session_t *s, const coap_pdu_t *p, const coap_mid_t mid) {
  printf("%s ping handler: code %d mid %d type %d\n", side(s), (int)coap_pdu_get_code(p), (int)mid,
         (int)coap_pdu_get_type(p));
}

static void on_pong(coap_session_t *s, const coap_pdu_t *p, const coap_mid_t mid) {
  printf("%s pong handler: code %d mid %d\n", side(s), (int)coap_pdu_get_code(p), (int)mid);
}

static coap_response_t on_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *r,
                                   const coap_mid_t mid) {
  size_t len = 0;
  const uint8_t *data = NULL;
  coap_bin_const_t tok = coap_pdu_get_token(r);
  coap_get_data(r, &len, &data);
  printf("%s response %d.%02d type %d mid %d sent %s token %zu payload \"%.*s\"\n", side(s),
         (int)coap_pdu_get_code(r) >> 5, (int)coap_pdu_get_code(r) & 31, (int)coap_pdu_get_type(r),
         (int)mid, sent ? "pdu" : "NULL", tok.length, (int)len, data ? (const char *)data : "");
  return COAP_RESPONSE_OK;
}

static void hnd_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp) {
  (void)r;
  (void)q;
  printf("handler: request type %d mid %d, response type %d mid %d, max pdu %zu\n",
         (int)coap_pdu_get_type(req), (int)coap_pdu_get_mid(req), (int)coap_pdu_get_type(resp),
         (int)coap_pdu_get_mid(resp), coap_session_max_pdu_size(s));
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(resp, 2, (const uint8_t *)"hi");
}

/* --- the raw peer --------------------------------------------------------- */

static int raw_accept(int lfd) {
  struct pollfd p;
  p.fd = lfd;
  p.events = POLLIN;
  if (poll(&p, 1, 2000) <= 0) {
    printf("raw: nothing to accept\n");
    return -1;
  }
  return accept(lfd, NULL, NULL);
}

static int raw_connect(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) printf("raw: connect failed\n");
  return fd;
}

static void raw_send(int fd, const uint8_t *b, size_t n) {
  if (send(fd, b, n, MSG_NOSIGNAL) != (ssize_t)n) printf("raw: send failed\n");
}

#define RAW_SEND(fd, ...)                      \
  do {                                         \
    static const uint8_t m_[] = {__VA_ARGS__}; \
    raw_send((fd), m_, sizeof(m_));            \
  } while (0)

/* Runs the context for about ms milliseconds. */
static void pump(int ms) {
  long long end = now_ms() + ms;
  while (now_ms() < end) coap_io_process(ctx, 10);
}

/* Prints one framed message: code, token, options, payload. */
static size_t print_frame(const uint8_t *p, size_t n) {
  size_t len, ext, pos, tkl, end, i;
  unsigned num = 0;
  uint8_t ln = p[0] >> 4;
  ext = ln == 13 ? 1 : ln == 14 ? 2 : ln == 15 ? 4 : 0;
  if (n < 2 + ext) return 0;
  len = ln;
  if (ln == 13) len = 13 + p[1];
  if (ln == 14) len = 269 + ((size_t)p[1] << 8 | p[2]);
  tkl = p[0] & 15;
  pos = 2 + ext;
  if (pos + tkl + len > n) return 0;
  printf("  %d.%02d token[%zu]", p[1 + ext] >> 5, p[1 + ext] & 31, tkl);
  for (i = 0; i < tkl; i++) printf("%s%02x", i ? "" : " ", p[pos + i]);
  pos += tkl;
  end = pos + len;
  while (pos < end && p[pos] != 0xff) {
    unsigned d = p[pos] >> 4, l = p[pos] & 15;
    size_t h = pos++;
    (void)h;
    if (d == 13)
      d = 13 + p[pos++];
    else if (d == 14) {
      d = 269 + (p[pos] << 8 | p[pos + 1]);
      pos += 2;
    }
    if (l == 13)
      l = 13 + p[pos++];
    else if (l == 14) {
      l = 269 + (p[pos] << 8 | p[pos + 1]);
      pos += 2;
    }
    num += d;
    printf(" opt%u=", num);
    for (i = 0; i < l; i++) printf("%02x", p[pos + i]);
    pos += l;
  }
  if (pos < end) printf(" payload=\"%.*s\"", (int)(end - pos - 1), p + pos + 1);
  printf("\n");
  return 2 + ext + tkl + len;
}

/* Reads what arrived at the raw peer (after running the context). */
static void raw_show(int fd, int ms) {
  uint8_t buf[8192];
  size_t have = 0, used;
  struct pollfd p;
  long long end;
  pump(ms);
  end = now_ms() + 20;
  p.fd = fd;
  p.events = POLLIN;
  while (now_ms() < end && poll(&p, 1, 5) > 0) {
    ssize_t n = recv(fd, buf + have, sizeof(buf) - have, MSG_DONTWAIT);
    if (n == 0) {
      printf("raw: received end of stream\n");
      break;
    }
    if (n < 0) {
      if (errno == EAGAIN) continue;
      printf("raw: connection reset\n");
      break;
    }
    have += (size_t)n;
  }
  if (have) printf("raw received %zu bytes:\n", have);
  used = 0;
  while (used < have) {
    size_t k = print_frame(buf + used, have - used);
    if (!k) {
      printf("  (incomplete)\n");
      break;
    }
    used += k;
  }
}

static coap_context_t *new_context(void) {
  coap_context_t *c = coap_new_context(NULL);
  coap_register_event_handler(c, on_event);
  coap_register_nack_handler(c, on_nack);
  coap_register_ping_handler(c, on_ping);
  coap_register_pong_handler(c, on_pong);
  coap_register_response_handler(c, on_response);
  return c;
}

/* --- server side ---------------------------------------------------------- */

static void server_up(void) {
  coap_address_t a;
  coap_resource_t *r;
  ctx = new_context();
  srv_port = free_tcp_port();
  loopback(&a, srv_port);
  if (!coap_new_endpoint(ctx, &a, COAP_PROTO_TCP)) printf("no TCP endpoint\n");
  r = coap_resource_init(coap_make_str_const("r"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_get);
  coap_add_resource(ctx, r);
}

static void server_down(void) {
  coap_free_context(ctx);
  ctx = NULL;
}

/* A raw client that has exchanged CSMs. */
static int raw_client_ready(void) {
  int fd = raw_connect(srv_port);
  raw_show(fd, 50);
  RAW_SEND(fd, 0x30, 0xe1, 0x22, 0x00, 0xc8); /* CSM Max-Message-Size 200 */
  pump(50);
  return fd;
}

static void server_cases(void) {
  int fd;

  diff_case("server-csm-exchange");
  server_up();
  fd = raw_connect(srv_port);
  raw_show(fd, 50);
  RAW_SEND(fd, 0x30, 0xe1, 0x22, 0x00, 0xc8);
  raw_show(fd, 50);
  diff_case("server-get");
  RAW_SEND(fd, 0x21, 0x01, 0xab, 0xb1, 'r'); /* GET /r token ab */
  raw_show(fd, 50);
  diff_case("server-unknown-resource");
  RAW_SEND(fd, 0x21, 0x01, 0xac, 0xb1, 'x');
  raw_show(fd, 50);
  diff_case("server-ping");
  RAW_SEND(fd, 0x00, 0xe2);
  raw_show(fd, 50);
  diff_case("server-empty-and-unknown-signaling-ignored");
  RAW_SEND(fd, 0x00, 0x00, 0x00, 0xe0, 0x00, 0xe6);
  RAW_SEND(fd, 0x21, 0x01, 0xad, 0xb1, 'r');
  raw_show(fd, 50);
  diff_case("server-pong-handler");
  RAW_SEND(fd, 0x00, 0xe3);
  raw_show(fd, 50);
  diff_case("server-release");
  RAW_SEND(fd, 0x00, 0xe4);
  raw_show(fd, 50);
  close(fd);

  diff_case("server-abort");
  fd = raw_client_ready();
  RAW_SEND(fd, 0x00, 0xe5);
  raw_show(fd, 50);
  close(fd);

  diff_case("server-peer-closes");
  fd = raw_client_ready();
  close(fd);
  pump(50);

  diff_case("server-request-before-csm");
  fd = raw_connect(srv_port);
  raw_show(fd, 50);
  RAW_SEND(fd, 0x21, 0x01, 0xab, 0xb1, 'r');
  raw_show(fd, 50);
  printf("(now the CSM)\n");
  RAW_SEND(fd, 0x00, 0xe1);
  raw_show(fd, 50);
  close(fd);
  pump(50);

  diff_case("server-peer-without-limits");
  fd = raw_connect(srv_port);
  raw_show(fd, 50);
  RAW_SEND(fd, 0x00, 0xe1, 0x21, 0x01, 0xab, 0xb1, 'r'); /* empty CSM: base values */
  raw_show(fd, 50);
  close(fd);
  pump(50);

  diff_case("server-split-messages");
  fd = raw_connect(srv_port);
  raw_show(fd, 50);
  RAW_SEND(fd, 0x30);
  pump(20);
  RAW_SEND(fd, 0xe1, 0x22);
  pump(20);
  RAW_SEND(fd, 0x00, 0xc8, 0x21, 0x01);
  pump(20);
  RAW_SEND(fd, 0xab, 0xb1);
  pump(20);
  RAW_SEND(fd, 'r');
  raw_show(fd, 50);
  close(fd);
  pump(50);

  diff_case("server-oversized-closes");
  coap_context_set_csm_max_message_size(ctx, 100);
  fd = raw_client_ready();
  {
    uint8_t big[2 + 1 + 200];
    big[0] = 0xd0;
    big[1] = 200 + 1 - 13; /* Len: marker + 200 payload bytes */
    big[2] = 0x03;         /* PUT */
    memset(big + 3, 'p', sizeof(big) - 3);
    big[3] = 0xff;
    raw_send(fd, big, sizeof(big));
  }
  pump(50);
  {
    /* Only whether the connection ends (the bytes differ, see above). */
    uint8_t b[512];
    ssize_t n;
    long long end = now_ms() + 200;
    int eof = 0;
    while (now_ms() < end && !eof) {
      n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN)) eof = 1;
      if (n < 0 && errno == EAGAIN) usleep(5000);
    }
    printf("connection ended: %s\n", eof ? "yes" : "no");
  }
  close(fd);
  server_down();

  diff_case("server-idle-session-expires");
  server_up();
  coap_context_set_session_timeout(ctx, 1);
  fd = raw_client_ready();
  raw_show(fd, 1600);
  close(fd);
  server_down();
}

/* --- client side ---------------------------------------------------------- */

static coap_session_t *client_up(int port) {
  coap_address_t a;
  coap_session_t *s;
  ctx = new_context();
  coap_context_set_csm_timeout_ms(ctx, 200);
  loopback(&a, port);
  s = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_TCP);
  printf("new session: %s state %d\n", s ? "yes" : "NULL", s ? (int)coap_session_get_state(s) : -1);
  return s;
}

static coap_pdu_t *get_request(coap_session_t *s, uint8_t token) {
  coap_pdu_t *p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
  coap_add_token(p, 1, &token);
  coap_add_option(p, COAP_OPTION_URI_PATH, 1, (const uint8_t *)"r");
  return p;
}

static void client_cases(void) {
  int lfd, fd, port;
  coap_session_t *s;
  coap_pdu_t *p;

  diff_case("client-connect-and-csm");
  lfd = raw_listen(&port);
  s = client_up(port);
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x30, 0xe1, 0x22, 0x00, 0xc8); /* Max-Message-Size 200 */
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  printf("state %d\n", (int)coap_session_get_state(s));
  printf("message id %d\n", (int)coap_new_message_id(s));
  raw_show(fd, 50);

  diff_case("client-get");
  p = get_request(s, 0x5a);
  printf("new pdu: type %d mid %d\n", (int)coap_pdu_get_type(p), (int)coap_pdu_get_mid(p));
  printf("send -> %d\n", (int)coap_send(s, p));
  raw_show(fd, 50);
  RAW_SEND(fd, 0x31, 0x45, 0x5a, 0xff, 'o', 'k');
  pump(50);

  diff_case("client-ping-pong");
  printf("ping -> %d\n", (int)coap_session_send_ping(s));
  raw_show(fd, 50);
  RAW_SEND(fd, 0x00, 0xe3);
  pump(50);

  diff_case("client-answers-ping");
  RAW_SEND(fd, 0x00, 0xe2);
  raw_show(fd, 50);

  diff_case("client-later-csm");
  RAW_SEND(fd, 0x40, 0xe1, 0x22, 0x13, 0x88, 0x20); /* 5000 + Block-Wise-Transfer */
  pump(50);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));

  diff_case("client-long-token-without-offer");
  {
    uint8_t tok[12];
    memset(tok, 0xee, sizeof(tok));
    p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
    coap_add_token(p, sizeof(tok), tok);
    printf("send -> %d\n", (int)coap_send(s, p));
    raw_show(fd, 50);
  }

  diff_case("client-release");
  RAW_SEND(fd, 0x00, 0xe4);
  raw_show(fd, 50);
  printf("state %d\n", (int)coap_session_get_state(s));
  p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
  printf("send after release -> %d\n", p ? (int)coap_send(s, p) : -99);
  close(fd);
  coap_session_release(s);
  coap_free_context(ctx);

  diff_case("client-peer-closes");
  s = client_up(port);
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x00, 0xe1);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  raw_show(fd, 50);
  printf("send -> %d\n", (int)coap_send(s, get_request(s, 1)));
  raw_show(fd, 50);
  close(fd);
  pump(50);
  printf("state %d\n", (int)coap_session_get_state(s));
  coap_session_release(s);
  coap_free_context(ctx);

  diff_case("client-release-closes-quietly");
  s = client_up(port);
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x00, 0xe1);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  raw_show(fd, 50);
  coap_session_release(s);
  raw_show(fd, 50);
  close(fd);
  coap_free_context(ctx);

  diff_case("client-csm-timeout");
  s = client_up(port);
  fd = raw_accept(lfd);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  printf("state %d\n", (int)coap_session_get_state(s));
  raw_show(fd, 50);
  printf("(a late CSM)\n");
  RAW_SEND(fd, 0x30, 0xe1, 0x22, 0x04, 0x00);
  pump(50);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  close(fd);
  pump(50);
  coap_session_release(s);
  coap_free_context(ctx);

  diff_case("client-token-length-offer");
  s = client_up(port);
  coap_context_set_max_token_size(ctx, 100);
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x20, 0xe1, 0x61, 0x14); /* Extended-Token-Length 20 */
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  {
    uint8_t tok[12];
    memset(tok, 0xee, sizeof(tok));
    p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
    coap_add_token(p, sizeof(tok), tok);
    printf("send -> %d\n", (int)coap_send(s, p));
  }
  raw_show(fd, 50);
  close(fd);
  pump(50);
  coap_session_release(s);
  coap_free_context(ctx);

  diff_case("client-our-csm-with-token-length");
  ctx = new_context();
  coap_context_set_max_token_size(ctx, 100);
  coap_context_set_csm_max_message_size(ctx, 2000);
  {
    coap_address_t a;
    loopback(&a, port);
    s = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_TCP);
  }
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x00, 0xe1);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  raw_show(fd, 50);
  close(fd);
  pump(50);
  coap_session_release(s);
  coap_free_context(ctx);

  diff_case("client-keepalive");
  s = client_up(port);
  fd = raw_accept(lfd);
  RAW_SEND(fd, 0x00, 0xe1);
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  raw_show(fd, 50);
  coap_context_set_keepalive(ctx, 1);
  raw_show(fd, 1400); /* a Ping at 1 s */
  printf("(no pong)\n");
  raw_show(fd, 1000); /* the next at 2 s, with the failure */
  close(fd);
  pump(50);
  coap_session_release(s);
  coap_free_context(ctx);
  close(lfd);

  diff_case("client-connection-refused");
  s = client_up(free_tcp_port());
  printf("max pdu size %zu\n", coap_session_max_pdu_size(s));
  printf("state %d\n", (int)coap_session_get_state(s));
  pump(50);
  p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
  printf("send -> %d\n", p ? (int)coap_send(s, p) : -99);
  coap_session_release(s);
  coap_free_context(ctx);
}

int main(void) {
  (void)diff_dump_pdu;
  diff_setup();
  coap_set_log_handler(tcp_log);
  coap_set_log_level(getenv("TCP_LOG") ? COAP_LOG_DEBUG : COAP_LOG_EMERG);
  printf("tcp supported: %d\n", coap_tcp_is_supported());
  server_cases();
  client_cases();
  coap_cleanup();
  return 0;
}
