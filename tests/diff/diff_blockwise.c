/* Differential driver: coap_add_data_large_request(),
 * coap_add_data_large_response() and coap_get_data_large() as far as they
 * are visible without a network: the PDU they build (options, payload
 * size and bytes), return values, when the release callback runs and the
 * events they raise. Sessions are client sessions that never send. The
 * PRNG is all zeros so Request-Tag values are predictable. */
#include "diff_common.h"

#include <netinet/in.h>
#include <stdlib.h>

static int released;
static int last_app;

static void on_release(coap_session_t *session, void *app_ptr) {
  (void)session;
  ++released;
  last_app = app_ptr ? *(int *)app_ptr : -1;
}

static int on_event(coap_session_t *session, const coap_event_t event) {
  (void)session;
  printf("event 0x%04x\n", (unsigned)event);
  return 0;
}

static int zero_prng(void *out, size_t len) {
  memset(out, 0, len);
  return 1;
}

static uint8_t body[70000];

/* Options in hex, payload size and a checksum of the payload. */
static void dump(const char *what, const coap_pdu_t *pdu, int ret) {
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  const uint8_t *data = NULL;
  size_t len = 0, offset = 0, total = 0, i;
  unsigned sum = 0;
  printf("%s: ret %d released %d code %d.%02d type %d\n", what, ret, released,
         (int)coap_pdu_get_code(pdu) >> 5, (int)coap_pdu_get_code(pdu) & 31,
         (int)coap_pdu_get_type(pdu));
  if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while ((opt = coap_option_next(&it)) != NULL) {
      char label[32];
      snprintf(label, sizeof(label), "  opt %u", (unsigned)it.number);
      diff_hex(label, coap_opt_value(opt), coap_opt_length(opt));
    }
  }
  if (coap_get_data_large(pdu, &len, &data, &offset, &total)) {
    for (i = 0; i < len; i++) sum = sum * 31 + data[i];
    printf("  data %zu bytes (offset %zu total %zu) sum %08x first %02x\n", len, offset, total, sum,
           len ? data[0] : 0);
    if (len <= 40) diff_hex("  bytes", data, len);
  } else {
    printf("  no data (len %zu total %zu)\n", len, total);
  }
}

static coap_context_t *ctx;

static coap_session_t *new_session(unsigned mode, size_t max_block, uint16_t port) {
  coap_address_t a;
  coap_session_t *s;
  if (ctx) coap_free_context(ctx);
  ctx = coap_new_context(NULL);
  coap_register_event_handler(ctx, on_event);
  coap_context_set_block_mode(ctx, mode);
#if LIBCOAP_VERSION >= 4003002ULL
  if (max_block) coap_context_set_max_block_size(ctx, max_block);
#else
  (void)max_block; /* 4.3.1 has no coap_context_set_max_block_size() */
#endif
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  a.addr.sin.sin_addr.s_addr = htonl(0x7f000001);
  a.size = sizeof(a.addr.sin);
  s = coap_new_client_session(ctx, NULL, &a, COAP_PROTO_UDP);
  if (!s) printf("no session\n");
  return s;
}

static coap_pdu_t *new_request(coap_session_t *s, coap_pdu_code_t code, int block1_szx) {
  static const uint8_t token[] = {0xca, 0xfe};
  uint8_t buf[4];
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, code, 0x1234, coap_session_max_pdu_size(s));
  coap_add_token(pdu, sizeof(token), token);
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 6, (const uint8_t *)"upload");
  if (block1_szx >= 0) {
    coap_add_option(pdu, COAP_OPTION_BLOCK1,
                    coap_encode_var_safe(buf, sizeof(buf), (unsigned)block1_szx), buf);
  }
  return pdu;
}

static void request_case(const char *name, unsigned mode, size_t max_block, size_t length,
                         int szx) {
  coap_session_t *s;
  coap_pdu_t *pdu;
  int app = 7;
  int ret;
  diff_case(name);
  released = 0;
  s = new_session(mode, max_block, 20299);
  if (!s) return;
  pdu = new_request(s, COAP_REQUEST_CODE_PUT, szx);
  ret = coap_add_data_large_request(s, pdu, length, body, on_release, &app);
  dump("request", pdu, ret);
  coap_delete_pdu(pdu);
  printf("after delete: released %d\n", released);
  coap_session_release(s);
  printf("after session release: released %d app %d\n", released, last_app);
}

static void response_case(const char *name, unsigned mode, size_t length, int b2_num, int b2_szx,
                          int maxage, uint64_t etag, const char *query) {
  coap_session_t *s;
  coap_pdu_t *request, *response;
  coap_resource_t *r;
  coap_string_t *q = NULL;
  uint8_t buf[4];
  static const uint8_t token[] = {0x42};
  int app = 9;
  int ret;
  diff_case(name);
  released = 0;
  s = new_session(mode, 0, 20298);
  if (!s) return;
  r = coap_resource_init(coap_make_str_const("big"), 0);
  coap_add_resource(ctx, r); /* freed with the context */
  request = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x77, 1152);
  coap_add_token(request, sizeof(token), token);
  coap_add_option(request, COAP_OPTION_URI_PATH, 3, (const uint8_t *)"big");
  if (b2_num >= 0) {
    coap_add_option(
        request, COAP_OPTION_BLOCK2,
        coap_encode_var_safe(buf, sizeof(buf), ((unsigned)b2_num << 4) | (unsigned)b2_szx), buf);
  }
  if (query) {
    q = coap_new_string(strlen(query));
    memcpy(q->s, query, strlen(query));
  }
  response = coap_pdu_init(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 0x77,
                           coap_session_max_pdu_size(s));
  coap_add_token(response, sizeof(token), token);
  ret = coap_add_data_large_response(r, s, request, response, q, COAP_MEDIATYPE_TEXT_PLAIN, maxage,
                                     etag, length, body, on_release, &app);
  dump("response", response, ret);
  /* A second body for the same resource replaces the first transfer. */
  coap_delete_pdu(response);
  response = coap_pdu_init(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 0x78,
                           coap_session_max_pdu_size(s));
  coap_add_token(response, sizeof(token), token);
  ret = coap_add_data_large_response(r, s, request, response, q, COAP_MEDIATYPE_TEXT_PLAIN, maxage,
                                     etag, length, body, on_release, &app);
  dump("again", response, ret);
  coap_delete_pdu(response);
  coap_delete_pdu(request);
  coap_delete_string(q);
  coap_session_release(s);
  printf("after session release: released %d\n", released);
}

