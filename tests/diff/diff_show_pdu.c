/* Differential cases for coap_show_pdu() and coap_set_show_pdu_output()
 * (coap_debug.h): the text printed for every kind of message, option and
 * payload, the line limits, and where the text goes.
 * Not covered here: a NULL pdu (libcoap dereferences it), message ids
 * outside 0..0xffff (coap_pdu_set_mid() asserts) and the default log output
 * (it carries timestamps); the unit tests cover these. */
#include "diff_common.h"

#include <stdlib.h>

#if LIBCOAP_VERSION < 4003002ULL
#define COAP_LOG_ALERT LOG_ALERT
#define COAP_LOG_CRIT LOG_CRIT
#define COAP_LOG_ERR LOG_ERR
#define COAP_LOG_NOTICE LOG_NOTICE
#endif

/* Options that older headers may not name. */
enum {
  OPT_OSCORE = 9,
  OPT_HOP_LIMIT = 16,
  OPT_Q_BLOCK1 = 19,
  OPT_Q_BLOCK2 = 31,
  OPT_ECHO = 252,
  OPT_NORESPONSE = 258,
  OPT_RTAG = 292
};

static const uint8_t *u8(const char *s) {
  return (const uint8_t *)s;
}

static coap_pdu_t *mk(coap_pdu_type_t type, unsigned code, coap_mid_t mid) {
  return coap_pdu_init(type, (coap_pdu_code_t)code, mid, 16000);
}

static void show(coap_pdu_t *pdu) {
  fflush(stdout);
  coap_show_pdu(COAP_LOG_WARN, pdu);
  fflush(stdout);
}

/* Shows and frees. */
static void done(coap_pdu_t *pdu) {
  show(pdu);
  coap_delete_pdu(pdu);
}

static void opt(coap_pdu_t *pdu, unsigned number, size_t len, const uint8_t *value) {
  if (!coap_add_option(pdu, (coap_option_num_t)number, len, value))
    printf("add option %u (%zu bytes) failed\n", number, len);
}

static void optu(coap_pdu_t *pdu, unsigned number, unsigned value) {
  uint8_t buf[4];
  opt(pdu, number, coap_encode_var_safe(buf, sizeof(buf), value), buf);
}

static void opts(coap_pdu_t *pdu, unsigned number, const char *s) {
  opt(pdu, number, strlen(s), u8(s));
}

/* An option whose value is n bytes of fill (or 0, 1, 2, ... when fill < 0). */
static void optn(coap_pdu_t *pdu, unsigned number, size_t n, int fill) {
  uint8_t *v = malloc(n ? n : 1);
  size_t i;
  for (i = 0; i < n; i++) v[i] = (uint8_t)(fill < 0 ? i : (size_t)fill);
  opt(pdu, number, n, v);
  free(v);
}

static void data(coap_pdu_t *pdu, size_t len, const uint8_t *bytes) {
  if (!coap_add_data(pdu, len, bytes)) printf("add data (%zu bytes) failed\n", len);
}

static void datan(coap_pdu_t *pdu, size_t n, int fill) {
  uint8_t *v = malloc(n ? n : 1);
  size_t i;
  for (i = 0; i < n; i++) v[i] = (uint8_t)(fill < 0 ? i : (size_t)fill);
  data(pdu, n, v);
  free(v);
}

/* A message with just one option (several instances of a non-repeatable
 * option are refused by coap_add_option() in 4.3.5). */
static void one(unsigned code, unsigned number, size_t len, const uint8_t *value) {
  coap_pdu_t *pdu = mk(code < 32 ? COAP_MESSAGE_CON : COAP_MESSAGE_ACK, code, 1);
  opt(pdu, number, len, value);
  done(pdu);
}

static void oneu(unsigned code, unsigned number, unsigned value) {
  uint8_t buf[4];
  one(code, number, coap_encode_var_safe(buf, sizeof(buf), value), buf);
}

#define BYTES(...) (sizeof((const uint8_t[]){__VA_ARGS__})), ((const uint8_t[]){__VA_ARGS__})

