/* Differential cases for URIs (coap_uri.h) and the path / query helpers
 * (coap_split_path(), coap_path_into_optlist(), coap_get_uri_path(), ...).
 *
 * Left out on purpose:
 * - coap+tcp:// URIs: whether they parse depends on the transports built
 *   in (libcoap refuses schemes it cannot use). The unit tests cover them
 *   with every scheme enabled. (coap+ws:// is here: WebSockets landed.)
 * - NULL arguments that libcoap assert()s on or dereferences (NULL PDU,
 *   NULL buflen, NULL option chain): covered by the unit tests.
 * - coap_get_query() on requests whose first Uri-Query is empty and
 *   followed by others: libcoap returns uninitialised bytes there.
 * - Option values above 65804 bytes: libcoap's coap_new_optlist() takes any
 *   length, ours stops at the largest encodable option. */
#include "diff_common.h"

#include <arpa/inet.h>
#include <stdlib.h>

#define HAVE_435_API (LIBCOAP_VERSION >= 4003005ULL)

#if LIBCOAP_VERSION < 4003002ULL
/* 4.3.1 has no coap_delete_uri(); its URI objects are plain allocations. */
#define coap_delete_uri(uri) coap_free(uri)
#endif

static const uint8_t *u8(const char *s) {
  return (const uint8_t *)s;
}

static void print_bytes(const uint8_t *p, size_t n) {
  size_t i;
  putchar('\'');
  for (i = 0; i < n; i++) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'' && p[i] != '\\')
      putchar(p[i]);
    else
      printf("\\x%02x", p[i]);
  }
  putchar('\'');
}

/* Long strings are summarised so the expected output stays readable. */
static void print_text(const uint8_t *p, size_t n) {
  if (n > 80) {
    size_t i;
    unsigned sum = 0;
    for (i = 0; i < n; i++) sum = sum * 31 + p[i];
    print_bytes(p, 20);
    printf("...(sum %08x)", sum);
  } else {
    print_bytes(p, n);
  }
}

/* A part of a coap_uri_t: NULL, or where it points into the parsed text. */
static void print_part(const char *label, coap_str_const_t part, const uint8_t *base,
                       size_t base_len) {
  printf(" %s", label);
  if (!part.s) {
    printf("=NULL/%zu", part.length);
  } else if (base && part.s >= base && (size_t)(part.s - base) <= base_len) {
    printf("@%ld[%zu]=", (long)(part.s - base), part.length);
    print_text(part.s, part.length);
  } else {
    printf("=elsewhere[%zu]", part.length);
  }
}

static void print_uri(const coap_uri_t *uri, const uint8_t *base, size_t base_len) {
  printf("  scheme %d port %u", (int)uri->scheme, (unsigned)uri->port);
  print_part("host", uri->host, base, base_len);
  print_part("path", uri->path, base, base_len);
  print_part("query", uri->query, base, base_len);
  printf(" secure %d\n", coap_uri_scheme_is_secure(uri));
}

/* Both splitters on the same text; the struct is pre-filled so that what
 * a failing call leaves behind is compared too. */
static void split_case(const char *name, const uint8_t *text, size_t len) {
  coap_uri_t uri;
  int r;
  diff_case(name);
  printf("text[%zu] ", len);
  print_text(text, len);
  printf("\n");
  memset(&uri, 0x5a, sizeof(uri));
  r = coap_split_uri(text, len, &uri);
  printf("split_uri -> %d\n", r);
  print_uri(&uri, text, len);
  memset(&uri, 0x5a, sizeof(uri));
  r = coap_split_proxy_uri(text, len, &uri);
  printf("split_proxy_uri -> %d\n", r);
  print_uri(&uri, text, len);
}

#define SPLIT(name, text) split_case(name, u8(text), strlen(text))