int main(void) {
  size_t i;
  coap_pdu_t *pdu;
  coap_session_t *s;
  int ret;
  diff_setup();
  /* libcoap shows PDUs at debug level while it works: not compared. */
  coap_set_log_level(COAP_LOG_WARN);
  coap_set_prng(zero_prng);
  for (i = 0; i < sizeof(body); i++) body[i] = (uint8_t)(i * 7 + (i >> 8));

  diff_case("get_data_large-plain");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_RESPONSE_CODE_CONTENT, 1, 100);
  dump("empty", pdu, 0);
  coap_add_data(pdu, 5, (const uint8_t *)"hello");
  dump("hello", pdu, 0);
  coap_delete_pdu(pdu);

  request_case("request-no-libcoap-small", 0, 0, 100, -1);
  request_case("request-no-libcoap-large", 0, 0, 5000, -1);
  request_case("request-small", COAP_BLOCK_USE_LIBCOAP, 0, 100, -1);
  request_case("request-empty", COAP_BLOCK_USE_LIBCOAP, 0, 0, -1);
  request_case("request-1000", COAP_BLOCK_USE_LIBCOAP, 0, 1000, -1);
  request_case("request-1100", COAP_BLOCK_USE_LIBCOAP, 0, 1100, -1);
  request_case("request-5000", COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY, 0, 5000, -1);
  request_case("request-65000", COAP_BLOCK_USE_LIBCOAP, 0, 65000, -1);
  request_case("request-hint-16", COAP_BLOCK_USE_LIBCOAP, 0, 5000, 0);
  request_case("request-hint-256", COAP_BLOCK_USE_LIBCOAP, 0, 5000, 4);
  request_case("request-hint-small-body", COAP_BLOCK_USE_LIBCOAP, 0, 10, 2);
  request_case("request-max-64", COAP_BLOCK_USE_LIBCOAP, 64, 5000, -1);
  request_case("request-max-512-hint-1024", COAP_BLOCK_USE_LIBCOAP, 512, 5000, 6);

  diff_case("request-already-has-data");
  released = 0;
  s = new_session(COAP_BLOCK_USE_LIBCOAP, 0, 20297);
  pdu = new_request(s, COAP_REQUEST_CODE_PUT, -1);
  coap_add_data(pdu, 3, (const uint8_t *)"abc");
  ret = coap_add_data_large_request(s, pdu, 5000, body, on_release, NULL);
  dump("request", pdu, ret);
  coap_delete_pdu(pdu);

  diff_case("request-keeps-request-tag");
  released = 0;
  pdu = new_request(s, COAP_REQUEST_CODE_POST, -1);
  coap_add_option(pdu, COAP_OPTION_RTAG, 2, (const uint8_t *)"\x01\x02");
  ret = coap_add_data_large_request(s, pdu, 3000, body, on_release, NULL);
  dump("request", pdu, ret);
  coap_delete_pdu(pdu);

  diff_case("request-tags-count-up");
  released = 0;
  for (i = 0; i < 3; i++) {
    uint8_t tok = (uint8_t)(0x10 + i);
    pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 5, coap_session_max_pdu_size(s));
    coap_add_token(pdu, 1, &tok);
    ret = coap_add_data_large_request(s, pdu, 2000, body, on_release, NULL);
    dump("request", pdu, ret);
    coap_delete_pdu(pdu);
  }
  coap_session_release(s);

  response_case("response-small", COAP_BLOCK_USE_LIBCOAP, 100, -1, 0, -1, 0, NULL);
  response_case("response-small-etag-maxage", COAP_BLOCK_USE_LIBCOAP, 100, -1, 0, 30, 0xabcdef,
                NULL);
  response_case("response-large", COAP_BLOCK_USE_LIBCOAP, 5000, -1, 0, -1, 0, NULL);
  response_case("response-large-maxage-query", COAP_BLOCK_USE_LIBCOAP, 5000, -1, 0, 60, 0x1122,
                "a=1");
  response_case("response-block0-szx3", COAP_BLOCK_USE_LIBCOAP, 5000, 0, 3, -1, 0, NULL);
  response_case("response-block2-szx4", COAP_BLOCK_USE_LIBCOAP, 5000, 2, 4, -1, 0, NULL);
  response_case("response-block-beyond", COAP_BLOCK_USE_LIBCOAP, 5000, 100, 4, -1, 0, NULL);
  response_case("response-block0-small-body", COAP_BLOCK_USE_LIBCOAP, 20, 0, 0, -1, 0, NULL);
  response_case("response-no-libcoap", 0, 5000, -1, 0, -1, 0, NULL);
  response_case("response-no-libcoap-small", 0, 100, -1, 0, 5, 0, NULL);

  coap_free_context(ctx);
  coap_cleanup();
  return 0;
}