/* ---------------------------------------------------------------- header */

static void header_cases(void) {
  unsigned c;
  coap_pdu_type_t t;

  diff_case("types");
  for (t = COAP_MESSAGE_CON; t <= COAP_MESSAGE_RST; t++) done(mk(t, COAP_REQUEST_CODE_GET, 0x1234));

  diff_case("codes-all");
  for (c = 0; c < 256; c++) done(mk(COAP_MESSAGE_CON, c, (coap_mid_t)c));

  diff_case("mids");
  done(mk(COAP_MESSAGE_NON, 69, 0));
  done(mk(COAP_MESSAGE_NON, 69, 0x00ab));
  done(mk(COAP_MESSAGE_NON, 69, 0xabcd));
  done(mk(COAP_MESSAGE_NON, 69, 0xffff));

  diff_case("empty-messages");
  done(mk(COAP_MESSAGE_ACK, 0, 0x1001));
  done(mk(COAP_MESSAGE_RST, 0, 0x1002));
  done(mk(COAP_MESSAGE_CON, 0, 0x1003));
}

/* ----------------------------------------------------------------- token */

static void token_cases(void) {
  static uint8_t tok[3000];
  size_t lengths[] = {1, 4, 8, 9, 12, 13, 255, 268, 269, 270, 1000, 1010, 1100, 2100};
  size_t i;
  char name[64];
  coap_pdu_t *pdu;
  for (i = 0; i < sizeof(tok); i++) tok[i] = (uint8_t)(i * 7 + 1);

  diff_case("token-none");
  done(mk(COAP_MESSAGE_CON, 1, 1));

  for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
    snprintf(name, sizeof(name), "token-%zu", lengths[i]);
    diff_case(name);
    pdu = mk(COAP_MESSAGE_CON, 1, 1);
    printf("add token -> %d\n", coap_add_token(pdu, lengths[i], tok));
    opts(pdu, COAP_OPTION_URI_PATH, "p");
    data(pdu, 2, u8("hi"));
    done(pdu);
  }
}

/* --------------------------------------------------------------- options */

static void uint_option_cases(void) {
  unsigned numbers[] = {COAP_OPTION_URI_PORT, COAP_OPTION_MAXAGE, COAP_OPTION_OBSERVE,
                        COAP_OPTION_SIZE1,    COAP_OPTION_SIZE2,  OPT_HOP_LIMIT};
  size_t i;
  for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
    char name[64];
    snprintf(name, sizeof(name), "uint-option-%u", numbers[i]);
    diff_case(name);
    one(1, numbers[i], 0, NULL);
    oneu(1, numbers[i], 0);
    oneu(1, numbers[i], 1);
    oneu(1, numbers[i], 255);
    oneu(1, numbers[i], 256);
    oneu(1, numbers[i], 65535);
    oneu(1, numbers[i], 0x123456);
    oneu(1, numbers[i], 0xffffffffu);
    one(1, numbers[i], BYTES(0x00, 0x00, 0x01));
    one(1, numbers[i], BYTES(0x01, 0x02, 0x03, 0x04, 0x05));
    one(1, numbers[i], BYTES(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09));
  }
}