static void split_cases(void) {
  static uint8_t big[12000];
  size_t n;

  SPLIT("coap-host", "coap://host");
  SPLIT("coap-host-slash", "coap://host/");
  SPLIT("coap-full", "coap://example.com:61616/a/b/c?x=1&y=2");
  SPLIT("coap-ipv4", "coap://192.0.2.1:5683/r");
  SPLIT("coap-ipv6", "coap://[2001:db8::1]:5684/r?q");
  SPLIT("coap-ipv6-default-port", "coap://[::1]");
  SPLIT("coap-ipv6-upper", "coap://[FE80::ABCD]/x");
  SPLIT("coap-ipv6-single", "coap://[a]");
  SPLIT("coap-ipv6-empty", "coap://[]/");
  SPLIT("coap-ipv6-unterminated", "coap://[::1");
  SPLIT("coap-ipv6-open-only", "coap://[");
  SPLIT("coap-ipv6-zone", "coap://[fe80::1%25eth0]/");
  SPLIT("coap-ipv6-zone-raw", "coap://[fe80::1%eth0]/");
  SPLIT("coap-ipv6-v4mapped", "coap://[::ffff:192.0.2.1]/");
  SPLIT("coap-ipv6-nested", "coap://[[::1]]");
  SPLIT("coap-ipv6-extra-bracket", "coap://[::1]]");
  SPLIT("coap-ipv6-trailing", "coap://[::1]x");
  SPLIT("coap-ipv6-query-direct", "coap://[::1]?q");
  SPLIT("coap-ipv6-fragment", "coap://[::1]#");
  SPLIT("coap-ipv6-port-empty", "coap://[::1]:");
  SPLIT("coap-ipv6-port-query", "coap://[::1]:?q");
  SPLIT("coap-ipv6-port-twice", "coap://[::1]:80:80");
  SPLIT("coap-ipv6-query-empty", "coap://[::1]/?");
  SPLIT("coap-close-bracket-host", "coap://a]b/");
  SPLIT("coap-open-bracket-host", "coap://a[b/");
  SPLIT("coap-close-bracket-only", "coap://]");
  SPLIT("coaps", "coaps://host/secure");
  SPLIT("coaps-ipv6", "coaps://[::1]");
  SPLIT("coaps-bad-host", "coaps://[");
  SPLIT("coaps-tcp", "coaps+tcp://host");
  SPLIT("coaps-tcp-bad-port", "coaps+tcp://[::1]:x");
  SPLIT("coaps-ws", "coaps+ws://host/ws");
  SPLIT("coap-ws", "coap+ws://host/ws");
  SPLIT("coap-ws-full", "coap+ws://example.com:8080/.well-known/core?rt=x");
  SPLIT("coap-ws-ipv6", "coap+ws://[::1]/a/b");
  SPLIT("coap-ws-upper", "COAP+WS://h:1/");
  SPLIT("coap-ws-bad-port", "coap+ws://h:99999/");
  SPLIT("http", "http://host:8080/x?y");
  SPLIT("http-default-port", "http://h");
  SPLIT("https", "https://[::1]/");
  SPLIT("https-port", "https://h:8443/a");
  SPLIT("scheme-upper", "COAP://h");
  SPLIT("scheme-mixed-case", "Coap://h");
  SPLIT("scheme-unknown", "foo://h");
  SPLIT("scheme-coap-udp", "coap+udp://h");
  SPLIT("scheme-prefixed", "xcoap://h");
  SPLIT("scheme-empty", "://h");
  SPLIT("scheme-colon", "coap:://h");
  SPLIT("scheme-one-slash", "coap:/h");
  SPLIT("scheme-no-slash", "coap:h");
  SPLIT("scheme-missing-colon", "coap//h");
  SPLIT("scheme-late-separator", "coap/x://h");
  SPLIT("scheme-only", "coap://");
  SPLIT("host-empty-path", "coap:///p");
  SPLIT("host-empty-slash", "coap:///");
  SPLIT("host-empty-port", "coap://:80/");
  SPLIT("host-empty-colon", "coap://:");
  SPLIT("host-empty-query", "coap://?");
  SPLIT("host-hash", "coap://#");
  SPLIT("host-space", "coap://ho st/");
  SPLIT("host-at", "coap://h@u/");
  SPLIT("host-userinfo", "coap://u:p@h/");
  SPLIT("host-percent", "coap://h%20x/");
  SPLIT("host-encoded-slash-inside", "coap://h%2F/");
  SPLIT("host-fragment", "coap://h#frag");
  SPLIT("host-control", "coap://h\x01\x7f\xff/");
  SPLIT("port-empty", "coap://h:");
  SPLIT("port-empty-path", "coap://h:/p");
  SPLIT("port-empty-query", "coap://h:?x");
  SPLIT("port-0", "coap://h:0");
  SPLIT("port-max", "coap://h:65535/");
  SPLIT("port-overflow", "coap://h:65536");
  SPLIT("port-overflow-6", "coap://h:655350");
  SPLIT("port-huge", "coap://h:99999999999999999999");
  SPLIT("port-leading-zeros", "coap://h:00000000000000005683");
  SPLIT("port-leading-zero-max", "coap://h:065535");
  SPLIT("port-alpha", "coap://h:a");
  SPLIT("port-trailing-alpha", "coap://h:12a");
  SPLIT("port-trailing-alpha-slash", "coap://h:1x/");
  SPLIT("port-partial-alpha", "coap://h:6553x");
  SPLIT("port-minus", "coap://h:-1");
  SPLIT("port-plus", "coap://h:+1");
  SPLIT("port-space", "coap://h: 1");
  SPLIT("port-twice", "coap://h:5683:5/");
  SPLIT("port-query", "coap://h:5683?x");
  SPLIT("query-after-host", "coap://h?q");
  SPLIT("query-after-host-empty", "coap://h?");
  SPLIT("query-empty", "coap://h/?");
  SPLIT("query-only", "coap://h/?q");
  SPLIT("query-two-marks", "coap://h/a?b?c");
  SPLIT("query-with-slash", "coap://h/p?a/b");
  SPLIT("query-double-mark-host", "coap://h?a?b");
  SPLIT("query-fragment", "coap://h/p?q#f");
  SPLIT("path-double-slash", "coap://h//");
  SPLIT("path-empty-segments", "coap://h/a//b/");
  SPLIT("path-trailing-slash-query", "coap://h/p/?");
  SPLIT("path-dot", "coap://h/.");
  SPLIT("path-dot-dot", "coap://h/..");
  SPLIT("path-dots", "coap://h/./a/../b");
  SPLIT("path-fragment", "coap://h/p#f");
  SPLIT("path-fragment-query", "coap://h/#?a");
  SPLIT("path-percent", "coap://h/a%20b/%zz");
  SPLIT("unix", "coap://%2Ftmp%2Fsock/p");
  SPLIT("unix-lower", "coap://%2ftmp%2fsock");
  SPLIT("unix-port", "coap://%2Ftmp:5683/");
  SPLIT("unix-port-empty", "coap://%2Fa:");
  SPLIT("unix-only-slash", "coap://%2F");
  SPLIT("unix-double", "coap://%2F%2F");
  SPLIT("unix-short", "coap://%2");
  SPLIT("unix-not-f", "coap://%2G/");
  SPLIT("unix-query-direct", "coap://%2Fa?x");
  SPLIT("unix-query", "coap://%2Fa/?x");
  SPLIT("unix-trailing-percent", "coap://%2Fh%");
  SPLIT("unix-in-brackets", "coap://[%2F]/");
  SPLIT("relative-path", "/path");
  SPLIT("relative-root", "/");
  SPLIT("relative-query", "/a?b");
  SPLIT("relative-query-only", "/?b");
  SPLIT("relative-double-slash", "//h/p");
  SPLIT("relative-no-slash", "path");
  SPLIT("relative-query-mark", "?q");
  SPLIT("relative-dot", "./a");
  SPLIT("empty", "");
  split_case("embedded-nul", u8("coap://h\0x/a\0b?c\0d"), 19);
  split_case("length-cuts-host", u8("coap://host/path"), 9);
  split_case("length-cuts-separator", u8("coap://host/path"), 6);
  split_case("length-cuts-port", u8("coap://h:5683/p"), 11);

  /* Host names: 255 bytes is the limit (also for Unix-domain paths);
   * IPv6 literals have none. */
  n = (size_t)sprintf((char *)big, "coap://");
  memset(big + n, 'h', 255);
  split_case("host-255", big, n + 255);
  memcpy(big + n + 255, ":7/p", 4);
  split_case("host-255-port", big, n + 259);
  memset(big + n, 'h', 256);
  split_case("host-256", big, n + 256);
  memset(big + n, 'h', 1000);
  split_case("host-1000", big, n + 1000);
  memcpy(big + n, "%2F", 3);
  memset(big + n + 3, 'u', 252);
  split_case("unix-255", big, n + 255);
  memset(big + n + 3, 'u', 253);
  split_case("unix-256", big, n + 256);
  memcpy(big + n + 256, ":1", 2);
  split_case("unix-256-port", big, n + 258);
  big[n] = '[';
  memset(big + n + 1, 'a', 400);
  big[n + 401] = ']';
  split_case("ipv6-400", big, n + 402);
  big[n + 300] = 'g';
  split_case("ipv6-400-bad-char", big, n + 402);
  n = (size_t)sprintf((char *)big, "coap://h:");
  memset(big + n, '0', 3000);
  memcpy(big + n + 3000, "80/x", 4);
  split_case("port-3000-zeros", big, n + 3004);
  n = (size_t)sprintf((char *)big, "coap://h/");
  memset(big + n, 'p', 5000);
  big[n + 10] = '/';
  big[n + 4000] = '?';
  big[n + 4500] = '&';
  split_case("long-path-query", big, n + 5000);
  n = (size_t)sprintf((char *)big, "http://h/");
  memset(big + n, 'x', 11000);
  split_case("long-http-path", big, n + 11000);

  diff_case("null-arguments");
  {
    coap_uri_t uri;
    memset(&uri, 0x5a, sizeof(uri));
    printf("text NULL len 0 -> %d\n", coap_split_uri(NULL, 0, &uri));
    printf("text NULL len 5 -> %d\n", coap_split_uri(NULL, 5, &uri));
    printf("uri NULL -> %d\n", coap_split_uri(u8("coap://h"), 8, NULL));
    printf("proxy text NULL -> %d\n", coap_split_proxy_uri(NULL, 8, &uri));
    printf("proxy uri NULL -> %d\n", coap_split_proxy_uri(u8("coap://h"), 8, NULL));
    printf("len 0 -> %d\n", coap_split_uri(u8("coap://h"), 0, &uri));
    print_uri(&uri, NULL, 0);
  }
}

