/* Differential cases for the block-wise helpers of coap_block.h
 * (RFC 7959): option decoding, block sizing, block payloads, body
 * reassembly and coap_add_data_blocked_response(). Sessions are always
 * NULL here (no BERT). Calls on which libcoap asserts or crashes (NULL
 * block or PDU, PDUs without size limit in the write functions, NULL data
 * with a length) are covered by tests/unit/block_test.cc instead. */
#include "diff_common.h"

#include <stdlib.h>

static uint8_t body[3000];

static void init_body(void) {
  size_t i;
  for (i = 0; i < sizeof(body); i++) body[i] = (uint8_t)(i * 7 + 1);
}

static void show_block(const coap_block_t *b) {
  printf("block num %u m %u szx %u\n", b->num, (unsigned)b->m, (unsigned)b->szx);
}

static void show_block_b(const coap_block_b_t *b) {
  printf("block_b num %u m %u szx %u aszx %u defined %u bert %u chunk %u\n", b->num, (unsigned)b->m,
         (unsigned)b->szx, (unsigned)b->aszx, (unsigned)b->defined, (unsigned)b->bert,
         (unsigned)b->chunk_size);
}

/* PDU of max_size bytes with a token of tkl bytes, one Uri-Path option of
 * path_len bytes and a payload of data_len bytes (each if non-zero). */
static coap_pdu_t *make_pdu(size_t max_size, size_t tkl, size_t path_len, size_t data_len) {
  static const uint8_t fill[64] = "0123456789abcdef0123456789abcdef0123456789abcdef012345678";
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, max_size);
  if (tkl) coap_add_token(pdu, tkl, fill);
  if (path_len) coap_add_option(pdu, COAP_OPTION_URI_PATH, path_len, fill);
  if (data_len) coap_add_data(pdu, data_len, body);
  return pdu;
}

/* ------------------------------------------------------------------ */
/* coap_opt_block_num() on raw options */

static void opt_num_case(const char *name, const uint8_t *opt) {
  diff_case(name);
  printf("num %u more %d szx %d\n", coap_opt_block_num(opt), COAP_OPT_BLOCK_MORE(opt) ? 1 : 0,
         (int)COAP_OPT_BLOCK_SZX(opt));
}

#define OPT_NUM(name, ...)                     \
  do {                                         \
    static const uint8_t o_[] = {__VA_ARGS__}; \
    opt_num_case(name, o_);                    \
  } while (0)

static void opt_num_cases(void) {
  OPT_NUM("num-empty", 0xd0, 0x0a);
  OPT_NUM("num-1-byte", 0xd1, 0x0a, 0x5a);
  OPT_NUM("num-1-byte-m", 0xd1, 0x0a, 0xfe);
  OPT_NUM("num-2-bytes", 0xd2, 0x0a, 0x12, 0x34);
  OPT_NUM("num-3-bytes", 0xd3, 0x0a, 0x12, 0x34, 0x56);
  OPT_NUM("num-3-bytes-max", 0xd3, 0x0a, 0xff, 0xff, 0xff);
  OPT_NUM("num-4-bytes", 0xd4, 0x0a, 0x12, 0x34, 0x56, 0x78);
  OPT_NUM("num-5-bytes", 0x05, 0x9a, 0x12, 0x34, 0x56, 0x78);
  OPT_NUM("num-6-bytes", 0x06, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
  OPT_NUM("num-13-bytes", 0x0d, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
          0xbb, 0xcc, 0xdd);
  OPT_NUM("num-delta-14", 0xe1, 0x00, 0x10, 0x3c);
}

/* ------------------------------------------------------------------ */
/* coap_get_block() / coap_get_block_b() */

static void get_block_pdu(const char *name, coap_pdu_t *pdu) {
  coap_block_t b;
  coap_block_b_t bb;
  int rc;
  diff_case(name);
  memset(&b, 0x55, sizeof(b));
  rc = coap_get_block(pdu, COAP_OPTION_BLOCK2, &b);
  printf("get_block2 -> %d ", rc);
  show_block(&b);
  memset(&bb, 0x55, sizeof(bb));
  rc = coap_get_block_b(NULL, pdu, COAP_OPTION_BLOCK2, &bb);
  printf("get_block_b2 -> %d ", rc);
  show_block_b(&bb);
  memset(&b, 0x55, sizeof(b));
  rc = coap_get_block(pdu, COAP_OPTION_BLOCK1, &b);
  printf("get_block1 -> %d ", rc);
  show_block(&b);
  memset(&bb, 0x55, sizeof(bb));
  rc = coap_get_block_b(NULL, pdu, COAP_OPTION_BLOCK1, &bb);
  printf("get_block_b1 -> %d ", rc);
  show_block_b(&bb);
}

/* Block2 option with the given value in a fresh PDU (plus a payload). */
static void get_block_case(const char *name, const uint8_t *value, size_t len, size_t data_len) {
  coap_pdu_t *pdu = make_pdu(2000, 0, 0, 0);
  coap_add_option(pdu, COAP_OPTION_BLOCK2, len, value);
  if (data_len) coap_add_data(pdu, data_len, body);
  get_block_pdu(name, pdu);
  coap_delete_pdu(pdu);
}

#define GET_BLOCK(name, data_len, ...)              \
  do {                                              \
    static const uint8_t v_[] = {__VA_ARGS__};      \
    get_block_case(name, v_, sizeof(v_), data_len); \
  } while (0)

/* A received message, parsed from UDP bytes. */
static void get_block_parsed(const char *name, const uint8_t *bytes, size_t len) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 1400);
  if (!coap_pdu_parse(COAP_PROTO_UDP, bytes, len, pdu)) {
    diff_case(name);
    printf("parse failed\n");
  } else {
    get_block_pdu(name, pdu);
  }
  coap_delete_pdu(pdu);
}