static void content_format_cases(void) {
  unsigned formats[] = {0,   16,  17,    18,    19,          40,          41,         42,
                        43,  47,  50,    60,    61,          75,          96,         97,
                        98,  101, 102,   110,   111,         112,         113,        114,
                        115, 256, 271,   272,   310,         311,         10001,      1,
                        20,  62,  65535, 65536, 0x7fffffffu, 0x80000000u, 0xffffffffu};
  size_t i;
  coap_pdu_t *pdu;

  diff_case("content-format-names");
  for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
    pdu = mk(COAP_MESSAGE_ACK, 69, 1);
    optu(pdu, COAP_OPTION_CONTENT_FORMAT, formats[i]);
    data(pdu, 3, u8("abc"));
    done(pdu);
  }

  diff_case("accept-names");
  for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
    pdu = mk(COAP_MESSAGE_CON, 1, 1);
    optu(pdu, COAP_OPTION_ACCEPT, formats[i]);
    data(pdu, 3, u8("abc"));
    done(pdu);
  }

  diff_case("content-format-empty");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  opt(pdu, COAP_OPTION_CONTENT_FORMAT, 0, NULL);
  data(pdu, 3, u8("abc"));
  done(pdu);

  diff_case("content-format-5-bytes");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  opt(pdu, COAP_OPTION_CONTENT_FORMAT, BYTES(0x01, 0x00, 0x00, 0x00, 0x32));
  data(pdu, 3, u8("abc"));
  done(pdu);

  diff_case("content-format-then-accept");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  optu(pdu, COAP_OPTION_CONTENT_FORMAT, 0);
  optu(pdu, COAP_OPTION_ACCEPT, 60);
  data(pdu, 3, u8("abc"));
  done(pdu);

  diff_case("accept-binary-then-text");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  optu(pdu, COAP_OPTION_CONTENT_FORMAT, 60);
  optu(pdu, COAP_OPTION_ACCEPT, 50);
  data(pdu, 3, u8("abc"));
  done(pdu);

  diff_case("two-content-formats-parsed");
  {
    /* Content-Format 42 then 0: the last one decides the payload. */
    static const uint8_t bytes[] = {0x60, 0x45, 0x00, 0x01, 0xc1, 0x2a, 0x00, 0xff, 'a', 'b'};
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_UDP, bytes, sizeof(bytes), pdu));
    done(pdu);
  }
}

static void block_cases(void) {
  unsigned numbers[] = {COAP_OPTION_BLOCK1, COAP_OPTION_BLOCK2, OPT_Q_BLOCK1, OPT_Q_BLOCK2};
  unsigned szx;
  size_t i;
  coap_pdu_t *pdu;

  diff_case("block-szx");
  for (szx = 0; szx < 7; szx++) oneu(2, COAP_OPTION_BLOCK2, (szx << 4) | szx);
  for (szx = 0; szx < 7; szx++) oneu(2, COAP_OPTION_BLOCK2, (szx << 4) | 8 | szx);

  for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
    char name[64];
    snprintf(name, sizeof(name), "block-option-%u", numbers[i]);
    diff_case(name);
    one(2, numbers[i], 0, NULL);
    oneu(2, numbers[i], 0x0e);
    oneu(2, numbers[i], 0x1a);
    oneu(2, numbers[i], (1000u << 4) | 0x0b);
    oneu(2, numbers[i], (0xfffffu << 4) | 0x06);
    one(2, numbers[i], BYTES(0x00, 0x00, 0x0c));
    one(2, numbers[i], BYTES(0x12, 0x34, 0x56, 0x7d));
    one(2, numbers[i], BYTES(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc));
  }

  diff_case("block-bert-no-payload");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  optu(pdu, COAP_OPTION_BLOCK1, 0x0f);
  optu(pdu, COAP_OPTION_BLOCK2, 0x37);
  done(pdu);

  diff_case("block-bert-payload");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  optu(pdu, COAP_OPTION_BLOCK1, 0x2f);
  optu(pdu, OPT_Q_BLOCK2, 0x07);
  datan(pdu, 40, 'b');
  done(pdu);
}