/* ---- coap_split_path / coap_split_query ------------------------------ */

static void split_buffer_case(const char *name, const char *text, size_t len, size_t room) {
  uint8_t buf[400];
  size_t buflen;
  size_t shown;
  int r;
  diff_case(name);
  printf("text[%zu] ", len);
  print_text(u8(text), len);
  printf(" room %zu\n", room);
  shown = room < 64 ? room : 64;

  memset(buf, 0xee, sizeof(buf));
  buflen = room;
  r = coap_split_path(u8(text), len, buf, &buflen);
  printf("split_path -> %d used %zu\n", r, buflen);
  diff_hex("  buf", buf, shown);

  memset(buf, 0xee, sizeof(buf));
  buflen = room;
  r = coap_split_query(u8(text), len, buf, &buflen);
  printf("split_query -> %d used %zu\n", r, buflen);
  diff_hex("  buf", buf, shown);
}

#define SPLITBUF(name, text, room) split_buffer_case(name, text, strlen(text), room)

static void split_buffer_cases(void) {
  static const struct {
    const char *name;
    const char *text;
  } texts[] = {
      {"seg-empty", ""},
      {"seg-one", "a"},
      {"seg-two", "a/b"},
      {"seg-leading-slash", "/a"},
      {"seg-trailing-slash", "a/"},
      {"seg-only-slashes", "//"},
      {"seg-double-slash", "a//b"},
      {"seg-amp", "a&b"},
      {"seg-double-amp", "a&&b"},
      {"seg-only-amp", "&"},
      {"seg-pct", "%41"},
      {"seg-pct-lower", "%2f"},
      {"seg-pct-mixed", "a%41b/%2F"},
      {"seg-pct-many", "%41%42%43"},
      {"seg-pct-short", "%4"},
      {"seg-pct-alone", "%"},
      {"seg-pct-bad", "%zz"},
      {"seg-pct-end", "a%"},
      {"seg-pct-short-then-seg", "a%4/b"},
      {"seg-pct-alone-last", "a/%"},
      {"seg-pct-bad-then-seg", "%zz/b"},
      {"seg-pct-nul", "%00"},
      {"seg-dot", "."},
      {"seg-dot-dot", ".."},
      {"seg-dot-slash", "./a"},
      {"seg-dot-space-dotdot", ". /.."},
      {"seg-back", "a/.."},
      {"seg-back-twice", "a/../.."},
      {"seg-back-middle", "a/b/../c"},
      {"seg-dot-middle", "a/./b"},
      {"seg-back-first", "../a"},
      {"seg-three-dots", "a/.../b"},
      {"seg-dot-trailing", "a/."},
      {"seg-dot-dot-after-dot", "a/./.."},
      {"seg-back-to-nothing", "./.."},
      {"seg-back-after-dot", "a/b/./.."},
      {"seg-back-alternating", "a/../b/.."},
      {"seg-encoded-dots", ".%2e"},
      {"seg-encoded-dot", "%2e"},
      {"seg-encoded-back", "a/%2e%2e"},
      {"seg-encoded-back-upper", "%2e%2E"},
      {"seg-triple-dot", "..."},
      {"seg-question", "a?b/c"},
      {"seg-hash", "a#b/c"},
      {"seg-question-late", "a/b?c"},
      {"seg-amp-question", "a&b?c&d"},
      {"seg-hash-amp", "x#y&z"},
      {"seg-question-first", "?"},
      {"seg-hash-first", "#"},
      {"seg-long-13", "abcdefghijklm/n"},
      {"seg-long-300", NULL}, /* filled in below */
  };
  static const size_t rooms[] = {0, 1, 2, 3, 4, 5, 8, 14, 15, 16, 17, 302, 303, 400};
  static char long300[310];
  const size_t count = sizeof(texts) / sizeof(texts[0]);
  size_t i, j;
  char name[96];

  memset(long300, 'a', 300);
  memcpy(long300 + 300, "/b", 3);
  for (i = 0; i < count; i++) SPLITBUF(texts[i].name, texts[i].text ? texts[i].text : long300, 400);

  /* Tight buffers: what fits, and what a failed option leaves behind. */
  for (j = 0; j < sizeof(rooms) / sizeof(rooms[0]); j++) {
    snprintf(name, sizeof(name), "room-abc-def-%zu", rooms[j]);
    SPLITBUF(name, "abc/def", rooms[j]);
    snprintf(name, sizeof(name), "room-long-13-%zu", rooms[j]);
    SPLITBUF(name, "abcdefghijklm/n", rooms[j]);
    snprintf(name, sizeof(name), "room-back-%zu", rooms[j]);
    SPLITBUF(name, "a/../b", rooms[j]);
    snprintf(name, sizeof(name), "room-pct-%zu", rooms[j]);
    SPLITBUF(name, "%41/b", rooms[j]);
    snprintf(name, sizeof(name), "room-dots-%zu", rooms[j]);
    SPLITBUF(name, "a/.", rooms[j]);
    snprintf(name, sizeof(name), "room-300-%zu", rooms[j]);
    SPLITBUF(name, long300, rooms[j]);
  }

  split_buffer_case("length-cuts-escape", "%41", 2, 400);
  split_buffer_case("length-cuts-escape-2", "a%41", 3, 400);
  split_buffer_case("length-cuts-before-slash", "%41/", 2, 400);
  split_buffer_case("length-excludes-hex", "a%4b/c", 3, 400);
  split_buffer_case("length-keeps-escape", "%4142", 3, 400);
  split_buffer_case("embedded-nul", "a\0b/c&d", 7, 400);

  diff_case("split-long-values");
  {
    static const size_t lengths[] = {268, 269, 1000, 65804, 65805, 70000};
    uint8_t *in = malloc(70100), *buf = malloc(70100);
    size_t k, buflen;
    int r;
    for (k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
      memset(in, 'v', lengths[k]);
      memcpy(in + lengths[k], "/b/../c", 7);
      memset(buf, 0xee, 70100);
      buflen = 70100;
      r = coap_split_path(in, lengths[k] + 7, buf, &buflen);
      printf("path %zu -> %d used %zu", lengths[k], r, buflen);
      diff_hex(" head", buf, 4);
      memset(buf, 0xee, 70100);
      buflen = 70100;
      r = coap_split_query(in, lengths[k], buf, &buflen);
      printf("query %zu -> %d used %zu", lengths[k], r, buflen);
      diff_hex(" head", buf, 4);
    }
    free(in);
    free(buf);
  }
}

