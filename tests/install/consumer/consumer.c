/* A plain C program using the installed library the way libcoap users do.
 * Builds a CoAP request and prints its encoded options. */
#include <coap3/coap.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  coap_startup();
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x1234, 256);
  if (!pdu) return 1;
  if (!coap_add_option(pdu, COAP_OPTION_URI_PATH, 5, (const uint8_t *)"hello")) return 2;
  coap_opt_iterator_t it;
  coap_opt_t *opt = coap_check_option(pdu, COAP_OPTION_URI_PATH, &it);
  if (!opt) return 3;
  printf("%s %s: Uri-Path=%.*s\n", coap_package_name(), coap_package_version(),
         (int)coap_opt_length(opt), (const char *)coap_opt_value(opt));
  coap_delete_pdu(pdu);
  coap_cleanup();
  return 0;
}
