/* Differential cases for building and parsing PDUs (coap_pdu.h,
 * coap_option.h, coap_encode.h). */
#include "diff_common.h"

#include <stdlib.h>

static const uint8_t *u8(const char *s) {
  return (const uint8_t *)s;
}

/* Parses bytes for one framing into a fresh PDU and dumps the result. */
static void parse_case(const char *name, coap_proto_t proto, const uint8_t *data, size_t len,
                       size_t max_size) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, max_size);
  int ok;
  diff_case(name);
  ok = coap_pdu_parse(proto, data, len, pdu);
  printf("parse -> %d\n", ok);
  if (ok) diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);
}

#define PARSE(name, proto, max, ...)                      \
  do {                                                    \
    static const uint8_t bytes_[] = {__VA_ARGS__};        \
    parse_case(name, proto, bytes_, sizeof(bytes_), max); \
  } while (0)

static void parse_udp_cases(void) {
  PARSE("udp-get-temperature", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x7d, 0x34, 0xbb, 't', 'e', 'm',
        'p', 'e', 'r', 'a', 't', 'u', 'r', 'e');
  PARSE("udp-ack-content", COAP_PROTO_UDP, 1024, 0x61, 0x45, 0x7d, 0x34, 0x71, 0xc0, 0xff, '2', '2',
        '.', '3', ' ', 'C');
  PARSE("udp-empty-ack", COAP_PROTO_UDP, 1024, 0x60, 0x00, 0x12, 0x34);
  PARSE("udp-empty-with-token", COAP_PROTO_UDP, 1024, 0x61, 0x00, 0x12, 0x34, 0x01);
  PARSE("udp-empty-with-payload", COAP_PROTO_UDP, 1024, 0x60, 0x00, 0x12, 0x34, 0xff, 0x01);
  PARSE("udp-ping", COAP_PROTO_UDP, 1024, 0x40, 0x00, 0x00, 0x01);
  PARSE("udp-version-2", COAP_PROTO_UDP, 1024, 0x80, 0x01, 0x00, 0x01);
  PARSE("udp-version-0", COAP_PROTO_UDP, 1024, 0x00, 0x01, 0x00, 0x01);
  PARSE("udp-short-3", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00);
  PARSE("udp-token-truncated", COAP_PROTO_UDP, 1024, 0x44, 0x01, 0x00, 0x01, 0xaa, 0xbb);
  PARSE("udp-tkl-9", COAP_PROTO_UDP, 1024, 0x49, 0x01, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  PARSE("udp-tkl-12", COAP_PROTO_UDP, 1024, 0x4c, 0x01, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        11, 12);
  PARSE("udp-tkl-13", COAP_PROTO_UDP, 1024, 0x4d, 0x01, 0x00, 0x01, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        10, 11, 12, 13);
  PARSE("udp-tkl-13-short", COAP_PROTO_UDP, 1024, 0x4d, 0x01, 0x00, 0x01, 0x01, 1, 2, 3, 4, 5, 6, 7,
        8, 9, 10, 11, 12, 13);
  PARSE("udp-tkl-15", COAP_PROTO_UDP, 1024, 0x4f, 0x01, 0x00, 0x01);
  PARSE("udp-marker-no-payload", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xff);
  PARSE("udp-option-delta-15", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xf0);
  PARSE("udp-option-length-15", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x1f);
  PARSE("udp-option-truncated-value", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xb5, 'a', 'b');
  PARSE("udp-option-delta13", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xd1, 0x00, 'x');
  PARSE("udp-option-delta13-truncated", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xd1);
  PARSE("udp-option-delta14", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xe1, 0x00, 0x00, 'x');
  PARSE("udp-option-delta14-max", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xe0, 0xfe, 0xf2);
  PARSE("udp-option-delta14-over", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xe0, 0xff, 0xff);
  PARSE("udp-option-length13", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xbd, 0x00, 'a', 'b',
        'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm');
  PARSE("udp-unknown-critical-option", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xd0, 0x10);
  PARSE("udp-unknown-elective-option", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xd0, 0x11);
  PARSE("udp-if-match-too-long", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x19, 1, 2, 3, 4, 5,
        6, 7, 8, 9);
  PARSE("udp-uri-host-empty", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x30);
  PARSE("udp-etag-empty", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x40);
  PARSE("udp-if-none-match-value", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x51, 0x01);
  PARSE("udp-uri-port-3-bytes", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x73, 1, 2, 3);
  PARSE("udp-content-format-3-bytes", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xc3, 1, 2, 3);
  PARSE("udp-block2-4-bytes", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0xd4, 0x0a, 1, 2, 3, 4);
  PARSE("udp-observe-4-bytes", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x64, 1, 2, 3, 4);
  PARSE("udp-repeated-uri-host", COAP_PROTO_UDP, 1024, 0x40, 0x01, 0x00, 0x01, 0x31, 'a', 0x01,
        'b');
  PARSE("udp-response-with-uri-path", COAP_PROTO_UDP, 1024, 0x60, 0x45, 0x00, 0x01, 0xb1, 'a');
  PARSE("udp-too-big-for-pdu", COAP_PROTO_UDP, 8, 0x40, 0x01, 0x00, 0x01, 0xb8, 'a', 'b', 'c', 'd',
        'e', 'f', 'g', 'h');
  PARSE("udp-code-class-1", COAP_PROTO_UDP, 1024, 0x40, 0x20, 0x00, 0x01);
  PARSE("udp-code-class-7", COAP_PROTO_UDP, 1024, 0x40, 0xe1, 0x00, 0x01);
  PARSE("udp-rst-empty", COAP_PROTO_UDP, 1024, 0x70, 0x00, 0xab, 0xcd);
  PARSE("udp-payload-binary", COAP_PROTO_UDP, 1024, 0x50, 0x02, 0x00, 0x07, 0xc1, 0x2a, 0xff, 0x00,
        0x01, 0xfe, 0xff);
  PARSE("udp-many-options", COAP_PROTO_UDP, 1024, 0x42, 0x01, 0x12, 0x34, 0xab, 0xcd, 0x3b, 'h',
        'o', 's', 't', '.', 'n', 'a', 'm', 'e', '.', 'x', 0x42, 0x16, 0x33, 0x41, 'a', 0x03, 'b',
        'c', 'd', 0x11, 0x28, 0x41, 'q', 0x21, 0x00, 0x61, 0x16, 0xb1, 0x0e);
}

static void parse_stream_cases(void) {
  /* RFC 8323: Len nibble, token, code; no type or message id. */
  PARSE("tcp-get", COAP_PROTO_TCP, 1024, 0x51, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd');
  PARSE("tcp-empty", COAP_PROTO_TCP, 1024, 0x00, 0x00);
  PARSE("tcp-csm", COAP_PROTO_TCP, 1024, 0x30, 0xe1, 0x22, 0x04, 0x00);
  PARSE("tcp-ping", COAP_PROTO_TCP, 1024, 0x00, 0xe2);
  PARSE("tcp-len13", COAP_PROTO_TCP, 1024, 0xd0, 0x01, 0x45, 0xff, 'a', 'b', 'c', 'd', 'e', 'f',
        'g', 'h', 'i', 'j', 'k', 'l', 'm');
  PARSE("tcp-len-mismatch", COAP_PROTO_TCP, 1024, 0x51, 0x01, 0x7a, 0xb4, 'a', 'b', 'c');
  PARSE("tcp-len-too-long", COAP_PROTO_TCP, 1024, 0x31, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd');
  PARSE("tcp-truncated", COAP_PROTO_TCP, 1024, 0xd0);
  PARSE("tcp-tkl-15", COAP_PROTO_TCP, 1024, 0x0f, 0x01);
  PARSE("tls-get", COAP_PROTO_TLS, 1024, 0x51, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd');
#if LIBCOAP_VERSION >= 4003002ULL
  PARSE("ws-get", COAP_PROTO_WS, 1024, 0x01, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd');
  PARSE("ws-with-len", COAP_PROTO_WS, 1024, 0x51, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd');
  PARSE("ws-short", COAP_PROTO_WS, 1024, 0x01);
#endif
  PARSE("none-proto", COAP_PROTO_NONE, 1024, 0x40, 0x01, 0x00, 0x01);
}

static void build_cases(void) {
  coap_pdu_t *pdu;
  uint8_t buf[16];
  uint8_t token[300];
  size_t i, r;
  const uint8_t *data;
  size_t len;
  coap_optlist_t *chain = NULL;

  for (i = 0; i < sizeof(token); i++) token[i] = (uint8_t)i;

  diff_case("build-token-then-option-then-data");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x1234, 1000);
  printf("token %d\n", coap_add_token(pdu, 4, u8("\x01\x02\x03\x04")));
  printf("option %zu\n", coap_add_option(pdu, COAP_OPTION_URI_PATH, 4, u8("test")));
  printf("option %zu\n", coap_add_option(pdu, COAP_OPTION_URI_QUERY, 3, u8("a=b")));
  printf("option %zu\n",
         coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, 4, 50), buf));
  printf("data %d\n", coap_add_data(pdu, 11, u8("{\"a\": 1234}")));
  printf("second data %d\n", coap_add_data(pdu, 2, u8("xx")));
  printf("option after data %zu\n", coap_add_option(pdu, COAP_OPTION_SIZE1, 1, u8("\x05")));
  printf("token after data %d\n", coap_add_token(pdu, 1, u8("\x09")));
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-empty-data");
  pdu = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_POST, 7, 1000);
  printf("data0 %d\n", coap_add_data(pdu, 0, u8("")));
  printf("get %d\n", coap_get_data(pdu, &len, &data));
  printf("after %p\n", (void *)coap_add_data_after(pdu, 0));
  printf("data %d\n", coap_add_data(pdu, 3, u8("abc")));
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-max-size-boundaries");
  for (i = 0; i < 8; i++) {
    pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 10);
    r = coap_add_token(pdu, 4, token);
    printf("max10: token %zu", r);
    r = coap_add_option(pdu, COAP_OPTION_URI_PATH, i, u8("abcdefgh"));
    printf(" option(len %zu) %zu", i, r);
    r = (size_t)coap_add_data(pdu, 2, u8("zz"));
    printf(" data %zu\n", r);
    coap_delete_pdu(pdu);
  }
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4);
  {
    int a = coap_add_token(pdu, 5, token);
    int b = coap_add_token(pdu, 4, token);
    printf("max4: token5 %d token4 %d\n", a, b);
  }
  coap_delete_pdu(pdu);

  diff_case("build-token-lengths");
  {
    static const size_t lens[] = {0, 1, 8, 9, 12, 13, 14, 268, 269, 270};
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
      coap_bin_const_t t;
      pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 2000);
      r = (size_t)coap_add_token(pdu, lens[i], token);
      t = coap_pdu_get_token(pdu);
      printf("len %zu -> %zu, token length %zu first %d\n", lens[i], r, t.length,
             t.length ? t.s[0] : -1);
      coap_delete_pdu(pdu);
    }
  }

  diff_case("build-option-extended-lengths");
  {
    static const size_t lens[] = {0, 12, 13, 268, 269, 270, 1034};
    static uint8_t big[1100];
    memset(big, 'v', sizeof(big));
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
      pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4000);
      r = coap_add_option(pdu, 2000, lens[i], big);
      printf("len %zu -> %zu\n", lens[i], r);
      coap_delete_pdu(pdu);
    }
  }

  diff_case("build-option-numbers");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4000);
  {
    static const unsigned nums[] = {1, 12, 13, 14, 268, 269, 270, 1000, 65000, 65535};
    for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
      printf("num %u -> %zu\n", nums[i],
             coap_add_option(pdu, (coap_option_num_t)nums[i], 1, u8("x")));
  }
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-insert-out-of-order");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4000);
  coap_add_option(pdu, COAP_OPTION_SIZE1, 1, u8("\x10"));
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 1, u8("a"));
  coap_add_option(pdu, COAP_OPTION_IF_MATCH, 2, u8("im"));
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 1, u8("b"));
  coap_add_option(pdu, 300, 1, u8("L"));
  coap_add_option(pdu, COAP_OPTION_URI_QUERY, 1, u8("q"));
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-repeat-rules");
  {
    /* Appending a second non-repeatable option is refused; inserting one
     * out of order is not checked. */
    static const unsigned nums[] = {1,  3,  4,  5,   6,   7,   8,    9,    11,   12,
                                    14, 15, 16, 17,  19,  20,  23,   27,   28,   31,
                                    35, 39, 60, 252, 258, 292, 2000, 2001, 65000};
    for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
      size_t a, b, c;
      pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1000);
      a = coap_add_option(pdu, (coap_option_num_t)nums[i], 1, u8("a"));
      b = coap_add_option(pdu, (coap_option_num_t)nums[i], 1, u8("b"));
      printf("%u: append twice %zu %zu", nums[i], a, b);
      coap_delete_pdu(pdu);
      pdu = coap_pdu_init(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1, 1000);
      a = coap_add_option(pdu, (coap_option_num_t)nums[i], 1, u8("a"));
      b = coap_add_option(pdu, 2002, 1, u8("b"));
      c = coap_add_option(pdu, (coap_option_num_t)nums[i], 1, u8("c"));
      printf(", insert %zu %zu %zu\n", a, b, c);
      coap_delete_pdu(pdu);
    }
  }

  diff_case("build-proxy-uri-adds-hop-limit");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4000);
  printf("proxy %zu\n", coap_add_option(pdu, COAP_OPTION_PROXY_URI, 14, u8("coap://x/y?z=1")));
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-optlist-sorted");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 9, 1000);
  coap_add_token(pdu, 2, u8("\xaa\xbb"));
  coap_insert_optlist(&chain, coap_new_optlist(COAP_OPTION_URI_QUERY, 3, u8("x=1")));
  coap_insert_optlist(&chain, coap_new_optlist(COAP_OPTION_URI_PATH, 3, u8("one")));
  coap_insert_optlist(&chain, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT, 1, u8("\x2a")));
  coap_insert_optlist(&chain, coap_new_optlist(COAP_OPTION_URI_PATH, 3, u8("two")));
  coap_insert_optlist(&chain, coap_new_optlist(COAP_OPTION_URI_HOST, 4, u8("host")));
  printf("insert NULL %d\n", coap_insert_optlist(&chain, NULL));
  printf("add %d\n", coap_add_optlist_pdu(pdu, &chain));
  for (coap_optlist_t *o = chain; o; o = o->next) printf("chain %u %zu\n", o->number, o->length);
  coap_delete_optlist(chain);
  chain = NULL;
  printf("add empty %d\n", coap_add_optlist_pdu(pdu, &chain));
  coap_add_data(pdu, 4, u8("body"));
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);

  diff_case("build-response-codes");
  {
    static const int codes[] = {0,   1,   2,   3,   4,   5,   6,   7,   8,   65,  69, 95,
                                128, 132, 141, 160, 164, 225, 226, 227, 228, 229, 255};
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
      pdu = coap_pdu_init(COAP_MESSAGE_NON, (coap_pdu_code_t)codes[i], 42, 100);
      diff_dump_pdu(pdu);
      coap_delete_pdu(pdu);
    }
  }

  diff_case("build-types");
  /* Only valid types: libcoap asserts (aborts) on others; we return NULL. */
  for (i = 0; i < 4; i++) {
    pdu = coap_pdu_init((coap_pdu_type_t)i, COAP_REQUEST_CODE_GET, 42, 100);
    printf("type %zu -> %s\n", i, pdu ? "pdu" : "NULL");
    if (pdu) coap_delete_pdu(pdu);
  }

  diff_case("build-setters");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 100);
  coap_pdu_set_type(pdu, COAP_MESSAGE_ACK);
  coap_pdu_set_code(pdu, COAP_RESPONSE_CODE_NOT_FOUND);
  coap_pdu_set_mid(pdu, 0xbeef);
  diff_dump_pdu(pdu);
  coap_delete_pdu(pdu);
}