/* ---- option lists --------------------------------------------------- */

#if HAVE_435_API
static void print_chain(const coap_optlist_t *o) {
  if (!o) printf("  (empty chain)\n");
  for (; o; o = o->next) {
    printf("  opt %u len %zu ", (unsigned)o->number, o->length);
    print_text(o->data, o->length);
    printf("\n");
  }
}

/* A chain with `pre` entries of option 99 already in it. */
static coap_optlist_t *prefilled(int pre) {
  coap_optlist_t *chain = NULL;
  int i;
  for (i = 0; i < pre; i++) {
    char v[8];
    snprintf(v, sizeof(v), "P%d", i % 10);
    coap_insert_optlist(&chain, coap_new_optlist(99, 2, u8(v)));
  }
  return chain;
}
#endif

static void optlist_case(const char *name, const char *text, size_t len, int pre) {
  diff_case(name);
  printf("text[%zu] ", len);
  print_text(u8(text), len);
  printf(" pre %d\n", pre);
#if HAVE_435_API
  {
    coap_optlist_t *chain = prefilled(pre);
    int r = coap_path_into_optlist(u8(text), len, COAP_OPTION_URI_PATH, &chain);
    printf("path_into_optlist -> %d\n", r);
    print_chain(chain);
    coap_delete_optlist(chain);
    chain = prefilled(pre);
    r = coap_query_into_optlist(u8(text), len, COAP_OPTION_URI_QUERY, &chain);
    printf("query_into_optlist -> %d\n", r);
    print_chain(chain);
    coap_delete_optlist(chain);
  }
#else
  printf("not in this version\n");
#endif
}

