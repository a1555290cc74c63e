/* CoAP over WebSockets (RFC 8323 section 4, RFC 6455): a libcoap context
 * and a raw WebSocket peer on loopback in the same process, driven from one
 * thread (the context by coap_io_process(), the peer by plain socket
 * calls), so events happen in a fixed order. Printed: the HTTP upgrade
 * each side sees (the random Sec-WebSocket-Key only by its size), the
 * WebSocket frames the peer receives (opcode, mask bit, unmasked content as
 * CoAP messages or close codes), the events with the session state during
 * each, the handlers' arguments and API return values.
 *
 * libcoap 4.3.1 has no WebSockets at all: every case prints that instead.
 *
 * Left out because this library deliberately follows RFC 6455 where
 * libcoap 4.3.5 does not (covered by tests/unit/websocket_test.cc):
 *  - Ping frames: answered with a Pong here; libcoap closes the connection
 *    with 1003 (it accepts only binary and close frames);
 *  - fragmented messages (continuation frames): reassembled here; libcoap
 *    closes with 1003;
 *  - a masked frame sent to a client, reserved bits or opcodes, control
 *    frames that are too long or fragmented: closed with 1002 here;
 *  - a close frame is answered with the peer's status code here;
 *  - a message above our Max-Message-Size (libcoap's limit is the size of
 *    its read buffer instead, and a client crashes on a larger frame);
 *  - a frame arriving in pieces, the first a single byte (libcoap reports
 *    BAD_PACKET and drops it), and 2-byte CoAP messages (libcoap ignores
 *    them: a Ping or a CSM without options, so the driver's messages carry
 *    an option);
 *  - a Pong carries the Ping's token here (RFC 8323 section 5.4), so the
 *    Pings here have none;
 *  - an upgrade request that offers an extension (Sec-WebSocket-Extensions,
 *    as browsers and the npm package ws send): the offer is declined here
 *    by not naming it in the answer, libcoap refuses the upgrade; list
 *    values of Connection, Upgrade and Sec-WebSocket-Protocol are read as
 *    lists here (libcoap wants the one token alone).
 * Printed differently because libcoap's behaviour there is not meant:
 *  - after a WebSocket close (either side's), libcoap leaves the session
 *    ESTABLISHED with its socket gone (SERVER_SESSION_DEL only when the
 *    context goes); this library ends the session (nack NOT_DELIVERABLE,
 *    TCP_CLOSED, SESSION_CLOSED): only the WebSocket events are printed
 *    after WS_CLOSED in those cases;
 *  - HTTP refusals: libcoap answers every bad upgrade request with "400
 *    Invalid request", this library with RFC 6455's statuses (404 for
 *    another resource, 405 for another method, 426 for another version,
 *    400 otherwise): only the status class is printed;
 *  - a client that gets a bad upgrade answer: libcoap sends "HTTP/1.1 400
 *    Invalid request" back to the server, this library just closes: what
 *    the server receives after the answer is not printed. */
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
/* 4.3.1 has no WebSockets: the cases only say so. */
#define HAVE_WS 0
#else
#define HAVE_WS 1
#endif

static void ws_log(coap_log_t level, const char *message) {
  (void)level;
  if (getenv("WS_LOG")) fprintf(stderr, "%s", message);
}

#if HAVE_WS

static coap_context_t *ctx;
static int srv_port;
static int lfd, lport; /* the raw server's listener (client cases) */
/* Set by cases where only WebSocket events matter after WS_CLOSED. */
static int ws_events_only;
static int ws_closed_seen;

/* --- SHA-1 and base64 for the raw peer's side of the handshake ------------ */