static void oscore_cases(void) {
  coap_pdu_t *pdu;
  diff_case("oscore-empty");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  opt(pdu, OPT_OSCORE, 0, NULL);
  data(pdu, 5, u8("hello"));
  done(pdu);

#define OSC(name, ...)                      \
  diff_case(name);                          \
  pdu = mk(COAP_MESSAGE_CON, 2, 1);         \
  opt(pdu, OPT_OSCORE, BYTES(__VA_ARGS__)); \
  done(pdu);

  OSC("oscore-piv-1", 0x01, 0x14)
  OSC("oscore-piv-5", 0x05, 1, 2, 3, 4, 5)
  OSC("oscore-piv-short", 0x05, 1, 2)
  OSC("oscore-piv-6-reserved", 0x06, 1, 2, 3, 4, 5, 6)
  OSC("oscore-piv-7-reserved", 0x07, 1, 2, 3, 4, 5, 6, 7)
  OSC("oscore-kid", 0x08, 0xaa, 0xbb)
  OSC("oscore-kid-empty", 0x08)
  OSC("oscore-piv-kid", 0x09, 0x05, 0xaa)
  OSC("oscore-piv-kid-empty", 0x09, 0x05)
  OSC("oscore-kc", 0x10, 0x02, 0xc1, 0xc2)
  OSC("oscore-kc-missing", 0x10)
  OSC("oscore-kc-short", 0x10, 0x03, 0xc1)
  OSC("oscore-kc-empty", 0x10, 0x00)
  OSC("oscore-all", 0x19, 0x22, 0x02, 0xc1, 0xc2, 0xaa, 0xbb, 0xcc)
  OSC("oscore-all-kid-missing", 0x19, 0x22, 0x02, 0xc1, 0xc2)
  OSC("oscore-group", 0x20)
  OSC("oscore-group-piv-kid", 0x29, 0x01, 0x02)
  OSC("oscore-high-bits", 0xc0, 0x01)
  OSC("oscore-high-bits-kid", 0xc8, 0x01)
  OSC("oscore-flags-ff", 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
#undef OSC

  diff_case("oscore-text-payload-binary");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  opt(pdu, OPT_OSCORE, BYTES(0x09, 0x01, 0x02));
  optu(pdu, COAP_OPTION_CONTENT_FORMAT, 0);
  data(pdu, 5, u8("hello"));
  done(pdu);

  diff_case("oscore-long-kid");
  pdu = mk(COAP_MESSAGE_CON, 2, 1);
  {
    uint8_t v[600];
    size_t i;
    v[0] = 0x08;
    for (i = 1; i < sizeof(v); i++) v[i] = (uint8_t)i;
    opt(pdu, OPT_OSCORE, sizeof(v), v);
  }
  done(pdu);
}

static void opaque_option_cases(void) {
  unsigned numbers[] = {COAP_OPTION_IF_MATCH, COAP_OPTION_ETAG, OPT_ECHO, OPT_NORESPONSE, OPT_RTAG};
  size_t i;
  coap_pdu_t *pdu;
  for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
    char name[64];
    snprintf(name, sizeof(name), "opaque-option-%u", numbers[i]);
    diff_case(name);
    one(1, numbers[i], 0, NULL);
    one(1, numbers[i], BYTES(0x00));
    one(1, numbers[i], BYTES(0xde, 0xad, 0xbe, 0xef, 0x41, 0x42, 0x20, 0x7f));
  }

  diff_case("opaque-option-510");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_ETAG, 510, -1);
  done(pdu);
  diff_case("opaque-option-511");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_ETAG, 511, -1);
  done(pdu);
  diff_case("opaque-option-512");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_ETAG, 512, -1);
  done(pdu);
  diff_case("opaque-option-700");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, OPT_ECHO, 700, -1);
  optn(pdu, OPT_RTAG, 3, 0x33);
  done(pdu);
}

static void string_option_cases(void) {
  unsigned numbers[] = {COAP_OPTION_URI_HOST,    COAP_OPTION_LOCATION_PATH,  COAP_OPTION_URI_PATH,
                        COAP_OPTION_URI_QUERY,   COAP_OPTION_LOCATION_QUERY, COAP_OPTION_PROXY_URI,
                        COAP_OPTION_PROXY_SCHEME};
  static const uint8_t all[] = {'a', ' ', '~', 0x7f, 0x00, 0x1f, '\\', '"', '\'', 0x80, 0xff, 'z'};
  size_t i;
  coap_pdu_t *pdu;
  for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
    char name[64];
    snprintf(name, sizeof(name), "string-option-%u", numbers[i]);
    diff_case(name);
    one(69, numbers[i], 0, NULL);
    one(69, numbers[i], 5, u8("plain"));
    one(69, numbers[i], sizeof(all), all);
  }

  diff_case("string-option-long-plain");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_URI_PATH, 1030, 'p');
  done(pdu);
  diff_case("string-option-long-escaped");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_URI_PATH, 300, 1);
  done(pdu);
  diff_case("string-option-escape-at-end");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  {
    uint8_t v[1030];
    memset(v, 'q', sizeof(v));
    v[1020] = 0x01;
    v[1021] = 0x02;
    opt(pdu, COAP_OPTION_URI_QUERY, sizeof(v), v);
  }
  done(pdu);
}

