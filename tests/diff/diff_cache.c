/* Differential cases for the response cache (coap_cache.h) and
 * coap_pdu_duplicate() (coap_pdu.h).
 *
 * Cache keys are printed byte for byte: applications see them and they
 * must equal libcoap's (this driver links the builds without (D)TLS, whose
 * keys are a fold of libcoap's 4-byte hash; the OpenSSL builds use
 * SHA-256). Session-based keys digest the session's address, so only their
 * relations are printed.
 *
 * libcoap 4.3.5 asserts that its (global) lock is held in
 * coap_delete_cache_entry() and a few other calls that are meant for
 * request handlers, so every case runs inside a callback the library makes
 * with the lock held: the release-userdata handler of a deleted resource.
 * Calls that crash libcoap (NULL session or entry) are left to the unit
 * tests. */
#include "diff_common.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

static coap_context_t *ctx;
static int freed; /* app-data free callbacks so far */

static const uint8_t *u8(const char *s) {
  return (const uint8_t *)s;
}

static void print_key(const char *label, coap_cache_key_t *key) {
  /* The key is 32 bytes of digest in both libraries. */
  if (!key)
    printf("%s: NULL\n", label);
  else
    diff_hex(label, (const uint8_t *)key, 32);
  coap_delete_cache_key(key);
}

static void key_of(const char *label, coap_session_t *s, const coap_pdu_t *pdu) {
  print_key(label, coap_cache_derive_key(s, pdu, COAP_CACHE_NOT_SESSION_BASED));
}

static coap_session_t *client_session(uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &a.addr.sin.sin_addr);
  a.size = sizeof(a.addr.sin);
  return coap_new_client_session(ctx, NULL, &a, COAP_PROTO_UDP);
}

static coap_pdu_t *request(coap_pdu_code_t code, const char *path) {
  coap_pdu_t *p = coap_pdu_init(COAP_MESSAGE_CON, code, 0x1234, 1024);
  coap_add_token(p, 2, u8("\x01\x02"));
  if (path) coap_add_option(p, COAP_OPTION_URI_PATH, strlen(path), u8(path));
  return p;
}

static coap_pdu_t *parse_udp(const uint8_t *bytes, size_t len) {
  coap_pdu_t *p = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 1024);
  if (!coap_pdu_parse(COAP_PROTO_UDP, bytes, len, p)) printf("parse failed\n");
  return p;
}

/* Like diff_dump_pdu() but without the message id (a copy takes the
 * session's next id, which starts at a random value). */
static void dump_no_mid(const coap_pdu_t *pdu) {
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  coap_bin_const_t token;
  const uint8_t *data;
  size_t len;
  if (!pdu) {
    printf("pdu: NULL\n");
    return;
  }
  token = coap_pdu_get_token(pdu);
  printf("type %d code %d.%02d\n", (int)coap_pdu_get_type(pdu), (int)coap_pdu_get_code(pdu) >> 5,
         (int)coap_pdu_get_code(pdu) & 31);
  diff_hex("token", token.s, token.length);
  if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while ((opt = coap_option_next(&it)) != NULL) {
      char label[32];
      snprintf(label, sizeof(label), "opt %u", (unsigned)it.number);
      diff_hex(label, coap_opt_value(opt), coap_opt_length(opt));
    }
  } else {
    printf("no option iterator\n");
  }
  if (coap_get_data(pdu, &len, &data))
    diff_hex("data", data, len);
  else
    printf("no data\n");
}