static uint32_t rol(uint32_t v, int n) {
  return (v << n) | (v >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *b) {
  uint32_t w[80], a, bb, c, d, e, f, k, t;
  int i;
  for (i = 0; i < 16; i++)
    w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 |
           b[4 * i + 3];
  for (i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  a = h[0];
  bb = h[1];
  c = h[2];
  d = h[3];
  e = h[4];
  for (i = 0; i < 80; i++) {
    if (i < 20) {
      f = (bb & c) | (~bb & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = bb ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (bb & c) | (bb & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = bb ^ c ^ d;
      k = 0xca62c1d6;
    }
    t = rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rol(bb, 30);
    bb = a;
    a = t;
  }
  h[0] += a;
  h[1] += bb;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

static void sha1(const uint8_t *m, size_t n, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  uint8_t last[128];
  size_t i, rest = n % 64, tail;
  for (i = 0; i + 64 <= n; i += 64) sha1_block(h, m + i);
  memset(last, 0, sizeof(last));
  memcpy(last, m + n - rest, rest);
  last[rest] = 0x80;
  tail = rest < 56 ? 64 : 128;
  for (i = 0; i < 8; i++) last[tail - 1 - i] = (uint8_t)((uint64_t)n * 8 >> (8 * i));
  sha1_block(h, last);
  if (tail == 128) sha1_block(h, last + 64);
  for (i = 0; i < 20; i++) out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(const uint8_t *p, size_t n, char *out) {
  size_t i;
  for (i = 0; i < n; i += 3) {
    uint32_t v =
        (uint32_t)p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    *out++ = b64[v >> 18 & 63];
    *out++ = b64[v >> 12 & 63];
    *out++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
    *out++ = i + 2 < n ? b64[v & 63] : '=';
  }
  *out = 0;
}

/* Bytes a base64 text decodes to (the text is not checked further). */
static size_t base64_size(const char *s) {
  size_t n = strlen(s), pad = 0;
  while (n > 0 && s[n - 1] == '=') {
    n--;
    pad++;
  }
  return (n + pad) / 4 * 3 - pad;
}

static void accept_for(const char *key, char *out) {
  char buf[128];
  uint8_t h[20];
  snprintf(buf, sizeof(buf), "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
  sha1((const uint8_t *)buf, strlen(buf), h);
  base64(h, 20, out);
}

/* --- handlers -------------------------------------------------------------- */

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
#if HAVE_WS
    case COAP_EVENT_WS_PACKET_SIZE:
      return "WS_PACKET_SIZE";
    case COAP_EVENT_WS_CONNECTED:
      return "WS_CONNECTED";
    case COAP_EVENT_WS_CLOSED:
      return "WS_CLOSED";
#endif
    default: {
      static char buf[32];
      snprintf(buf, sizeof(buf), "0x%04x", (unsigned)e);
      return buf;
    }
  }
}

static const char *side(coap_session_t *s) {
  return coap_session_get_type(s) == COAP_SESSION_TYPE_CLIENT ? "client" : "server";
}

static int quiet(void) {
  return ws_events_only && ws_closed_seen;
}

static int on_event(coap_session_t *s, const coap_event_t e) {
#if HAVE_WS
  if (e == COAP_EVENT_WS_CLOSED)
    ws_closed_seen = 1;
  else if (quiet() && e != COAP_EVENT_WS_CONNECTED && e != COAP_EVENT_WS_PACKET_SIZE)
    return 0;
#endif
  printf("%s event %s (state %d)\n", side(s), event_name(e), (int)coap_session_get_state(s));
  return 0;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid) {
  if (quiet()) return;
  printf("%s nack reason %d mid %d sent %s\n", side(s), (int)reason, (int)mid,
         sent ? "pdu" : "NULL");
}

static void on_ping(coap_session_t *s, const coap_pdu_t *p, const coap_mid_t mid) {
  printf("%s ping handler: code %d mid %d\n", side(s), (int)coap_pdu_get_code(p), (int)mid);
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
  size_t len = 0;
  const uint8_t *data = NULL;
  (void)r;
  (void)q;
  coap_get_data(req, &len, &data);
  printf("handler: code %d.%02d type %d, %zu bytes of data, max pdu %zu\n",
         (int)coap_pdu_get_code(req) >> 5, (int)coap_pdu_get_code(req) & 31,
         (int)coap_pdu_get_type(req), len, coap_session_max_pdu_size(s));
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(resp, 2, (const uint8_t *)"hi");
}

/* --- the raw peer ---------------------------------------------------------- */

/* Runs the context for about ms milliseconds. */
static void pump(int ms) {
  long long end = now_ms() + ms;
  while (now_ms() < end) coap_io_process(ctx, 10);
}

typedef struct {
  int fd;
  int is_client; /* the raw end is the WebSocket client (masks its frames) */
  int http_done; /* the upgrade request or response has been seen */
  char key[64];  /* the key of the request the raw server received */
  uint8_t in[70000];
  size_t have;
} raw_t;

static raw_t raw;

static int raw_accept(int lfd) {
  struct pollfd p;
  int fd = -1;
  p.fd = lfd;
  p.events = POLLIN;
  /* The context connects while it runs. */
  long long end = now_ms() + 2000;
  while (now_ms() < end) {
    coap_io_process(ctx, 5);
    if (poll(&p, 1, 0) > 0) {
      fd = accept(lfd, NULL, NULL);
      break;
    }
  }
  if (fd < 0) printf("raw: nothing to accept\n");
  memset(&raw, 0, sizeof(raw));
  raw.fd = fd;
  return fd;
}

static int raw_connect(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) printf("raw: connect failed\n");
  memset(&raw, 0, sizeof(raw));
  raw.fd = fd;
  raw.is_client = 1;
  return fd;
}

static void raw_send(const void *b, size_t n) {
  if (send(raw.fd, b, n, MSG_NOSIGNAL) != (ssize_t)n) printf("raw: send failed\n");
}

static void raw_text(const char *s) {
  raw_send(s, strlen(s));
}

static const uint8_t mask_key[4] = {0x37, 0xfa, 0x21, 0x3d};

/* One frame from the raw end: masked when the raw end is the client. */
static void ws_frame_ex(int fin, int rsv, int op, int masked, const uint8_t *p, size_t n) {
  uint8_t h[14];
  uint8_t *buf;
  size_t hl = 2, i;
  h[0] = (uint8_t)((fin ? 0x80 : 0) | rsv << 4 | op);
  if (n < 126) {
    h[1] = (uint8_t)n;
  } else if (n < 65536) {
    h[1] = 126;
    h[2] = (uint8_t)(n >> 8);
    h[3] = (uint8_t)n;
    hl = 4;
  } else {
    h[1] = 127;
    for (i = 0; i < 8; i++) h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
    hl = 10;
  }
  if (masked) {
    h[1] |= 0x80;
    memcpy(h + hl, mask_key, 4);
    hl += 4;
  }
  buf = malloc(hl + n + 1);
  memcpy(buf, h, hl);
  for (i = 0; i < n; i++) buf[hl + i] = masked ? p[i] ^ mask_key[i % 4] : p[i];
  raw_send(buf, hl + n);
  free(buf);
}

static void ws_frame(int op, const uint8_t *p, size_t n) {
  ws_frame_ex(1, 0, op, raw.is_client, p, n);
}

/* A CoAP message (WebSocket format) in one binary frame. */
#define WS_COAP(...)                           \
  do {                                         \
    static const uint8_t m_[] = {__VA_ARGS__}; \
    ws_frame(2, m_, sizeof(m_));               \
  } while (0)

/* Prints a CoAP message in the WebSocket format (no Len field). */
static void print_coap(const uint8_t *p, size_t n) {
  size_t pos, tkl, i;
  unsigned num = 0;
  if (n < 2) {
    printf("    (short message)\n");
    return;
  }
  tkl = p[0] & 15;
  printf("    %d.%02d len-nibble %d token[%zu]", p[1] >> 5, p[1] & 31, p[0] >> 4, tkl);
  pos = 2;
  for (i = 0; i < tkl && pos + i < n; i++) printf("%s%02x", i ? "" : " ", p[pos + i]);
  pos += tkl;
  while (pos < n && p[pos] != 0xff) {
    unsigned d = p[pos] >> 4, l = p[pos] & 15;
    pos++;
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
    for (i = 0; i < l && pos + i < n; i++) printf("%02x", p[pos + i]);
    pos += l;
  }
  if (pos < n)
    printf(" payload[%zu]=\"%.*s\"", n - pos - 1, n - pos - 1 > 40 ? 40 : (int)(n - pos - 1),
           p + pos + 1);
  printf("\n");
}

/* Prints the HTTP head at the start of the input; 0 while incomplete. */
static size_t print_http(void) {
  char *end, *line, *next;
  char head[4096];
  size_t n;
  raw.in[raw.have < sizeof(raw.in) ? raw.have : sizeof(raw.in) - 1] = 0;
  end = strstr((char *)raw.in, "\r\n\r\n");
  if (!end) return 0;
  n = (size_t)(end - (char *)raw.in) + 4;
  memcpy(head, raw.in, n - 2 < sizeof(head) ? n - 2 : sizeof(head) - 1);
  head[n - 2 < sizeof(head) ? n - 2 : sizeof(head) - 1] = 0;
  if (strncmp(head, "HTTP/1.1 4", 10) == 0) {
    printf("  http: HTTP/1.1 4xx (a refusal)\n");
    return n;
  }
  for (line = head; *line; line = next) {
    next = strstr(line, "\r\n");
    if (!next) break;
    *next = 0;
    next += 2;
    if (strncasecmp(line, "Host: ", 6) == 0 && strchr(line + 6, ':')) {
      char *colon = strrchr(line, ':');
      printf("  http: %.*s:%s\n", (int)(colon - line), line,
             atoi(colon + 1) == lport ? "<port>" : colon + 1);
    } else if (strncasecmp(line, "Sec-WebSocket-Key: ", 19) == 0) {
      snprintf(raw.key, sizeof(raw.key), "%s", line + 19);
      printf("  http: Sec-WebSocket-Key: <%zu characters, %zu bytes>\n", strlen(line + 19),
             base64_size(line + 19));
    } else {
      printf("  http: %s\n", line);
    }
  }
  return n;
}

/* Prints one frame; 0 while incomplete. */
static size_t print_ws_frame(const uint8_t *p, size_t n) {
  uint64_t len;
  size_t hl = 2, i;
  int masked, op;
  uint8_t *data;
  if (n < 2) return 0;
  masked = p[1] >> 7;
  len = p[1] & 127;
  if (len == 126) hl = 4;
  if (len == 127) hl = 10;
  if (masked) hl += 4;
  if (n < hl) return 0;
  if (len == 126) len = (uint64_t)p[2] << 8 | p[3];
  if (len == 127) {
    len = 0;
    for (i = 0; i < 8; i++) len = len << 8 | p[2 + i];
  }
  if (n < hl + len) return 0;
  op = p[0] & 15;
  printf("  frame fin %d rsv %d op %d %s len %llu\n", p[0] >> 7, (p[0] >> 4) & 7, op,
         masked ? "masked" : "unmasked", (unsigned long long)len);
  data = malloc(len + 1);
  for (i = 0; i < len; i++) data[i] = masked ? p[hl + i] ^ p[hl - 4 + i % 4] : p[hl + i];
  if (op == 2) {
    print_coap(data, (size_t)len);
  } else if (op == 8) {
    if (len >= 2)
      printf("    close status %d reason \"%.*s\"\n", data[0] << 8 | data[1], (int)len - 2,
             (const char *)data + 2);
    else
      printf("    close without status\n");
  } else if (len) {
    printf("    payload \"%.*s\"\n", (int)len, (const char *)data);
  }
  free(data);
  return hl + (size_t)len;
}

/* Reads what arrived at the raw peer (after running the context). */
static void raw_show(int ms) {
  struct pollfd p;
  long long end;
  size_t used, k;
  pump(ms);
  end = now_ms() + 20;
  p.fd = raw.fd;
  p.events = POLLIN;
  while (now_ms() < end && poll(&p, 1, 5) > 0) {
    ssize_t n = recv(raw.fd, raw.in + raw.have, sizeof(raw.in) - 1 - raw.have, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) continue;
    if (n <= 0) {
      /* (An end of stream or a reset: which one depends on timing.) */
      printf("raw: connection ended\n");
      break;
    }
    raw.have += (size_t)n;
  }
  used = 0;
  if (!raw.http_done && raw.have) {
    k = print_http();
    if (!k) {
      printf("raw: incomplete HTTP head (%zu bytes)\n", raw.have);
      return;
    }
    raw.http_done = 1;
    used = k;
  }
  while (used < raw.have) {
    k = print_ws_frame(raw.in + used, raw.have - used);
    if (!k) break;
    used += k;
  }
  memmove(raw.in, raw.in + used, raw.have - used);
  raw.have -= used;
  if (raw.have) printf("  (%zu bytes of an incomplete frame)\n", raw.have);
}

/* Whether the library ended the connection within ms. */
static void raw_expect_end(int ms) {
  uint8_t b[512];
  long long end = now_ms() + ms;
  int eof = 0;
  while (now_ms() < end && !eof) {
    ssize_t n;
    coap_io_process(ctx, 5);
    n = recv(raw.fd, b, sizeof(b), MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN)) eof = 1;
  }
  printf("connection ended: %s\n", eof ? "yes" : "no");
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

static const char *good_request =
    "GET /.well-known/coap HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Protocol: coap\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

/* --- server side ------------------------------------------------------------ */

static void server_up(void) {
  coap_address_t a;
  coap_resource_t *r;
  ctx = new_context();
  srv_port = free_tcp_port();
  loopback(&a, srv_port);
  if (!coap_new_endpoint(ctx, &a, COAP_PROTO_WS)) printf("no WS endpoint\n");
  r = coap_resource_init(coap_make_str_const("r"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_get);
  coap_register_request_handler(r, COAP_REQUEST_PUT, hnd_get);
  coap_add_resource(ctx, r);
}

static void server_down(void) {
  if (raw.fd > 0) close(raw.fd);
  raw.fd = -1;
  pump(20);
  coap_free_context(ctx);
  ctx = NULL;
}

/* A raw client that completed the upgrade and sent its CSM. */
static void raw_client_ready(void) {
  raw_connect(srv_port);
  raw_text(good_request);
  raw_show(50);
  WS_COAP(0x00, 0xe1, 0x40); /* CSM with Block-Wise-Transfer */
  pump(30);
}

static void server_upgrade(void) {
  server_up();
  raw_connect(srv_port);
  raw_show(30);
  raw_text(good_request);
  raw_show(50);
}

static void server_csm_and_get(void) {
  WS_COAP(0x00, 0xe1, 0x22, 0x04, 0x00); /* CSM Max-Message-Size 1024 */
  raw_show(30);
  WS_COAP(0x01, 0x01, 0xab, 0xb1, 'r'); /* GET /r token ab */
  raw_show(50);
}

static void server_unknown_resource(void) {
  WS_COAP(0x01, 0x01, 0xac, 0xb1, 'x');
  raw_show(50);
}

static void server_signaling_ping(void) {
  WS_COAP(0x00, 0xe2, 0x20); /* Ping with Custody */
  raw_show(50);
}

static void server_two_messages_one_write(void) {
  static const uint8_t a[] = {0x01, 0x01, 0xa1, 0xb1, 'r'};
  static const uint8_t b[] = {0x01, 0x01, 0xa2, 0xb1, 'r'};
  uint8_t both[2 * (6 + sizeof(a))];
  size_t i, n = 0;
  const uint8_t *m[2] = {a, b};
  int j;
  for (j = 0; j < 2; j++) {
    both[n++] = 0x82;
    both[n++] = 0x80 | (uint8_t)sizeof(a);
    memcpy(both + n, mask_key, 4);
    n += 4;
    for (i = 0; i < sizeof(a); i++) both[n++] = m[j][i] ^ mask_key[i % 4];
  }
  raw_send(both, n);
  raw_show(50);
}

static void server_put_16bit_length(void) {
  uint8_t m[300];
  m[0] = 0x01;
  m[1] = 0x03; /* PUT */
  m[2] = 0xa9;
  m[3] = 0xb1;
  m[4] = 'r';
  m[5] = 0xff;
  memset(m + 6, 'x', sizeof(m) - 6);
  ws_frame(2, m, sizeof(m));
  raw_show(50);
}

static void server_release(void) {
  WS_COAP(0x01, 0xe4, 0x66);
  raw_show(50);
  raw_expect_end(100);
  server_down();
}

static void server_close_frame(void) {
  ws_events_only = 1;
  static const uint8_t code[] = {0x03, 0xe8}; /* 1000 */
  server_up();
  raw_client_ready();
  ws_frame(8, code, sizeof(code));
  raw_show(50);
  raw_expect_end(100);
  server_down();
}

static void server_peer_closes(void) {
  server_up();
  raw_client_ready();
  close(raw.fd);
  raw.fd = -1;
  pump(50);
  server_down();
}

static void server_unmasked_frame(void) {
  ws_events_only = 1;
  static const uint8_t m[] = {0x01, 0x01, 0xab, 0xb1, 'r'};
  server_up();
  raw_client_ready();
  ws_frame_ex(1, 0, 2, 0, m, sizeof(m));
  raw_show(50);
  raw_expect_end(100);
  server_down();
}

static void server_text_frame(void) {
  ws_events_only = 1;
  static const uint8_t m[] = {0x01, 0x01, 0xab, 0xb1, 'r'};
  server_up();
  raw_client_ready();
  ws_frame(1, m, sizeof(m));
  raw_show(50);
  raw_expect_end(100);
  server_down();
}

static void server_upgrade_and_csm_in_one_write(void) {
  uint8_t buf[512];
  size_t n = strlen(good_request);
  static const uint8_t csm[] = {0x00, 0xe1, 0x40};
  server_up();
  raw_connect(srv_port);
  memcpy(buf, good_request, n);
  buf[n++] = 0x82;
  buf[n++] = 0x83;
  memcpy(buf + n, mask_key, 4);
  n += 4;
  buf[n++] = csm[0] ^ mask_key[0];
  buf[n++] = csm[1] ^ mask_key[1];
  buf[n++] = csm[2] ^ mask_key[2];
  raw_send(buf, n);
  raw_show(50);
  WS_COAP(0x01, 0x01, 0xab, 0xb1, 'r');
  raw_show(50);
  server_down();
}

static void server_upgrade_split_in_pieces(void) {
  size_t i, n = strlen(good_request);
  server_up();
  raw_connect(srv_port);
  for (i = 0; i < n; i += 7) {
    raw_send(good_request + i, n - i < 7 ? n - i : 7);
    pump(2);
  }
  raw_show(50);
  server_down();
}

static void server_peer_closes_during_upgrade(void) {
  server_up();
  raw_connect(srv_port);
  raw_text("GET /.well-known/coap HTTP/1.1\r\nHost: h\r\n");
  pump(30);
  close(raw.fd);
  raw.fd = -1;
  pump(50);
  server_down();
}

static void bad_upgrade(const char *request) {
  server_up();
  raw_connect(srv_port);
  raw_text(request);
  raw_show(50);
  raw_expect_end(100);
  server_down();
}

static void server_bad_path(void) {
  bad_upgrade(
      "GET /coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: coap\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
}

static void server_bad_method(void) {
  bad_upgrade(
      "POST /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

static void server_missing_key(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Protocol: coap\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
}

static void server_short_key(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n"
      "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

static void server_wrong_version(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 8\r\n\r\n");
}

static void server_wrong_protocol(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

static void server_missing_protocol(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
}

static void server_missing_host(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

static void server_not_upgrade(void) {
  bad_upgrade(
      "GET /.well-known/coap HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

static void server_header_case_and_extra(void) {
  server_up();
  raw_connect(srv_port);
  raw_text(
      "GET /.well-known/coap HTTP/1.1\r\nhost: h\r\nUser-Agent: probe\r\n"
      "UPGRADE: WebSocket\r\nconnection: upgrade\r\n"
      "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "sec-websocket-protocol: coap\r\nsec-websocket-version: 13\r\n\r\n");
  raw_show(50);
  server_down();
}

static void server_max_pdu(void) {
  server_up();
  raw_client_ready();
  WS_COAP(0x01, 0x01, 0xab, 0xb1, 'r');
  raw_show(50);
  server_down();
}

/* --- client side ------------------------------------------------------------ */

static coap_session_t *cs;

static void client_up(int set_host) {
  coap_address_t a;
  ctx = new_context();
  coap_context_set_csm_timeout_ms(ctx, 200);
  loopback(&a, lport);
  cs = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_WS);
  printf("new session: %s state %d proto %d\n", cs ? "yes" : "NULL",
         cs ? (int)coap_session_get_state(cs) : -1, cs ? (int)coap_session_get_proto(cs) : -1);
  if (cs && set_host) {
    coap_str_const_t h = {11, (const uint8_t *)"example.org"};
    printf("set host -> %d\n", coap_ws_set_host_request(cs, &h));
  }
  raw_accept(lfd);
}

static void client_down(void) {
  if (raw.fd > 0) close(raw.fd);
  raw.fd = -1;
  pump(30);
  if (cs) coap_session_release(cs);
  cs = NULL;
  pump(10);
  coap_free_context(ctx);
  ctx = NULL;
}

static void raw_server_accepts(void) {
  char accept[64], resp[256];
  accept_for(raw.key, accept);
  snprintf(resp, sizeof(resp),
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: coap\r\n\r\n",
           accept);
  raw_text(resp);
}

static coap_pdu_t *get_request(coap_session_t *s, uint8_t token) {
  coap_pdu_t *p = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
  coap_add_token(p, 1, &token);
  coap_add_option(p, COAP_OPTION_URI_PATH, 1, (const uint8_t *)"r");
  return p;
}

static void client_upgrade(void) {
  lfd = raw_listen(&lport);
  client_up(1);
  raw_show(50);
  raw_server_accepts();
  raw_show(50);
  printf("state %d\n", (int)coap_session_get_state(cs));
}

static void client_csm_and_get(void) {
  WS_COAP(0x00, 0xe1, 0x22, 0x04, 0x00); /* Max-Message-Size 1024 */
  pump(30);
  printf("state %d max pdu size %zu\n", (int)coap_session_get_state(cs),
         coap_session_max_pdu_size(cs));
  printf("send -> %d\n", (int)coap_send(cs, get_request(cs, 0x5a)));
  raw_show(50);
  WS_COAP(0x01, 0x45, 0x5a, 0xff, 'o', 'k');
  pump(50);
}

static void client_signaling_ping(void) {
  printf("ping -> %d\n", (int)coap_session_send_ping(cs));
  raw_show(50);
  WS_COAP(0x01, 0xe3, 0x01);
  pump(50);
  WS_COAP(0x00, 0xe2, 0x20);
  raw_show(50);
}

static void client_large_response(void) {
  uint8_t m[1100];
  m[0] = 0x01;
  m[1] = 0x45;
  m[2] = 0x5b;
  m[3] = 0xff;
  memset(m + 4, 'y', sizeof(m) - 4);
  printf("send -> %d\n", (int)coap_send(cs, get_request(cs, 0x5b)));
  raw_show(50);
  ws_frame(2, m, sizeof(m));
  pump(50);
}

static void client_server_close_frame(void) {
  ws_events_only = 1;
  static const uint8_t code[] = {0x03, 0xe8}; /* 1000 */
  ws_frame(8, code, sizeof(code));
  raw_show(50);
  client_down();
}

static void client_release_sends_close(void) {
  client_up(1);
  raw_show(30);
  raw_server_accepts();
  WS_COAP(0x00, 0xe1, 0x40);
  raw_show(50);
  coap_session_release(cs);
  cs = NULL;
  raw_show(50);
  client_down();
}

static void client_default_host(void) {
  client_up(0);
  raw_show(50);
  client_down();
}

static void client_server_says_400(void) {
  client_up(1);
  raw_show(30);
  raw_text("HTTP/1.1 400 Invalid request\r\n\r\n");
  raw_expect_end(100);
  printf("state %d\n", (int)coap_session_get_state(cs));
  client_down();
}

static void client_wrong_accept(void) {
  client_up(1);
  raw_show(30);
  raw_text(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      "Sec-WebSocket-Protocol: coap\r\n\r\n");
  raw_expect_end(100);
  printf("state %d\n", (int)coap_session_get_state(cs));
  client_down();
}

static void client_missing_protocol(void) {
  char accept[64], resp[256];
  client_up(1);
  raw_show(30);
  accept_for(raw.key, accept);
  snprintf(resp, sizeof(resp),
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: %s\r\n\r\n",
           accept);
  raw_text(resp);
  raw_expect_end(100);
  printf("state %d\n", (int)coap_session_get_state(cs));
  client_down();
}

static void client_response_and_csm_in_one_write(void) {
  char accept[64], resp[512];
  size_t n;
  client_up(1);
  raw_show(30);
  accept_for(raw.key, accept);
  n = (size_t)snprintf(resp, sizeof(resp),
                       "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
                       "Sec-WebSocket-Protocol: coap\r\n\r\n",
                       accept);
  resp[n++] = (char)0x82;
  resp[n++] = 3;
  resp[n++] = 0;
  resp[n++] = (char)0xe1;
  resp[n++] = 0x40;
  raw_send(resp, n);
  raw_show(50);
  printf("state %d\n", (int)coap_session_get_state(cs));
  client_down();
}

static void client_peer_closes_during_upgrade(void) {
  client_up(1);
  raw_show(30);
  close(raw.fd);
  raw.fd = -1;
  pump(50);
  printf("state %d\n", (int)coap_session_get_state(cs));
  client_down();
}

static void client_set_host_api(void) {
  coap_str_const_t h = {4, (const uint8_t *)"host"};
  coap_address_t a;
  coap_session_t *u;
  ctx = new_context();
  printf("NULL session -> %d\n", coap_ws_set_host_request(NULL, &h));
  loopback(&a, 5683);
  u = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_UDP);
  printf("NULL host -> %d\n", coap_ws_set_host_request(u, NULL));
  printf("UDP session -> %d\n", coap_ws_set_host_request(u, &h));
  coap_session_release(u);
  coap_free_context(ctx);
  ctx = NULL;
}

static void client_refused(void) {
  coap_address_t a;
  ctx = new_context();
  loopback(&a, free_tcp_port());
  cs = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_WS);
  printf("new session: %s\n", cs ? "yes" : "NULL");
  pump(50);
  if (cs) printf("state %d\n", (int)coap_session_get_state(cs));
  if (cs) coap_session_release(cs);
  cs = NULL;
  coap_free_context(ctx);
  ctx = NULL;
  close(lfd);
}

#endif /* HAVE_WS */

typedef struct {
  const char *name;
  void (*run)(void);
} ws_case_t;

#if HAVE_WS
#define CASE(n, f) \
  { n, f }
#else
#define CASE(n, f) \
  { n, NULL }
#endif

#if HAVE_WS
static void supported(void) {
  printf("ws supported: %d, wss supported: %d\n", coap_ws_is_supported(), coap_wss_is_supported());
}
#endif

static const ws_case_t cases[] = {
    CASE("supported", supported),
    CASE("server-upgrade", server_upgrade),
    CASE("server-csm-and-get", server_csm_and_get),
    CASE("server-unknown-resource", server_unknown_resource),
    CASE("server-signaling-ping", server_signaling_ping),
    CASE("server-two-messages-one-write", server_two_messages_one_write),
    CASE("server-put-16bit-length", server_put_16bit_length),
    CASE("server-release", server_release),
    CASE("server-close-frame", server_close_frame),
    CASE("server-peer-closes", server_peer_closes),
    CASE("server-unmasked-frame", server_unmasked_frame),
    CASE("server-text-frame", server_text_frame),
    CASE("server-upgrade-and-csm-in-one-write", server_upgrade_and_csm_in_one_write),
    CASE("server-upgrade-split-in-pieces", server_upgrade_split_in_pieces),
    CASE("server-peer-closes-during-upgrade", server_peer_closes_during_upgrade),
    CASE("server-bad-path", server_bad_path),
    CASE("server-bad-method", server_bad_method),
    CASE("server-missing-key", server_missing_key),
    CASE("server-short-key", server_short_key),
    CASE("server-wrong-version", server_wrong_version),
    CASE("server-wrong-protocol", server_wrong_protocol),
    CASE("server-missing-protocol", server_missing_protocol),
    CASE("server-missing-host", server_missing_host),
    CASE("server-not-upgrade", server_not_upgrade),
    CASE("server-header-case-and-extra", server_header_case_and_extra),
    CASE("server-max-pdu", server_max_pdu),
    CASE("client-upgrade", client_upgrade),
    CASE("client-csm-and-get", client_csm_and_get),
    CASE("client-signaling-ping", client_signaling_ping),
    CASE("client-large-response", client_large_response),
    CASE("client-server-close-frame", client_server_close_frame),
    CASE("client-release-sends-close", client_release_sends_close),
    CASE("client-default-host", client_default_host),
    CASE("client-server-says-400", client_server_says_400),
    CASE("client-wrong-accept", client_wrong_accept),
    CASE("client-missing-protocol", client_missing_protocol),
    CASE("client-response-and-csm-in-one-write", client_response_and_csm_in_one_write),
    CASE("client-peer-closes-during-upgrade", client_peer_closes_during_upgrade),
    CASE("client-set-host-api", client_set_host_api),
    CASE("client-refused", client_refused),
};

int main(void) {
  size_t i;
  (void)diff_dump_pdu;
  diff_setup();
  coap_set_log_handler(ws_log);
  coap_set_log_level(getenv("WS_LOG") ? COAP_LOG_DEBUG : COAP_LOG_EMERG);
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    diff_case(cases[i].name);
#if HAVE_WS
    ws_events_only = ws_closed_seen = 0;
#endif
    if (cases[i].run)
      cases[i].run();
    else
      printf("no WebSockets in this libcoap\n");
  }
  coap_cleanup();
  return 0;
}