static void other_option_cases(void) {
  coap_pdu_t *pdu;
  diff_case("if-none-match");
  one(3, COAP_OPTION_IF_NONE_MATCH, 0, NULL);
  one(3, COAP_OPTION_IF_NONE_MATCH, BYTES(0x41, 0x01));

  diff_case("unknown-options");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  opt(pdu, 2, 0, NULL);
  opts(pdu, 13, "abc");
  opt(pdu, 21, BYTES(0x00, 0x7f, 0x41));
  opts(pdu, 2048, "x");
  opts(pdu, 2049, "y");
  opts(pdu, 65000, "z");
  opts(pdu, 65535, "w");
  done(pdu);

  diff_case("unknown-option-long");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, 1000, 300, 'u');
  done(pdu);

  diff_case("request-all-options");
  pdu = mk(COAP_MESSAGE_CON, 1, 0x4242);
  coap_add_token(pdu, 4, u8("\x01\x02\x03\x04"));
  opt(pdu, COAP_OPTION_IF_MATCH, BYTES(0x01));
  opts(pdu, COAP_OPTION_URI_HOST, "example.net");
  opt(pdu, COAP_OPTION_ETAG, BYTES(0x02, 0x03));
  opt(pdu, COAP_OPTION_IF_NONE_MATCH, 0, NULL);
  optu(pdu, COAP_OPTION_OBSERVE, 0);
  optu(pdu, COAP_OPTION_URI_PORT, 5683);
  opts(pdu, COAP_OPTION_URI_PATH, "sensors");
  opts(pdu, COAP_OPTION_URI_PATH, "temp");
  optu(pdu, COAP_OPTION_CONTENT_FORMAT, 50);
  optu(pdu, COAP_OPTION_MAXAGE, 60);
  opts(pdu, COAP_OPTION_URI_QUERY, "a=1");
  opts(pdu, COAP_OPTION_URI_QUERY, "b");
  optu(pdu, OPT_HOP_LIMIT, 5);
  optu(pdu, COAP_OPTION_ACCEPT, 0);
  optu(pdu, OPT_Q_BLOCK1, 0x16);
  optu(pdu, COAP_OPTION_BLOCK2, 0x06);
  optu(pdu, COAP_OPTION_BLOCK1, 0x1e);
  optu(pdu, COAP_OPTION_SIZE2, 0);
  optu(pdu, OPT_Q_BLOCK2, 0x2e);
  opts(pdu, COAP_OPTION_PROXY_SCHEME, "coap");
  optu(pdu, COAP_OPTION_SIZE1, 1024);
  opt(pdu, OPT_ECHO, BYTES(0xec, 0x40));
  optu(pdu, OPT_NORESPONSE, 26);
  opt(pdu, OPT_RTAG, BYTES(0x99));
  data(pdu, 8, u8("{\"t\":21}"));
  diff_dump_pdu(pdu); /* the facts behind the text, once */
  coap_delete_pdu(pdu);

  diff_case("response-location");
  pdu = mk(COAP_MESSAGE_ACK, 65, 0x4242);
  coap_add_token(pdu, 1, u8("\x07"));
  opts(pdu, COAP_OPTION_LOCATION_PATH, "res");
  opts(pdu, COAP_OPTION_LOCATION_PATH, "42");
  opts(pdu, COAP_OPTION_LOCATION_QUERY, "x=y");
  done(pdu);

  diff_case("proxy-uri-request-parsed");
  {
    /* Parsed: coap_add_option() in 4.3.5 also adds a Hop-Limit here. */
    static const uint8_t bytes[] = {0x40, 0x01, 0x00, 0x07, 0xd8, 0x16, 'c', 'o', 'a', 'p',
                                    ':',  '/',  '/',  'h',  0x44, 'c',  'o', 'a', 'p'};
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_UDP, bytes, sizeof(bytes), pdu));
    done(pdu);
  }

  diff_case("proxy-uri-response");
  pdu = mk(COAP_MESSAGE_ACK, 69, 7);
  opts(pdu, COAP_OPTION_PROXY_URI, "coap://h/p?q");
  done(pdu);

  diff_case("many-options-overflow");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_URI_PATH, 1000, 'a');
  optn(pdu, COAP_OPTION_URI_PATH, 1000, 'b');
  optn(pdu, COAP_OPTION_URI_PATH, 1000, 'c');
  data(pdu, 4, u8("tail"));
  done(pdu);

  diff_case("many-options-overflow-binary");
  pdu = mk(COAP_MESSAGE_CON, 1, 1);
  optn(pdu, COAP_OPTION_ETAG, 600, 0x11);
  optn(pdu, COAP_OPTION_ETAG, 600, 0x22);
  datan(pdu, 10, 0);
  done(pdu);
}