#define GET_PARSED(name, ...)                  \
  do {                                         \
    static const uint8_t m_[] = {__VA_ARGS__}; \
    get_block_parsed(name, m_, sizeof(m_));    \
  } while (0)

static void get_block_cases(void) {
  coap_pdu_t *pdu;
  coap_block_t b;
  coap_block_b_t bb;

  pdu = make_pdu(100, 0, 3, 0);
  get_block_pdu("get-no-option", pdu);
  coap_delete_pdu(pdu);

  diff_case("get-null-pdu");
  memset(&b, 0x55, sizeof(b));
  printf("get_block -> %d ", coap_get_block(NULL, COAP_OPTION_BLOCK2, &b));
  show_block(&b);
  memset(&bb, 0x55, sizeof(bb));
  printf("get_block_b -> %d ", coap_get_block_b(NULL, NULL, COAP_OPTION_BLOCK2, &bb));
  show_block_b(&bb);

  get_block_case("get-empty-value", NULL, 0, 0);
  GET_BLOCK("get-1-byte-szx0", 0, 0x10);
  GET_BLOCK("get-1-byte-m-szx6", 0, 0x2e);
  GET_BLOCK("get-1-byte-num15", 0, 0xf5);
  GET_BLOCK("get-2-bytes", 0, 0x01, 0x0a);
  GET_BLOCK("get-3-bytes-max-num", 0, 0xff, 0xff, 0xf6);
  GET_BLOCK("get-4-bytes-small-num", 0, 0x00, 0x00, 0x01, 0x2a);
  GET_BLOCK("get-4-bytes-num-too-big", 0, 0x01, 0x00, 0x00, 0x0b);
  GET_BLOCK("get-szx7-bert-on-udp", 100, 0x1f);
  GET_BLOCK("get-szx7-no-more", 0, 0x27);
  GET_BLOCK("get-with-payload", 64, 0x1a);

  /* Both Block options, added out of order. */
  pdu = make_pdu(200, 2, 4, 0);
  {
    uint8_t v2 = 0x3d, v1[2] = {0x01, 0x02};
    coap_add_option(pdu, COAP_OPTION_BLOCK2, 1, &v2);
    coap_add_option(pdu, COAP_OPTION_BLOCK1, 2, v1);
  }
  get_block_pdu("get-block1-and-block2", pdu);
  coap_delete_pdu(pdu);

  /* RFC 7959 section 3 figures, as received: "2:1/1/128" response (Figure
   * 2), "1:0/1/128" request (Figure 5), "2:0/0/64" early negotiation
   * (Figure 3) and a Block1 with a one-byte-too-long BERT payload. */
  GET_PARSED("rfc7959-fig2-response", 0x60, 0x45, 0x12, 0x35, 0xd1, 0x0a, 0x1b, 0xff, 'x', 'y');
  GET_PARSED("rfc7959-fig5-request", 0x40, 0x03, 0x12, 0x34, 0xb3, 'o', 'p', 't', 0xd1, 0x02, 0x0b,
             0xff, 'a');
  GET_PARSED("rfc7959-fig3-early-negotiation", 0x40, 0x01, 0x12, 0x34, 0xd1, 0x0a, 0x02);
  GET_PARSED("parsed-two-block2", 0x40, 0x01, 0x12, 0x34, 0xd1, 0x0a, 0x02, 0x01, 0x33);
  GET_PARSED("parsed-block2-and-q-block2", 0x40, 0x01, 0x12, 0x34, 0xd1, 0x0a, 0x22, 0xd1, 0x04,
             0x35);
}