static void encode_cases(void) {
  uint8_t buf[8];
  unsigned int n;
  static const unsigned int vals[] = {0,     1,        255,       256,       65535,
                                      65536, 0xffffff, 0x1000000, 0xffffffff};
  static const uint64_t vals8[] = {0, 1, 0x100000000ULL, 0xffffffffffffffffULL};
  size_t i;
  diff_case("encode-var");
  for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
    memset(buf, 0xee, sizeof(buf));
    n = coap_encode_var_safe(buf, 4, vals[i]);
    printf("%u -> %u", vals[i], n);
    diff_hex(" bytes", buf, 4);
    printf("  decode %u\n", coap_decode_var_bytes(buf, n));
  }
  /* A too-small buffer makes libcoap assert; see the unit tests. */
  for (i = 0; i < sizeof(vals8) / sizeof(vals8[0]); i++) {
    n = coap_encode_var_safe8(buf, 8, vals8[i]);
    printf("%llu -> %u decode %llu\n", (unsigned long long)vals8[i], n,
           (unsigned long long)coap_decode_var_bytes8(buf, n));
  }
  {
    static const uint8_t five[] = {1, 2, 3, 4, 5};
    printf("decode 5 bytes %u %llu\n", coap_decode_var_bytes(five, 5),
           (unsigned long long)coap_decode_var_bytes8(five, 5));
  }
  printf("fls %d %d %d %d\n", coap_fls(0), coap_fls(1), coap_fls(0x80000000u), coap_fls(0x300));
  printf("flsll %d %d %d\n", coap_flsll(0), coap_flsll(1), coap_flsll(1LL << 40));
}