/* ------------------------------------------------------------- signaling */

static void signaling_cases(void) {
  coap_pdu_t *pdu;
  unsigned c;

  diff_case("csm-options");
  pdu = mk(COAP_MESSAGE_CON, 225, 0);
  optu(pdu, 2, 1152);
  opt(pdu, 4, 0, NULL);
  optu(pdu, 6, 65804);
  opts(pdu, 8, "x");
  opts(pdu, 9, "y");
  optu(pdu, 12, 50);
  data(pdu, 3, u8("abc"));
  done(pdu);

  diff_case("csm-empty-values");
  pdu = mk(COAP_MESSAGE_CON, 225, 0);
  opt(pdu, 2, 0, NULL);
  opt(pdu, 4, BYTES(0x01));
  opt(pdu, 6, 0, NULL);
  done(pdu);

  for (c = 226; c <= 227; c++) {
    diff_case(c == 226 ? "ping-options" : "pong-options");
    pdu = mk(COAP_MESSAGE_CON, c, 0);
    coap_add_token(pdu, 2, u8("\xaa\xbb"));
    opt(pdu, 2, 0, NULL);
    opt(pdu, 2, BYTES(0x01));
    opts(pdu, 4, "q");
    optu(pdu, 12, 0);
    data(pdu, 2, u8("pl"));
    done(pdu);
  }

  diff_case("release-options");
  pdu = mk(COAP_MESSAGE_CON, 228, 0);
  opts(pdu, 2, "host.example:5684");
  opt(pdu, 2, BYTES('a', 0x01, 'b'));
  optu(pdu, 4, 30);
  opt(pdu, 4, 0, NULL);
  opts(pdu, 6, "u");
  optu(pdu, 11, 3);
  done(pdu);

  diff_case("abort-options");
  pdu = mk(COAP_MESSAGE_CON, 229, 0);
  optu(pdu, 2, 4);
  opt(pdu, 2, 0, NULL);
  opts(pdu, 4, "z");
  data(pdu, 6, u8("reason"));
  done(pdu);

  diff_case("signaling-7-00-and-7-06");
  pdu = mk(COAP_MESSAGE_CON, 224, 0);
  optu(pdu, 2, 5);
  optu(pdu, 12, 0);
  done(pdu);
  pdu = mk(COAP_MESSAGE_CON, 230, 0);
  optu(pdu, 2, 5);
  optu(pdu, 12, 0);
  done(pdu);

  diff_case("signaling-parsed-tcp");
  {
    static const uint8_t csm[] = {0x40, 0xe1, 0x22, 0x04, 0x80, 0x40};
    static const uint8_t ping[] = {0x01, 0xe2, 0x77};
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_TCP, csm, sizeof(csm), pdu));
    done(pdu);
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_TCP, ping, sizeof(ping), pdu));
    done(pdu);
  }

  diff_case("request-parsed-tcp");
  {
    static const uint8_t get[] = {0x62, 0x01, 0x01, 0x02, 0xb4, 't', 'e', 's',
                                  't',  0xff, 'h',  'e',  'l',  'l', 'o'};
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_TCP, get, sizeof(get), pdu));
    done(pdu);
  }
}