/* ------------------------------------------------------------------ */
/* coap_write_block_opt() / coap_write_block_b_opt() */

static void write_case(const char *name, coap_pdu_t *pdu, unsigned num, unsigned m, unsigned szx,
                       coap_option_num_t number, size_t total) {
  coap_block_t b;
  int rc;
  diff_case(name);
  b.num = num;
  b.m = m;
  b.szx = szx;
  rc = coap_write_block_opt(&b, number, pdu, total);
  printf("write_block_opt -> %d ", rc);
  show_block(&b);
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);
}

static void write_b_case(const char *name, coap_pdu_t *pdu, const coap_block_b_t *in,
                         coap_option_num_t number, size_t total) {
  coap_block_b_t b = *in;
  int rc;
  diff_case(name);
  rc = coap_write_block_b_opt(NULL, &b, number, pdu, total);
  printf("write_block_b_opt -> %d ", rc);
  show_block_b(&b);
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);
}

static coap_block_b_t bb_of(unsigned num, unsigned szx, unsigned defined, unsigned bert) {
  coap_block_b_t b;
  memset(&b, 0, sizeof(b));
  b.num = num;
  b.szx = szx;
  b.aszx = szx;
  b.defined = defined;
  b.bert = bert;
  return b;
}

static void write_block_cases(void) {
  coap_block_b_t b;
  uint8_t v[3] = {1, 2, 3};
  coap_pdu_t *pdu;

  write_case("write-fits", make_pdu(100, 0, 0, 0), 1, 1, 2, COAP_OPTION_BLOCK2, 200);
  write_case("write-fits-last", make_pdu(100, 0, 0, 0), 1, 1, 2, COAP_OPTION_BLOCK2, 100);
  write_case("write-exact-end", make_pdu(100, 0, 0, 0), 0, 0, 2, COAP_OPTION_BLOCK2, 64);
  write_case("write-empty-body", make_pdu(100, 0, 0, 0), 0, 0, 2, COAP_OPTION_BLOCK2, 0);
  write_case("write-block1-zero-value", make_pdu(100, 0, 0, 0), 0, 1, 0, COAP_OPTION_BLOCK1, 10);
  write_case("write-illegal-block", make_pdu(100, 0, 0, 0), 2, 0, 2, COAP_OPTION_BLOCK2, 128);
  write_case("write-illegal-block-empty", make_pdu(100, 0, 0, 0), 1, 0, 0, COAP_OPTION_BLOCK2, 0);
  write_case("write-shrink", make_pdu(100, 0, 0, 0), 0, 0, 6, COAP_OPTION_BLOCK2, 2000);
  write_case("write-shrink-num1", make_pdu(100, 0, 0, 0), 1, 0, 6, COAP_OPTION_BLOCK2, 2000);
  write_case("write-shrink-last-fits", make_pdu(100, 0, 0, 0), 1, 0, 6, COAP_OPTION_BLOCK2, 1100);
  write_case("write-token-and-options", make_pdu(100, 8, 20, 0), 0, 0, 6, COAP_OPTION_BLOCK2, 2000);
  write_case("write-after-payload", make_pdu(100, 0, 0, 50), 0, 0, 6, COAP_OPTION_BLOCK2, 2000);
  write_case("write-no-room", make_pdu(20, 0, 8, 0), 0, 0, 2, COAP_OPTION_BLOCK2, 128);
  write_case("write-no-room-final-fits", make_pdu(20, 0, 8, 0), 0, 0, 2, COAP_OPTION_BLOCK2, 5);
  write_case("write-room-16", make_pdu(25, 0, 8, 0), 0, 0, 2, COAP_OPTION_BLOCK2, 128);
  write_case("write-szx7", make_pdu(3000, 0, 0, 0), 1, 0, 7, COAP_OPTION_BLOCK2, 5000);
  write_case("write-szx7-shrink", make_pdu(1500, 0, 0, 0), 1, 0, 7, COAP_OPTION_BLOCK2, 5000);
  write_case("write-3-byte-num", make_pdu(100, 0, 0, 0), 0x12345, 0, 0, COAP_OPTION_BLOCK2,
             0x1234600);
  write_case("write-4-byte-num", make_pdu(100, 0, 0, 0), 0x123456, 0, 0, COAP_OPTION_BLOCK2,
             0x12345700);

  pdu = make_pdu(100, 0, 0, 0);
  coap_add_option(pdu, COAP_OPTION_BLOCK2, 3, v);
  coap_add_option(pdu, COAP_OPTION_SIZE2, 1, v);
  write_case("write-replaces-block2", pdu, 0, 0, 1, COAP_OPTION_BLOCK2, 20);

  pdu = make_pdu(100, 0, 0, 0);
  coap_add_option(pdu, COAP_OPTION_SIZE1, 1, v);
  write_case("write-block1-before-size1", pdu, 3, 1, 0, COAP_OPTION_BLOCK1, 100);

  b = bb_of(0, 2, 0, 0);
  write_b_case("write-b-fits", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 100);
  write_b_case("write-b-big-body", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 2000);
  b = bb_of(0, 6, 0, 0);
  write_b_case("write-b-no-bert-without-session", make_pdu(3000, 0, 0, 0), &b, COAP_OPTION_BLOCK2,
               5000);
  b = bb_of(2, 6, 1, 1);
  write_b_case("write-b-bert-flag-udp", make_pdu(3000, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 5000);
  b = bb_of(0, 6, 1, 0);
  write_b_case("write-b-shrink-keeps-aszx", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 2000);
  b = bb_of(1, 6, 1, 0);
  write_b_case("write-b-shrink-num1", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 2000);
  b = bb_of(0, 7, 1, 0);
  write_b_case("write-b-szx7", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 200);
  b = bb_of(2, 3, 0, 0);
  b.aszx = 5;
  b.m = 1;
  b.chunk_size = 77;
  write_b_case("write-b-illegal-untouched", make_pdu(3000, 0, 0, 0), &b, COAP_OPTION_BLOCK2, 200);
  b = bb_of(0, 2, 1, 0);
  b.chunk_size = 99;
  write_b_case("write-b-no-room", make_pdu(20, 0, 8, 0), &b, COAP_OPTION_BLOCK2, 128);
  b = bb_of(3, 0, 1, 0);
  write_b_case("write-b-block1-last", make_pdu(100, 0, 0, 0), &b, COAP_OPTION_BLOCK1, 60);
}

/* ------------------------------------------------------------------ */
/* coap_add_block() / coap_add_block_b_data() */

static void show_data(const coap_pdu_t *pdu) {
  size_t len;
  const uint8_t *data;
  if (coap_get_data(pdu, &len, &data))
    printf("data %zu bytes, first %02x last %02x\n", len, data[0], data[len - 1]);
  else
    printf("no data\n");
}

static void add_block_case(const char *name, coap_pdu_t *pdu, size_t len, unsigned num,
                           unsigned szx) {
  diff_case(name);
  printf("add_block -> %d\n", coap_add_block(pdu, len, body, num, (unsigned char)szx));
  show_data(pdu);
  coap_delete_pdu(pdu);
}

static void add_block_b_case(const char *name, coap_pdu_t *pdu, size_t len, coap_block_b_t b) {
  diff_case(name);
  printf("add_block_b_data -> %d\n", coap_add_block_b_data(pdu, len, body, &b));
  show_block_b(&b);
  show_data(pdu);
  coap_delete_pdu(pdu);
}

static void add_block_cases(void) {
  coap_block_b_t b;
  coap_pdu_t *pdu;

  add_block_case("add-block-0", make_pdu(2000, 0, 0, 0), 100, 0, 2);
  add_block_case("add-block-middle", make_pdu(2000, 0, 0, 0), 100, 1, 1);
  add_block_case("add-block-last-partial", make_pdu(2000, 0, 0, 0), 100, 3, 1);
  add_block_case("add-block-past-end", make_pdu(2000, 0, 0, 0), 96, 3, 1);
  add_block_case("add-block-empty-body", make_pdu(2000, 0, 0, 0), 0, 0, 0);
  add_block_case("add-block-too-big", make_pdu(50, 0, 0, 0), 3000, 0, 6);
  add_block_case("add-block-szx7", make_pdu(0, 0, 0, 0), 3000, 0, 7);
  add_block_case("add-block-szx9", make_pdu(0, 0, 0, 0), 3000, 0, 9);
  add_block_case("add-block-has-data", make_pdu(2000, 0, 0, 5), 100, 0, 2);
  pdu = make_pdu(2000, 2, 3, 0);
  add_block_case("add-block-after-options", pdu, 40, 2, 0);

  b = bb_of(2, 1, 0, 0);
  b.chunk_size = 5;
  add_block_b_case("add-block-b-normal", make_pdu(2500, 0, 0, 0), 80, b);
  b.num = 3;
  add_block_b_case("add-block-b-past-end", make_pdu(2500, 0, 0, 0), 96, b);
  b = bb_of(0, 6, 0, 0);
  add_block_b_case("add-block-b-too-big", make_pdu(50, 0, 0, 0), 3000, b);
  b = bb_of(1, 6, 1, 1);
  add_block_b_case("add-block-b-bert", make_pdu(2500, 0, 0, 0), 3000, b);
  add_block_b_case("add-block-b-bert-last", make_pdu(2500, 0, 0, 0), 1500, b);
  add_block_b_case("add-block-b-bert-small-pdu", make_pdu(1000, 0, 0, 0), 3000, b);
  b.num = 0;
  add_block_b_case("add-block-b-bert-unbounded", make_pdu(0, 0, 0, 0), 3000, b);
  add_block_b_case("add-block-b-bert-unbounded-token", make_pdu(0, 2, 0, 0), 3000, b);
  add_block_b_case("add-block-b-bert-options", make_pdu(2100, 4, 30, 0), 3000, b);
}

/* ------------------------------------------------------------------ */
/* coap_block_build_body() */

static void show_body(const coap_binary_t *b, size_t from, size_t to) {
  if (!b) {
    printf("body NULL\n");
    return;
  }
  printf("body length %zu\n", b->length);
  if (to > from) diff_hex("bytes", b->s + from, to - from);
}

static void build_body_cases(void) {
  coap_binary_t *b;

  diff_case("body-first-piece");
  b = coap_block_build_body(NULL, 4, body, 0, 10);
  show_body(b, 0, 4);
  b = coap_block_build_body(b, 2, body + 4, 4, 10);
  show_body(b, 0, 6);
  b = coap_block_build_body(b, 4, body + 6, 6, 10);
  show_body(b, 0, 10);
  coap_delete_binary(b);

  diff_case("body-beyond-total");
  b = coap_block_build_body(NULL, 4, body, 0, 10);
  b = coap_block_build_body(b, 4, body + 8, 8, 10);
  show_body(b, 8, 12);
  b = coap_block_build_body(b, 4, body + 20, 8, 10);
  show_body(b, 8, 12);
  coap_delete_binary(b);

  diff_case("body-total-zero");
  b = coap_block_build_body(NULL, 4, body, 0, 0);
  show_body(b, 0, 0);

  diff_case("body-null-data");
  b = coap_block_build_body(NULL, 4, NULL, 0, 10);
  show_body(b, 0, 0);

  diff_case("body-shrinks-to-piece");
  b = coap_new_binary(10);
  memset(b->s, 'z', 10);
  b = coap_block_build_body(b, 2, body, 1, 20);
  show_body(b, 0, b ? b->length : 0);
  coap_delete_binary(b);

  diff_case("body-total-smaller-than-body");
  b = coap_new_binary(10);
  memset(b->s, 'z', 10);
  b = coap_block_build_body(b, 2, body, 1, 5);
  show_body(b, 0, b ? b->length : 0);
  coap_delete_binary(b);

  diff_case("body-empty-pieces");
  b = coap_block_build_body(NULL, 0, body, 0, 5);
  show_body(b, 0, 0);
  b = coap_block_build_body(b, 0, body, 9, 5);
  show_body(b, 0, 0);
  coap_delete_binary(b);

  diff_case("body-blocks-of-64");
  {
    size_t off;
    b = NULL;
    for (off = 0; off < 300; off += 64)
      b = coap_block_build_body(b, off + 64 <= 300 ? 64 : 300 - off, body + off, off, 300);
    printf("equal %d\n", b && b->length == 300 && memcmp(b->s, body, 300) == 0);
    show_body(b, 290, 300);
    coap_delete_binary(b);
  }
}

/* ------------------------------------------------------------------ */
/* coap_add_data_blocked_response() */

static void blocked_case(const char *name, const uint8_t *block2, size_t block2_len,
                         coap_pdu_t *response, uint16_t media_type, int maxage, size_t length,
                         const uint8_t *data) {
  coap_pdu_t *request = make_pdu(100, 1, 4, 0);
  diff_case(name);
  if (block2) coap_add_option(request, COAP_OPTION_BLOCK2, block2_len, block2);
  coap_add_data_blocked_response(request, response, media_type, maxage, length, data);
  diff_dump_pdu(response);
  coap_delete_pdu(request);
  coap_delete_pdu(response);
}

static coap_pdu_t *make_response(size_t max_size) {
  static const uint8_t tok[2] = {0xca, 0xfe};
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_ACK, COAP_EMPTY_CODE, 7, max_size);
  coap_add_token(pdu, 2, tok);
  return pdu;
}