static void key_cases(coap_session_t *s, coap_session_t *s2) {
  coap_pdu_t *p;
  static const uint8_t big[300];

  diff_case("key-no-options");
  p = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1024);
  key_of("key", s, p);
  coap_add_token(p, 2, u8("\x01\x02"));
  key_of("key with token", s, p);
  coap_delete_pdu(p);

  diff_case("key-payload-only");
  p = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 1, 1024);
  coap_add_data(p, 3, u8("xyz"));
  key_of("put", s, p);
  coap_pdu_set_code(p, COAP_REQUEST_CODE_FETCH);
  key_of("fetch", s, p);
  coap_delete_pdu(p);

  diff_case("key-uri-path");
  p = request(COAP_REQUEST_CODE_GET, "a");
  key_of("a", s, p);
  coap_add_option(p, COAP_OPTION_URI_PATH, 3, u8("bcd"));
  key_of("a/bcd", s, p);
  coap_delete_pdu(p);

  diff_case("key-token-and-type-ignored");
  p = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_GET, 99, 1024);
  coap_add_token(p, 4, u8("\x09\x08\x07\x06"));
  coap_add_option(p, COAP_OPTION_URI_PATH, 1, u8("a"));
  key_of("a", s, p);
  coap_delete_pdu(p);

  diff_case("key-many-options");
  /* More pieces than the seven lanes of the build without (D)TLS. */
  p = request(COAP_REQUEST_CODE_GET, "a");
  coap_add_option(p, COAP_OPTION_URI_PATH, 3, u8("bcd"));
  {
    int i;
    for (i = 0; i < 8; i++) coap_add_option(p, COAP_OPTION_URI_QUERY, 3, u8("q=1"));
  }
  key_of("many", s, p);
  coap_add_data(p, 3, u8("xyz"));
  key_of("many+data (GET: payload ignored)", s, p);
  coap_pdu_set_code(p, COAP_REQUEST_CODE_FETCH);
  key_of("many+data (FETCH: payload counted)", s, p);
  coap_delete_pdu(p);

  diff_case("key-empty-option-value");
  p = request(COAP_REQUEST_CODE_PUT, "a");
  coap_add_option(p, COAP_OPTION_IF_NONE_MATCH, 0, NULL);
  coap_add_option(p, COAP_OPTION_URI_QUERY, 1, u8("x"));
  key_of("if-none-match", s, p);
  coap_delete_pdu(p);

  diff_case("key-observe-not-counted");
  p = request(COAP_REQUEST_CODE_GET, "a");
  coap_add_option(p, COAP_OPTION_OBSERVE, 0, NULL);
  key_of("observe 0", s, p);
  coap_delete_pdu(p);
  p = request(COAP_REQUEST_CODE_GET, "a");
  coap_add_option(p, COAP_OPTION_OBSERVE, 1, u8("\x01"));
  key_of("observe 1", s, p);
  coap_delete_pdu(p);

  diff_case("key-nocachekey-options");
  /* Size1 (60) and Size2 (28) are NoCacheKey; Block1/Block2 and Max-Age
   * count unless ignored. */
  {
    static const uint16_t numbers[] = {COAP_OPTION_BLOCK2,
                                       COAP_OPTION_BLOCK1,
                                       COAP_OPTION_SIZE2,
                                       COAP_OPTION_SIZE1,
                                       COAP_OPTION_MAXAGE,
                                       COAP_OPTION_ACCEPT,
                                       COAP_OPTION_ETAG,
                                       292,
                                       2049,
                                       65000};
    size_t i;
    for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
      char label[32];
      p = request(COAP_REQUEST_CODE_GET, "a");
      coap_add_option(p, numbers[i], 1, u8("\x02"));
      snprintf(label, sizeof(label), "option %u", (unsigned)numbers[i]);
      key_of(label, s, p);
      coap_delete_pdu(p);
    }
  }

  diff_case("key-long-values");
  p = request(COAP_REQUEST_CODE_GET, "a");
  coap_add_option(p, COAP_OPTION_URI_QUERY, sizeof(big), big);
  key_of("300 zero bytes", s, p);
  coap_delete_pdu(p);

  diff_case("key-parsed-request");
  {
    /* CON GET /temp?u=c with Accept 50. */
    static const uint8_t raw[] = {0x42, 0x01, 0x00, 0x07, 0xaa, 0xbb, 0xb4, 't', 'e',
                                  'm',  'p',  0x43, 'u',  '=',  'c',  0x21, 50};
    p = parse_udp(raw, sizeof(raw));
    key_of("temp", s, p);
    coap_delete_pdu(p);
  }

  diff_case("key-ignore-options");
  p = request(COAP_REQUEST_CODE_GET, "a");
  coap_add_option(p, COAP_OPTION_URI_QUERY, 1, u8("x"));
  {
    uint16_t ign_path[] = {COAP_OPTION_URI_PATH};
    uint16_t ign_both[] = {COAP_OPTION_URI_QUERY, COAP_OPTION_URI_PATH};
    printf("ignore path -> %d\n", coap_cache_ignore_options(ctx, ign_path, 1));
    key_of("context ignores path", s, p);
    print_key("w_ignore nothing",
              coap_cache_derive_key_w_ignore(s, p, COAP_CACHE_NOT_SESSION_BASED, NULL, 0));
    print_key("w_ignore both (all ignored)",
              coap_cache_derive_key_w_ignore(s, p, COAP_CACHE_NOT_SESSION_BASED, ign_both, 2));
    print_key("w_ignore without session",
              coap_cache_derive_key_w_ignore(NULL, p, COAP_CACHE_NOT_SESSION_BASED, ign_path, 1));
    printf("ignore both -> %d\n", coap_cache_ignore_options(ctx, ign_both, 2));
    key_of("context ignores both", s, p);
    printf("ignore none -> %d\n", coap_cache_ignore_options(ctx, NULL, 0));
    key_of("context ignores nothing", s, p);
  }
  coap_delete_pdu(p);

  diff_case("key-session-based");
  p = request(COAP_REQUEST_CODE_GET, "a");
  {
    coap_cache_key_t *plain = coap_cache_derive_key(s, p, COAP_CACHE_NOT_SESSION_BASED);
    coap_cache_key_t *k1 = coap_cache_derive_key(s, p, COAP_CACHE_IS_SESSION_BASED);
    coap_cache_key_t *k1b = coap_cache_derive_key(s, p, COAP_CACHE_IS_SESSION_BASED);
    coap_cache_key_t *k2 = coap_cache_derive_key(s2, p, COAP_CACHE_IS_SESSION_BASED);
    coap_cache_key_t *p2 = coap_cache_derive_key(s2, p, COAP_CACHE_NOT_SESSION_BASED);
    printf("same session same key: %d\n", memcmp(k1, k1b, 32) == 0);
    printf("other session other key: %d\n", memcmp(k1, k2, 32) != 0);
    printf("differs from plain key: %d\n", memcmp(k1, plain, 32) != 0);
    printf("plain keys of both sessions equal: %d\n", memcmp(plain, p2, 32) == 0);
    coap_delete_cache_key(plain);
    coap_delete_cache_key(k1);
    coap_delete_cache_key(k1b);
    coap_delete_cache_key(k2);
    coap_delete_cache_key(p2);
  }
  coap_delete_pdu(p);
}

