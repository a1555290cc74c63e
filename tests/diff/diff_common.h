/* Shared helpers of the differential drivers. A driver is plain C that
 * compiles unchanged against libcoap 4.3.5, libcoap 4.3.1 and our library;
 * it prints "== case-name" before each case and then only facts that the
 * API exposes (return values, bytes, coap_show_pdu() text). Library log
 * messages are not compared: their wording is each library's own. */
#ifndef DIFF_COMMON_H
#define DIFF_COMMON_H

#include <coap3/coap.h>
#include <stdio.h>
#include <string.h>

#if LIBCOAP_VERSION < 4003002ULL
/* 4.3.1 names its levels after syslog. */
#define COAP_LOG_EMERG LOG_EMERG
#define COAP_LOG_WARN LOG_WARNING
#define COAP_LOG_INFO LOG_INFO
#define COAP_LOG_DEBUG LOG_DEBUG
#endif

static void diff_discard_log(coap_log_t level, const char *message) {
  (void)level;
  (void)message;
}

/* Library logs go nowhere; coap_show_pdu() prints to stdout. */
static void diff_setup(void) {
  coap_startup();
  coap_set_log_handler(diff_discard_log);
  coap_set_log_level(COAP_LOG_DEBUG);
  coap_set_show_pdu_output(1);
  setvbuf(stdout, NULL, _IOLBF, 0);
}

static void diff_case(const char *name) {
  fflush(stdout);
  printf("== %s\n", name);
}

static void diff_hex(const char *label, const uint8_t *p, size_t n) {
  size_t i;
  printf("%s[%zu]:", label, n);
  for (i = 0; i < n; i++) printf(" %02x", p[i]);
  printf("\n");
}

/* Everything the read API tells about a PDU, then coap_show_pdu(). */
static void diff_dump_pdu(const coap_pdu_t *pdu) {
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
  printf("type %d code %d.%02d mid %d\n", (int)coap_pdu_get_type(pdu),
         (int)coap_pdu_get_code(pdu) >> 5, (int)coap_pdu_get_code(pdu) & 31,
         (int)coap_pdu_get_mid(pdu));
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
    printf("no data (len %zu)\n", len);
  fflush(stdout);
  coap_show_pdu(COAP_LOG_WARN, pdu);
  fflush(stdout);
}

#endif /* DIFF_COMMON_H */