static void option_api_cases(void) {
  uint8_t buf[400];
  coap_option_t o;
  size_t r, i;
  static const size_t lens[] = {0, 12, 13, 268, 269, 300};
  static const unsigned deltas[] = {0, 12, 13, 268, 269, 65535};
  diff_case("opt-setheader-encode");
  for (i = 0; i < 6; i++) {
    r = coap_opt_setheader(buf, sizeof(buf), (uint16_t)deltas[i], lens[i]);
    printf("setheader d%u l%zu -> %zu", deltas[i], lens[i], r);
    diff_hex("", buf, r);
    printf("encode_size %zu\n", coap_opt_encode_size((uint16_t)deltas[i], lens[i]));
    memset(buf + r, 'x', lens[i]);
    {
      size_t p = coap_opt_parse(buf, r + lens[i], &o);
      printf("parse -> %zu", p);
    }
    printf(" delta %u length %zu value@%d size %zu len %u valoff %d\n", o.delta, o.length,
           (int)(o.value - buf), coap_opt_size(buf), coap_opt_length(buf),
           (int)(coap_opt_value(buf) - buf));
    printf("parse short -> %zu\n", coap_opt_parse(buf, r + lens[i] - 1, &o));
  }
  r = coap_opt_setheader(buf, 1, 13, 0);
  printf("setheader tight %zu", r);
  printf(" %zu\n", coap_opt_setheader(buf, 2, 13, 0));
  printf("encode %zu\n", coap_opt_encode(buf, 6, 3, (const uint8_t *)"abcd", 4));
  printf("encode short %zu\n", coap_opt_encode(buf, 4, 3, (const uint8_t *)"abcd", 4));
  buf[0] = 0xff;
  printf("parse marker %zu\n", coap_opt_parse(buf, 4, &o));
  buf[0] = 0xf1;
  r = coap_opt_parse(buf, 4, &o);
  printf("parse delta15 %zu length %u value %p\n", r, coap_opt_length(buf),
         (const void *)coap_opt_value(buf));
  buf[0] = 0x1f;
  r = coap_opt_parse(buf, 4, &o);
  printf("parse len15 %zu length %u value %p\n", r, coap_opt_length(buf),
         (const void *)coap_opt_value(buf));
  printf("parse zero %zu\n", coap_opt_parse(buf, 0, &o));
}