static void optlist_cases(void) {
  static const char *const texts[] = {
      "",
      "a",
      "a/b",
      "/a",
      "a/",
      "//",
      "a//b",
      "a&b",
      "a&&b",
      "&",
      "%41",
      "%4",
      "%",
      "%zz",
      "%g1",
      "%1g",
      "%%41",
      "%4%41",
      "100%",
      "a%41b/%2F",
      "%2f",
      "%00",
      "a+b",
      "%2B",
      "./a",
      ".",
      ". /..",
      "..",
      "a/..",
      "a/../..",
      "a/b/../c",
      "a/./b",
      "../a",
      "a/.../b",
      "a?b/c",
      "a#b/c",
      "a/b?c",
      "a&b?c&d",
      "x#y&z",
      "a%",
      "a%4/b",
      "a/%",
      "...",
      ".%2e",
      "%2e",
      "a/%2e%2e",
      "?",
      "#",
      "/",
      "a/b/..",
      "a/b/../..",
      "a/b/../../..",
      "%:0%@0%[0%`0%{0%\x7f"
      "0%\x80"
      "0%\xc1"
      "0",
      "k=v&x=%20y&z",
      "a b/c%20d",
      "%E2%82%AC/%e2%82%ac",
  };
  size_t i;
  char name[64];
  for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    snprintf(name, sizeof(name), "optlist-%02zu", i);
    optlist_case(name, texts[i], strlen(texts[i]), 0);
  }
  optlist_case("optlist-pre1-a", "a", 1, 1);
  optlist_case("optlist-pre1-back", "..", 2, 1);
  optlist_case("optlist-pre2-back", "..", 2, 2);
  optlist_case("optlist-pre3-back", "..", 2, 3);
  optlist_case("optlist-pre3-back2", "../..", 5, 3);
  optlist_case("optlist-pre3-back3", "../../..", 8, 3);
  optlist_case("optlist-pre2-a-back", "a/..", 4, 2);
  optlist_case("optlist-pre2-a-back2", "a/../..", 7, 2);
  optlist_case("optlist-pre2-dot", ".", 1, 2);
  optlist_case("optlist-pre4-a-back3", "a/../../..", 10, 4);
  optlist_case("optlist-embedded-nul", "a\0b/c&d", 7, 0);
  optlist_case("optlist-length-cuts-escape", "x/%41", 4, 0);

  diff_case("optlist-two-calls");
#if HAVE_435_API
  {
    coap_optlist_t *chain = NULL;
    printf("first %d\n", coap_path_into_optlist(u8("a/b"), 3, COAP_OPTION_URI_PATH, &chain));
    printf("second %d\n", coap_path_into_optlist(u8("../c"), 4, COAP_OPTION_URI_PATH, &chain));
    printf("third %d\n", coap_path_into_optlist(u8("../../.."), 8, COAP_OPTION_URI_PATH, &chain));
    print_chain(chain);
    coap_delete_optlist(chain);
    chain = NULL;
    printf("location %d\n",
           coap_path_into_optlist(u8("x/y"), 3, COAP_OPTION_LOCATION_PATH, &chain));
    printf("location query %d\n",
           coap_query_into_optlist(u8("p&q"), 3, COAP_OPTION_LOCATION_QUERY, &chain));
    printf("odd number %d\n", coap_path_into_optlist(u8("n"), 1, 2049, &chain));
    print_chain(chain);
    coap_delete_optlist(chain);
  }
#else
  printf("not in this version\n");