/* --------------------------------------------------------------- payload */

static void payload_cases(void) {
  coap_pdu_t *pdu;
  size_t n;

  diff_case("payload-text");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, 11, u8("hello world"));
  done(pdu);

  diff_case("payload-one-char");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, 1, u8("~"));
  done(pdu);

  diff_case("payload-text-with-escapes");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, BYTES('a', 0x00, '\n', 0x7f, 0x80, 0xff, '\'', '\\', 'z'));
  done(pdu);

  diff_case("payload-leading-space");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, 3, u8(" ab"));
  done(pdu);

  diff_case("payload-leading-newline");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, 3, u8("\nab"));
  done(pdu);

  diff_case("payload-leading-high");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  data(pdu, BYTES(0xc3, 0xa9, 't', 0xc3, 0xa9));
  done(pdu);

  diff_case("payload-binary-all-bytes");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  datan(pdu, 256, -1);
  done(pdu);

  diff_case("payload-binary-format-text-data");
  pdu = mk(COAP_MESSAGE_ACK, 69, 1);
  optu(pdu, COAP_OPTION_CONTENT_FORMAT, 42);
  data(pdu, 9, u8("printable"));
  done(pdu);

  diff_case("payload-text-formats");
  {
    unsigned formats[] = {0, 40, 41, 50, 1, 60, 110};
    size_t i;
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
      pdu = mk(COAP_MESSAGE_ACK, 69, 1);
      optu(pdu, COAP_OPTION_CONTENT_FORMAT, formats[i]);
      data(pdu, 4, u8("te\x01t"));
      done(pdu);
    }
  }

  diff_case("payload-empty-message-with-data");
  {
    static const uint8_t bytes[] = {0x60, 0x00, 0x12, 0x34, 0xff, 'x'};
    pdu = coap_pdu_init(COAP_MESSAGE_CON, 0, 0, 1024);
    printf("parse -> %d\n", coap_pdu_parse(COAP_PROTO_UDP, bytes, sizeof(bytes), pdu));
    done(pdu);
  }

  diff_case("payload-signaling");
  pdu = mk(COAP_MESSAGE_CON, 226, 0);
  data(pdu, 4, u8("ping"));
  done(pdu);

  /* Long payloads: where the line buffer runs out. The summary in front of
   * the payload is "v:1 t:ACK c:2.05 i:0001 {} [ ] :: " (34 characters). */
  {
    size_t text_sizes[] = {1000, 2010, 2015, 2016, 2017, 2018, 2019,
                           2020, 2021, 2022, 2023, 2030, 3000};
    size_t i;
    for (i = 0; i < sizeof(text_sizes) / sizeof(text_sizes[0]); i++) {
      char name[64];
      n = text_sizes[i];
      snprintf(name, sizeof(name), "payload-text-%zu", n);
      diff_case(name);
      pdu = mk(COAP_MESSAGE_ACK, 69, 1);
      datan(pdu, n, 't');
      done(pdu);
    }
  }
  {
    /* A payload ending in escapes near the end of the line. */
    size_t ends[] = {2010, 2012, 2013, 2014, 2015, 2016, 2017, 2018};
    size_t i;
    for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
      char name[64];
      uint8_t *v;
      n = ends[i];
      snprintf(name, sizeof(name), "payload-escape-tail-%zu", n);
      diff_case(name);
      v = malloc(n + 10);
      memset(v, 'e', n + 10);
      memset(v + n - 6, 0x01, 16);
      pdu = mk(COAP_MESSAGE_ACK, 69, 1);
      data(pdu, n + 10, v);
      free(v);
      done(pdu);
    }
  }
  {
    size_t bin_sizes[] = {100, 1000, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1500};
    size_t i;
    for (i = 0; i < sizeof(bin_sizes) / sizeof(bin_sizes[0]); i++) {
      char name[64];
      n = bin_sizes[i];
      snprintf(name, sizeof(name), "payload-binary-%zu", n);
      diff_case(name);
      pdu = mk(COAP_MESSAGE_ACK, 69, 1);
      datan(pdu, n, -1);
      done(pdu);
    }
  }
}