static void filter_cases(void) {
  coap_opt_filter_t f;
  static const unsigned nums[] = {1, 3, 11, 15, 60, 255, 256, 258, 292, 2000, 17};
  size_t i;
  coap_pdu_t *pdu;
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  diff_case("filter-set-get-unset");
  coap_option_filter_clear(&f);
  for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
    int r = coap_option_filter_set(&f, (coap_option_num_t)nums[i]);
    printf("set %u -> %d mask %04x\n", nums[i], r, f.mask);
  }
  printf("set again 3 -> %d\n", coap_option_filter_set(&f, 3));
  for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
    printf("get %u -> %d\n", nums[i], coap_option_filter_get(&f, (coap_option_num_t)nums[i]));
  {
    int a = coap_option_filter_unset(&f, 11);
    int b = coap_option_filter_unset(&f, 11);
    int c = coap_option_filter_get(&f, 11);
    printf("unset 11 -> %d, again %d, get %d\n", a, b, c);
    a = coap_option_filter_set(&f, 17);
    printf("set 17 now -> %d mask %04x\n", a, f.mask);
  }

  diff_case("iterate-with-filter");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1000);
  coap_add_option(pdu, COAP_OPTION_URI_HOST, 1, u8("h"));
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 1, u8("a"));
  coap_add_option(pdu, COAP_OPTION_URI_PATH, 1, u8("b"));
  coap_add_option(pdu, COAP_OPTION_URI_QUERY, 1, u8("q"));
  coap_add_option(pdu, 2000, 1, u8("z"));
  coap_add_data(pdu, 1, u8("D"));
  coap_option_filter_clear(&f);
  coap_option_filter_set(&f, COAP_OPTION_URI_PATH);
  coap_option_filter_set(&f, 2000);
  coap_option_iterator_init(pdu, &it, &f);
  while ((opt = coap_option_next(&it)) != NULL)
    printf("filtered opt %u '%c'\n", it.number, *coap_opt_value(opt));
  printf("after end: bad %u next %p\n", it.bad, (void *)coap_option_next(&it));
  opt = coap_check_option(pdu, COAP_OPTION_URI_QUERY, &it);
  printf("check query %c\n", opt ? *coap_opt_value(opt) : '-');
  opt = coap_check_option(pdu, COAP_OPTION_ETAG, &it);
  printf("check etag %p\n", (void *)opt);
  coap_delete_pdu(pdu);

  diff_case("iterate-empty-pdu");
  pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1000);
  printf("init -> %s\n", coap_option_iterator_init(pdu, &it, COAP_OPT_ALL) ? "it" : "NULL");
  printf("check -> %p\n", (void *)coap_check_option(pdu, 11, &it));
  coap_add_token(pdu, 3, u8("tok"));
  printf("token only init -> %s\n",
         coap_option_iterator_init(pdu, &it, COAP_OPT_ALL) ? "it" : "NULL");
  coap_add_data(pdu, 2, u8("pp"));
  {
    const char *r = coap_option_iterator_init(pdu, &it, COAP_OPT_ALL) ? "it" : "NULL";
    printf("token+data init -> %s next %p\n", r, (void *)coap_option_next(&it));
  }
  coap_delete_pdu(pdu);
}

static void phrase_cases(void) {
  int c;
  diff_case("response-phrases");
  for (c = 0; c < 256; c++) {
    const char *p = coap_response_phrase((unsigned char)c);
    if (p) printf("%d.%02d %s\n", c >> 5, c & 31, p);
  }
}

int main(void) {
  diff_setup();
  parse_udp_cases();
  parse_stream_cases();
  build_cases();
  encode_cases();
  option_api_cases();
  filter_cases();
  phrase_cases();
  return 0;
}