#endif
}

/* ---- coap_uri_into_optlist / coap_uri_into_options ------------------- */

#if HAVE_435_API
static coap_address_t addr4, addr6, addr6_scoped, addr_unix, addr_unspec;

static void make_addresses(void) {
  coap_address_init(&addr4);
  addr4.addr.sin.sin_family = AF_INET;
  inet_pton(AF_INET, "192.0.2.1", &addr4.addr.sin.sin_addr);
  addr4.addr.sin.sin_port = htons(5683);
  addr4.size = sizeof(struct sockaddr_in);
  coap_address_init(&addr6);
  addr6.addr.sin6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "fe80::1", &addr6.addr.sin6.sin6_addr);
  addr6.size = sizeof(struct sockaddr_in6);
  addr6_scoped = addr6;
  addr6_scoped.addr.sin6.sin6_scope_id = 3;
  coap_address_init(&addr_unix);
  coap_address_set_unix_domain(&addr_unix, u8("/tmp/s"), 6);
  coap_address_init(&addr_unspec);
}

static void into_case(const char *name, const char *host, uint16_t port, int scheme,
                      const char *path, const char *query, const coap_address_t *dst,
                      const char *dst_name, int create) {
  coap_uri_t uri;
  coap_optlist_t *chain = NULL;
  int r;
  diff_case(name);
  memset(&uri, 0, sizeof(uri));
  if (host) {
    uri.host.s = u8(host);
    uri.host.length = strlen(host);
  }
  if (path) {
    uri.path.s = u8(path);
    uri.path.length = strlen(path);
  }
  if (query) {
    uri.query.s = u8(query);
    uri.query.length = strlen(query);
  }
  uri.port = port;
  uri.scheme = (coap_uri_scheme_t)scheme;
  printf("host %s port %u scheme %d path %s query %s dst %s create %d\n", host ? host : "NULL",
         (unsigned)port, scheme, path ? path : "NULL", query ? query : "NULL", dst_name, create);
  r = coap_uri_into_optlist(&uri, dst, &chain, create);
  printf("into_optlist -> %d\n", r);
  print_chain(chain);
  coap_delete_optlist(chain);
  chain = NULL;
  r = coap_uri_into_options(&uri, dst, &chain, create, NULL, 0);
  printf("into_options -> %d\n", r);
  print_chain(chain);
  coap_delete_optlist(chain);
}
#endif

static void into_cases(void) {
#if HAVE_435_API
  static const char *const hosts[] = {
      "192.0.2.1",
      "192.0.2.10",
      "192.0.2.1%x",
      "example.com",
      "EXAMPLE.com",
      "fe80::1",
      "FE80::1",
      "fe80::1%eth0",
      "fe80::1%25eth0",
      "fe80::01",
      "a%41b",
      "h%2",
      "%41",
      "%",
      "",
      "%2Ftmp%2Fs",
      "%2ftmp",
      "/tmp/s",
      "h\xc3\x84%C3%84",
  };
  static const struct {
    const coap_address_t *addr;
    const char *name;
  } dsts[] = {{&addr4, "ipv4"},     {&addr6, "ipv6"},         {&addr6_scoped, "ipv6-scoped"},
              {&addr_unix, "unix"}, {&addr_unspec, "unspec"}, {NULL, "none"}};
  static const int schemes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 99, -1};
  static const uint16_t ports[] = {0, 1, 80, 256, 443, 5683, 5684, 65535};
  size_t h, d, s, p;
  char name[96];

  make_addresses();
  for (h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++) {
    for (d = 0; d < sizeof(dsts) / sizeof(dsts[0]); d++) {
      snprintf(name, sizeof(name), "into-host-%02zu-%s", h, dsts[d].name);
      into_case(name, hosts[h], 5683, 0, NULL, NULL, dsts[d].addr, dsts[d].name, 1);
    }
  }
  into_case("into-host-null", NULL, 5683, 0, "p", NULL, &addr4, "ipv4", 1);
  into_case("into-no-create", "example.com", 1234, 0, "a/b", "x&y", &addr4, "ipv4", 0);
  into_case("into-no-create-unix", "%2Fx", 1234, 0, "a", NULL, &addr4, "ipv4", 0);
  into_case("into-unix-port", "%2Ftmp", 1234, 0, "p", NULL, &addr4, "ipv4", 1);
  into_case("into-unix-raw-port", "/tmp", 1234, 3, "p", "q", &addr4, "ipv4", 1);
  into_case("into-path-query", "h", 5683, 0, "a/../b/./c", "q&r=1&", NULL, "none", 1);
  into_case("into-empty-path-query", "h", 5683, 0, "", "", NULL, "none", 1);
  into_case("into-percent-path-query", "h", 5683, 0, "%41/b%2Fc", "x=%41&%", NULL, "none", 1);
  into_case("into-everything", "Example.COM", 61616, 1, "s/./t/../u", "a=1&b", &addr4, "ipv4", 1);
  for (s = 0; s < sizeof(schemes) / sizeof(schemes[0]); s++) {
    for (p = 0; p < sizeof(ports) / sizeof(ports[0]); p++) {
      snprintf(name, sizeof(name), "into-port-scheme%d-%u", schemes[s], (unsigned)ports[p]);
      into_case(name, "h", ports[p], schemes[s], NULL, NULL, NULL, "none", 1);
    }
  }
  diff_case("into-from-split");
  {
    static const char *const uris[] = {"coap://192.0.2.1/a",  "coap://[fe80::1]:5684/b?c",
                                       "coap://Host:1/%2e/x", "coaps://h/",
                                       "http://h:80/x?y",     "https://h:80/",
                                       "coap://%2Fsock/p?q"};
    size_t i;
    for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
      coap_uri_t uri;
      coap_optlist_t *chain = NULL;
      int r = coap_split_proxy_uri(u8(uris[i]), strlen(uris[i]), &uri);
      printf("%s split %d", uris[i], r);
      if (r == 0) {
        r = coap_uri_into_optlist(&uri, &addr4, &chain, 1);
        printf(" into %d\n", r);
        print_chain(chain);
        coap_delete_optlist(chain);
      } else {
        printf("\n");
      }
    }
  }