static void free_data(void *data) {
  freed++;
  printf("free callback: %s\n", (const char *)data);
}

static const char *which(coap_cache_entry_t *got, coap_cache_entry_t *a, const char *an,
                         coap_cache_entry_t *b, const char *bn) {
  if (!got) return "NULL";
  if (got == a) return an;
  if (got == b) return bn;
  return "another entry";
}

static void entry_cases(coap_session_t *s, coap_session_t *s2) {
  coap_pdu_t *p = request(COAP_REQUEST_CODE_GET, "a");
  coap_cache_key_t *key = coap_cache_derive_key(s, p, COAP_CACHE_NOT_SESSION_BASED);
  coap_cache_entry_t *e1, *e2;

  diff_case("entry-record-pdu");
  coap_add_option(p, COAP_OPTION_URI_QUERY, 3, u8("k=v"));
  coap_add_data(p, 4, u8("body"));
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  printf("entry: %s\n", e1 ? "made" : "NULL");
  printf("recorded PDU is the original: %d\n", coap_cache_get_pdu(e1) == p);
  diff_dump_pdu(coap_cache_get_pdu(e1));
  coap_pdu_set_mid(p, 77);
  coap_pdu_set_type(p, COAP_MESSAGE_NON);
  printf("after changing the original:\n");
  diff_dump_pdu(coap_cache_get_pdu(e1));
  coap_delete_cache_entry(ctx, e1);
  coap_delete_pdu(p);
  p = request(COAP_REQUEST_CODE_GET, "a");

  diff_case("entry-no-options");
  {
    coap_pdu_t *bare = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1024);
    e1 = coap_new_cache_entry(s, bare, COAP_CACHE_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
    printf("entry: %s\n", e1 ? "made" : "NULL");
    coap_delete_pdu(bare);
  }

  diff_case("entry-same-key");
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  e2 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  printf("e2 pdu: %s\n", coap_cache_get_pdu(e2) ? "set" : "NULL");
  printf("by key: %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
  printf("by pdu: %s\n",
         which(coap_cache_get_by_pdu(s, p, COAP_CACHE_NOT_SESSION_BASED), e1, "e1", e2, "e2"));
  printf("by pdu from the other session: %s\n",
         which(coap_cache_get_by_pdu(s2, p, COAP_CACHE_NOT_SESSION_BASED), e1, "e1", e2, "e2"));
  printf("by pdu session-based: %s\n",
         which(coap_cache_get_by_pdu(s, p, COAP_CACHE_IS_SESSION_BASED), e1, "e1", e2, "e2"));
  coap_delete_cache_entry(ctx, e2);
  printf("after deleting e2, by key: %s\n",
         which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
  e2 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  coap_delete_cache_entry(ctx, e1);
  printf("after new e2 and deleting e1, by key: %s\n",
         which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
  coap_delete_cache_entry(ctx, e2);
  printf("all deleted, by key: %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));

  diff_case("entry-app-data");
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  printf("initial: %s\n", coap_cache_get_app_data(e1) ? "set" : "NULL");
  coap_cache_set_app_data(e1, "one", free_data);
  printf("get: %s\n", (const char *)coap_cache_get_app_data(e1));
  coap_cache_set_app_data(e1, "two", free_data);
  printf("replaced, freed so far %d, get: %s\n", freed, (const char *)coap_cache_get_app_data(e1));
  coap_delete_cache_entry(ctx, e1);
  printf("deleted, freed so far %d\n", freed);
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  coap_cache_set_app_data(e1, "no callback", NULL);
  coap_delete_cache_entry(ctx, e1);
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  coap_cache_set_app_data(e1, NULL, free_data);
  coap_delete_cache_entry(ctx, e1);
  printf("without callback / without data: freed so far %d\n", freed);

  diff_case("entry-session-based");
  e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_IS_SESSION_BASED, 0);
  printf("by key (plain): %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", NULL, ""));
  printf("by pdu session-based: %s\n",
         which(coap_cache_get_by_pdu(s, p, COAP_CACHE_IS_SESSION_BASED), e1, "e1", NULL, ""));
  printf("by pdu from the other session: %s\n",
         which(coap_cache_get_by_pdu(s2, p, COAP_CACHE_IS_SESSION_BASED), e1, "e1", NULL, ""));
  coap_delete_cache_entry(ctx, e1);

  diff_case("entry-dies-with-session");
  {
    /* Every entry made on a session goes when the session is freed,
     * session-based or not. */
    coap_session_t *s3 = client_session(20391);
    e1 = coap_new_cache_entry(s3, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_IS_SESSION_BASED, 0);
    e2 = coap_new_cache_entry(s3, p, COAP_CACHE_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
    coap_cache_set_app_data(e1, "session-based", free_data);
    coap_cache_set_app_data(e2, "plain", free_data);
    printf("before: by key %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
    coap_session_release(s3);
    printf("after release: by key %s\n",
           which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
  }

  diff_case("entry-idle-timeout");
  {
    /* Idle time 1 s: a lookup restarts it; entries are removed while the
     * I/O is processed. */
    e2 = coap_new_cache_entry(s2, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
    e1 = coap_new_cache_entry(s, p, COAP_CACHE_NOT_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 1);
    coap_cache_set_app_data(e1, "idle", free_data);
    usleep(600 * 1000);
    printf("0.6 s: by key %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
    usleep(600 * 1000);
    coap_io_process(ctx, COAP_IO_NO_WAIT);
    printf("1.2 s: by key %s\n", which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"));
    usleep(1400 * 1000);
    coap_io_process(ctx, COAP_IO_NO_WAIT);
    printf("2.6 s: by key %s, freed so far %d\n",
           which(coap_cache_get_by_key(ctx, key), e1, "e1", e2, "e2"), freed);
    coap_delete_cache_entry(ctx, e2);
  }

  diff_case("entry-left-for-context");
  /* s2 is not released: coap_free_context() frees it and its entry. */
  e1 = coap_new_cache_entry(s2, p, COAP_CACHE_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0);
  coap_cache_set_app_data(e1, "left for coap_free_context", free_data);

  coap_delete_cache_key(key);
  coap_delete_pdu(p);
}

static void duplicate_cases(coap_session_t *s) {
  coap_pdu_t *p, *d;
  coap_opt_filter_t f;
  static const uint8_t zeros[2000];
  uint16_t mid;

  p = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_PUT, 0x1234, 100);
  coap_add_token(p, 3, u8("\x01\x02\x03"));
  coap_add_option(p, COAP_OPTION_URI_PATH, 1, u8("a"));
  coap_add_option(p, COAP_OPTION_URI_PATH, 2, u8("bc"));
  coap_add_option(p, COAP_OPTION_CONTENT_FORMAT, 1, u8("\x2a"));
  coap_add_option(p, COAP_OPTION_URI_QUERY, 3, u8("x=1"));
  coap_add_option(p, COAP_OPTION_SIZE1, 1, u8("\x05"));
  coap_add_data(p, 4, u8("data"));

  diff_case("duplicate-all-options");
  mid = coap_new_message_id(s);
  d = coap_pdu_duplicate(p, s, 2, u8("\xaa\xbb"), NULL);
  printf("message id is the session's next: %d\n", coap_pdu_get_mid(d) == (uint16_t)(mid + 1));
  dump_no_mid(d);
  /* The copy may grow to the session's PDU size (larger than p's 100). */
  printf("add 1000 bytes: %d\n", coap_add_data(d, 1000, zeros));
  coap_delete_pdu(d);

  diff_case("duplicate-drop-options");
  coap_option_filter_clear(&f);
  coap_option_filter_set(&f, COAP_OPTION_URI_PATH);
  coap_option_filter_set(&f, COAP_OPTION_SIZE1);
  d = coap_pdu_duplicate(p, s, 0, NULL, &f);
  dump_no_mid(d);
  printf("add Uri-Path afterwards: %zu\n", coap_add_option(d, COAP_OPTION_URI_PATH, 1, u8("z")));
  dump_no_mid(d);
  coap_delete_pdu(d);

  diff_case("duplicate-empty-filter-long-token");
  coap_option_filter_clear(&f);
  d = coap_pdu_duplicate(p, s, 10, u8("0123456789"), &f);
  dump_no_mid(d);
  coap_delete_pdu(d);
  d = coap_pdu_duplicate(p, s, 20, u8("0123456789abcdefghij"), NULL);
  dump_no_mid(d);
  coap_delete_pdu(d);
  coap_delete_pdu(p);

  diff_case("duplicate-payload-only");
  p = coap_pdu_init(COAP_MESSAGE_CON, COAP_RESPONSE_CODE_CONTENT, 7, 3000);
  coap_add_data(p, 3, u8("abc"));
  d = coap_pdu_duplicate(p, s, 0, NULL, NULL);
  dump_no_mid(d);
  printf("add 2000 bytes (old limit 3000): %d\n", coap_add_data(d, 2000, zeros));
  coap_delete_pdu(d);
  coap_delete_pdu(p);

  diff_case("duplicate-unlimited-original");
  p = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 7, 0);
  d = coap_pdu_duplicate(p, s, 1, u8("\x09"), NULL);
  dump_no_mid(d);
  printf("add 2000 bytes (session limit): %d\n", coap_add_data(d, 2000, zeros));
  coap_delete_pdu(d);
  coap_delete_pdu(p);

  diff_case("duplicate-then-insert-option");
  p = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 7, 0);
  coap_add_token(p, 1, u8("\x01"));
  coap_add_option(p, COAP_OPTION_URI_PATH, 1, u8("q"));
  d = coap_pdu_duplicate(p, s, 0, NULL, NULL);
  printf("add Uri-Host (before Uri-Path): %zu\n",
         coap_add_option(d, COAP_OPTION_URI_HOST, 1, u8("h")));
  dump_no_mid(d);
  coap_delete_pdu(d);
  coap_delete_pdu(p);

  diff_case("duplicate-proxy-without-hop-limit");
  {
    /* A received proxy request without Hop-Limit: copied verbatim without a
     * filter; with one, options are added the coap_add_option() way, which
     * brings in the default Hop-Limit, even when the filter drops it. */
    static const uint8_t raw[] = {0x40, 0x01, 0x00, 0x01, 0xd5, 0x16, 'c', 'o', 'a', 'p', ':'};
    p = parse_udp(raw, sizeof(raw));
    dump_no_mid(p);
    d = coap_pdu_duplicate(p, s, 0, NULL, NULL);
    dump_no_mid(d);
    coap_delete_pdu(d);
    coap_option_filter_clear(&f);
    d = coap_pdu_duplicate(p, s, 0, NULL, &f);
    dump_no_mid(d);
    coap_delete_pdu(d);
    coap_option_filter_set(&f, COAP_OPTION_HOP_LIMIT);
    d = coap_pdu_duplicate(p, s, 0, NULL, &f);
    dump_no_mid(d);
    coap_delete_pdu(d);
    coap_delete_pdu(p);
  }

  diff_case("duplicate-repeated-single-option");
  {
    /* Two Content-Format options (not repeatable) as received: a verbatim
     * copy keeps both, a filtered copy fails. */
    static const uint8_t raw[] = {0x40, 0x02, 0x00, 0x01, 0xc1, 0x00, 0x01, 0x2a, 0xff, 'x'};
    p = parse_udp(raw, sizeof(raw));
    d = coap_pdu_duplicate(p, s, 0, NULL, NULL);
    dump_no_mid(d);
    coap_delete_pdu(d);
    coap_option_filter_clear(&f);
    d = coap_pdu_duplicate(p, s, 0, NULL, &f);
    dump_no_mid(d);
    coap_delete_pdu(d);
    coap_delete_pdu(p);
  }
}

static void run_cases(void *data) {
  coap_session_t *s = client_session(20390);
  coap_session_t *s2 = client_session(20392);
  (void)data;
  key_cases(s, s2);
  entry_cases(s, s2);
  duplicate_cases(s);
  coap_session_release(s); /* s2 stays for coap_free_context() */
}

int main(void) {
  coap_resource_t *r;
  diff_setup();
  ctx = coap_new_context(NULL);
  /* Deleting a resource with user data calls the release handler with the
   * context locked: the cases run there. */
  r = coap_resource_init(coap_make_str_const("run"), 0);
  coap_resource_set_userdata(r, r);
  coap_add_resource(ctx, r);
  coap_resource_release_userdata_handler(ctx, run_cases);
  coap_delete_resource(ctx, r);

  diff_case("context-free");
  coap_free_context(ctx);
  printf("freed after coap_free_context: %d\n", freed);
  coap_cleanup();
  return 0;
}