/* ---------------------------------------------------------------- output */

static coap_log_t captured_level;

static void capture_log(coap_log_t level, const char *message) {
  captured_level = level;
  printf("log[%d]: %s", (int)level, message);
  if (!strchr(message, '\n')) printf("<no newline>\n");
}

static void output_cases(void) {
  coap_pdu_t *pdu = mk(COAP_MESSAGE_CON, 1, 0x0102);
  coap_pdu_t *bin = mk(COAP_MESSAGE_ACK, 69, 0x0103);
  coap_add_token(pdu, 2, u8("\x0a\x0b"));
  opts(pdu, COAP_OPTION_URI_PATH, "x");
  datan(bin, 4, 0xfe);
  (void)captured_level;

  diff_case("output-log-handler");
  coap_set_log_handler(capture_log);
  coap_set_show_pdu_output(0);
  coap_show_pdu(COAP_LOG_WARN, pdu);
  coap_show_pdu(COAP_LOG_ERR, bin);
  coap_show_pdu(COAP_LOG_DEBUG, pdu);
  coap_show_pdu(COAP_LOG_EMERG, pdu);

  diff_case("output-log-handler-long-lines");
  {
    /* Full lines through the handler: the summary line loses its newline. */
    coap_pdu_t *big = mk(COAP_MESSAGE_CON, 1, 1);
    optn(big, COAP_OPTION_ETAG, 600, 0x11);
    optn(big, COAP_OPTION_ETAG, 600, 0x22);
    datan(big, 1100, 0x01);
    coap_show_pdu(COAP_LOG_WARN, big);
    coap_delete_pdu(big);
  }

  diff_case("output-log-level-filter");
  coap_set_log_level(COAP_LOG_NOTICE);
  coap_show_pdu(COAP_LOG_INFO, pdu);
  coap_show_pdu(COAP_LOG_DEBUG, bin);
  coap_show_pdu(COAP_LOG_NOTICE, pdu);
  coap_show_pdu(COAP_LOG_CRIT, bin);
  coap_set_log_level(COAP_LOG_EMERG);
  coap_show_pdu(COAP_LOG_ALERT, pdu);
  coap_show_pdu(COAP_LOG_EMERG, pdu);

  diff_case("output-fprintf-level-filter");
  coap_set_show_pdu_output(1);
  coap_set_log_level(COAP_LOG_NOTICE);
  show(pdu);
  fflush(stdout);
  coap_show_pdu(COAP_LOG_INFO, pdu);
  coap_show_pdu(COAP_LOG_NOTICE, bin);
  fflush(stdout);
  coap_set_log_level(COAP_LOG_DEBUG);

  diff_case("output-fprintf-other-values");
  coap_set_show_pdu_output(2);
  show(pdu);
  coap_set_show_pdu_output(-1);
  show(pdu);
  coap_set_show_pdu_output(1);
  coap_set_log_handler(diff_discard_log);

  coap_delete_pdu(pdu);
  coap_delete_pdu(bin);
}

int main(void) {
  diff_setup();
  header_cases();
  token_cases();
  uint_option_cases();
  content_format_cases();
  block_cases();
  oscore_cases();
  opaque_option_cases();
  string_option_cases();
  other_option_cases();
  signaling_cases();
  payload_cases();
  output_cases();
  return 0;
}