#else
  diff_case("into-not-in-this-version");
#endif
}

/* ---- coap_get_query / coap_get_uri_path ------------------------------- */

static void print_string(const char *label, coap_string_t *s) {
  printf("%s ", label);
  if (!s) {
    printf("NULL\n");
    return;
  }
  printf("[%zu] ", s->length);
  print_text(s->s, s->length);
  printf(" nul %d\n", s->s[s->length]);
  coap_delete_string(s);
}

/* Adds options given as "number:value" strings, in order. */
static void pdu_case(const char *name, int code, const char *const *opts, size_t count) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, (coap_pdu_code_t)code, 1, 2048);
  size_t i;
  diff_case(name);
  for (i = 0; i < count; i++) {
    char *colon = strchr(opts[i], ':');
    unsigned number = (unsigned)atoi(opts[i]);
    const char *value = colon + 1;
    size_t added = coap_add_option(pdu, (coap_option_num_t)number, strlen(value), u8(value));
    printf("option %u ", number);
    print_text(u8(value), strlen(value));
    printf(" added %zu\n", added);
  }
  print_string("query", coap_get_query(pdu));
  print_string("path", coap_get_uri_path(pdu));
  coap_delete_pdu(pdu);
}

#define PDU(name, code, ...)                                       \
  do {                                                             \
    static const char *const opts_[] = {__VA_ARGS__};              \
    pdu_case(name, code, opts_, sizeof(opts_) / sizeof(opts_[0])); \
  } while (0)

static void request_cases(void) {
  static char all[300];
  int i;
  const char *opts[2];

  pdu_case("req-none", 1, NULL, 0);
  PDU("req-query-two", 1, "15:a", "15:b=1");
  PDU("req-path-two", 1, "11:a", "11:b=1");
  PDU("req-query-empty", 1, "15:");
  PDU("req-path-empty", 1, "11:");
  PDU("req-path-empty-two", 1, "11:", "11:");
  PDU("req-path-empties", 1, "11:", "11:", "11:a", "11:", "11:b", "11:");
  PDU("req-query-trailing-empty", 1, "15:a", "15:");
  PDU("req-query-middle-empty", 1, "15:a", "15:", "15:b");
  PDU("req-special", 1, "11:a/b", "11:c?d", "11:e&f", "11:g h", "11:i%j", "11:k#l",
      "11::@!$'()*+,;=-._~", "15:a/b", "15:c?d", "15:e&f", "15:g h", "15:i%j", "15:k#l",
      "15::@!$'()*+,;=-._~");
  PDU("req-location", 1, "8:x", "20:y");
  PDU("req-proxy-uri", 1, "35:coap://h/a/b?c=d");
  PDU("req-proxy-uri-and-path", 1, "11:zz", "35:coap://h/a%20b/./c/../d?x");
  PDU("req-proxy-uri-no-path", 1, "35:coap://h");
  PDU("req-proxy-uri-slash", 1, "35:coap://h/");
  PDU("req-proxy-uri-double-slash", 1, "35:coap://h//");
  PDU("req-proxy-uri-http", 1, "35:http://h/x/y");
  PDU("req-proxy-uri-https", 1, "35:https://h:1/z?q");
  PDU("req-proxy-uri-coaps", 1, "35:coaps://h/x");
  PDU("req-proxy-uri-relative", 1, "35:/x/y");
  PDU("req-proxy-uri-empty", 1, "35:");
  PDU("req-proxy-uri-bad", 1, "3:h", "11:a", "15:q", "35:coap:");
  PDU("req-proxy-uri-percent", 1, "35:coap://h/%41%2f/ a<>");
  PDU("req-proxy-uri-fragment", 1, "35:coap://h/a#b");
  PDU("req-proxy-uri-dots", 1, "35:coap://h/a/b/../..");
  PDU("req-proxy-scheme", 1, "11:p", "39:coap");
  PDU("req-in-response", 69, "11:a", "15:b");
  PDU("req-many", 2, "3:host", "7:\x16\x34", "11:one", "11:two", "11:three", "12:\x32", "15:k=v",
      "15:flag", "17:\x28");

  /* Every byte value once, in a path and in a query item. */
  for (i = 1; i < 256; i++) all[i - 1] = (char)i;
  all[255] = '\0';
  {
    static char path_opt[310], query_opt[310];
    snprintf(path_opt, sizeof(path_opt), "11:%s", all);
    snprintf(query_opt, sizeof(query_opt), "15:%s", all);
    opts[0] = path_opt;
    pdu_case("req-all-bytes-path", 1, opts, 1);
    opts[0] = query_opt;
    pdu_case("req-all-bytes-query", 1, opts, 1);
  }
  diff_case("req-nul-byte");
  {
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, 1, 1, 256);
    coap_add_option(pdu, COAP_OPTION_URI_PATH, 3, u8("a\0b"));
    coap_add_option(pdu, COAP_OPTION_URI_QUERY, 1, u8("\0"));
    print_string("query", coap_get_query(pdu));
    print_string("path", coap_get_uri_path(pdu));
    diff_dump_pdu(pdu);
    coap_delete_pdu(pdu);
  }
  diff_case("req-long");
  {
    static uint8_t v[1500];
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, 1, 1, 8000);
    memset(v, ' ', sizeof(v));
    coap_add_option(pdu, COAP_OPTION_URI_PATH, sizeof(v), v);
    coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, u8("ok"));
    coap_add_option(pdu, COAP_OPTION_URI_QUERY, sizeof(v), v);
    print_string("query", coap_get_query(pdu));
    print_string("path", coap_get_uri_path(pdu));
    coap_delete_pdu(pdu);
  }
}