static void blocked_response_cases(void) {
  static const uint8_t b_1_2 = 0x12, b_4_2 = 0x42, b_5_2 = 0x52, b_1_6 = 0x16, b_1_7 = 0x17;
  static const uint8_t b_big[3] = {0xff, 0xff, 0xf2};
  coap_pdu_t *rs;
  uint8_t v[2] = {9, 9};

  blocked_case("blocked-small", NULL, 0, make_response(200), COAP_MEDIATYPE_TEXT_PLAIN, 60, 30,
               body);
  blocked_case("blocked-no-maxage", NULL, 0, make_response(200), COAP_MEDIATYPE_APPLICATION_JSON,
               -1, 30, body);
  blocked_case("blocked-maxage-0", NULL, 0, make_response(200), 0, 0, 30, body);
  blocked_case("blocked-large-values", NULL, 0, make_response(200), 65535, 0x7fffffff, 5, body);
  blocked_case("blocked-empty-body", NULL, 0, make_response(200), 0, 10, 0, NULL);
  blocked_case("blocked-too-big-no-block2", NULL, 0, make_response(100), 0, 60, 300, body);
  blocked_case("blocked-too-big-3000", NULL, 0, make_response(100), 0, 60, 3000, body);
  blocked_case("blocked-block2-1", &b_1_2, 1, make_response(200), 0, 0, 300, body);
  blocked_case("blocked-block2-last", &b_4_2, 1, make_response(200), 0, 0, 300, body);
  blocked_case("blocked-block2-illegal", &b_5_2, 1, make_response(200), 0, 0, 300, body);
  blocked_case("blocked-block2-shrunk", &b_1_6, 1, make_response(200), 0, 0, 3000, body);
  blocked_case("blocked-block2-no-room", &b_1_6, 1, make_response(20), 0, 0, 3000, body);
  blocked_case("blocked-block2-bert-on-udp", &b_1_7, 1, make_response(200), 0, 0, 3000, body);
  blocked_case("blocked-block2-num-too-big", b_big, 3, make_response(200), 0, 0, 3000, body);
  blocked_case("blocked-block2-0-small-body", NULL, 0, make_response(200), 0, 0, 10, body);
  {
    static const uint8_t b_0_0 = 0x00;
    blocked_case("blocked-block2-0-16", &b_0_0, 1, make_response(200), 0, 0, 10, body);
  }
  blocked_case("blocked-tiny-response", NULL, 0, make_response(12), 0, 0, 3000, body);

  rs = make_response(200);
  coap_add_data(rs, 3, (const uint8_t *)"abc");
  blocked_case("blocked-response-has-data", NULL, 0, rs, 0, 0, 30, body);

  rs = make_response(200);
  coap_add_option(rs, COAP_OPTION_ETAG, 2, v);
  coap_add_option(rs, COAP_OPTION_CONTENT_FORMAT, 1, v);
  coap_add_option(rs, COAP_OPTION_MAXAGE, 1, v);
  coap_add_option(rs, COAP_OPTION_SIZE2, 1, v);
  coap_add_option(rs, 60, 1, v);
  blocked_case("blocked-prepopulated", NULL, 0, rs, 40, -1, 300, body);

  rs = make_response(200);
  coap_add_option(rs, COAP_OPTION_ETAG, 2, v);
  coap_add_option(rs, 60, 1, v);
  blocked_case("blocked-prepopulated-fits", NULL, 0, rs, 40, -1, 30, body);

  diff_case("blocked-null-request");
  rs = make_response(200);
  coap_add_data_blocked_response(NULL, rs, 0, 60, 30, body);
  diff_dump_pdu(rs);
  coap_delete_pdu(rs);
}

int main(void) {
  diff_setup();
  init_body();
  opt_num_cases();
  get_block_cases();
  write_block_cases();
  add_block_cases();
  build_body_cases();
  blocked_response_cases();
  return 0;
}