/* ---- coap_new_uri / coap_clone_uri, unix hosts, proxy schemes --------- */

static void object_cases(void) {
  static const char *const uris[] = {"coap://h:1/p?q", "coap://[::1]/a/b",    "bad",
                                     "/p?q",           "coap://%2Ftmp%2Fs/x", "coap://h/?",
                                     "http://h/",      "coaps://h/",          "coap://h:99999/"};
  size_t i;
  for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
    char name[64];
    coap_uri_t *uri;
    snprintf(name, sizeof(name), "new-uri-%zu", i);
    diff_case(name);
    printf("text %s\n", uris[i]);
    uri = coap_new_uri(u8(uris[i]), (unsigned)strlen(uris[i]));
    if (!uri) {
      printf("new NULL\n");
      continue;
    }
    printf("new:");
    print_uri(uri, (const uint8_t *)(uri + 1), strlen(uris[i]));
    {
      coap_uri_t *copy = coap_clone_uri(uri);
      printf("clone:");
      print_uri(copy, (const uint8_t *)(copy + 1), strlen(uris[i]));
      coap_delete_uri(copy);
    }
    coap_delete_uri(uri);
  }
  diff_case("new-uri-embedded-nul");
  {
    coap_uri_t *uri = coap_new_uri(u8("coap://h\0/p\0"), 12);
    if (uri) {
      print_uri(uri, (const uint8_t *)(uri + 1), 12);
      coap_delete_uri(uri);
    } else {
      printf("new NULL\n");
    }
  }
  diff_case("new-uri-length-0");
  printf("new %s\n", coap_new_uri(u8("coap://h"), 0) ? "object" : "NULL");
  diff_case("clone-handmade");
  {
    coap_uri_t uri, *copy;
    memset(&uri, 0, sizeof(uri));
    uri.scheme = (coap_uri_scheme_t)7; /* coaps+ws */
    uri.port = 7;
    uri.query.s = u8("");
    copy = coap_clone_uri(&uri);
    print_uri(copy, (const uint8_t *)(copy + 1), 0);
    coap_delete_uri(copy);
    uri.host.s = u8("hostname");
    uri.host.length = 8;
    uri.path.s = u8("x/y");
    uri.path.length = 3;
    uri.query.s = u8("q=1");
    uri.query.length = 3;
    uri.scheme = COAP_URI_SCHEME_HTTPS;
    copy = coap_clone_uri(&uri);
    print_uri(copy, (const uint8_t *)(copy + 1), 14);
    coap_delete_uri(copy);
  }
  diff_case("clone-null");
  printf("clone %s\n", coap_clone_uri(NULL) ? "object" : "NULL");
  coap_delete_uri(NULL);
  printf("delete NULL ok\n");

  diff_case("unix-domain-hosts");
#if HAVE_435_API
  {
    static const char *const hosts[] = {"%2F",  "%2f", "/",  "",    "%2",   "a/",
                                        "%2Fx", "%2G", "/x", "%2e", "%%2F", " /"};
    for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
      coap_str_const_t host;
      host.s = u8(hosts[i]);
      host.length = strlen(hosts[i]);
      printf("'%s' -> %d\n", hosts[i], coap_host_is_unix_domain(&host));
    }
  }
#else
  printf("not in this version\n");
#endif

  diff_case("proxy-schemes");
#if HAVE_435_API
  {
    /* 2 (coap+tcp) depends on the transports built in. */
    static const int schemes[] = {-1, 0, 1, 3, 4, 5, 6, 7, 8, 9, 1000};
    for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
      printf("%d -> %d\n", schemes[i],
             coap_verify_proxy_scheme_supported((coap_uri_scheme_t)schemes[i]));
  }
#else
  printf("not in this version\n");
#endif
}

int main(void) {
  diff_setup();
  split_cases();
  split_buffer_cases();
  optlist_cases();
  into_cases();
  request_cases();
  object_cases();
  return 0;
}
