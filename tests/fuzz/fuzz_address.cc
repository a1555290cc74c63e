// Fuzzes the address helpers: Unix-domain host decoding, printing of
// arbitrary coap_address_t bytes (any family, any size, paths without a
// NUL), copy/compare, and resolution of numeric or Unix-domain hosts only
// (AI_NUMERICHOST is always set, so no name server is ever asked).
//
// Input: byte 0 selects flags, then sizeof(coap_address_t) bytes of raw
// address (zero-padded when short), then the host text.
#include <netdb.h>

#include <cstdint>
#include <cstring>

#include "coap3/coap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool quiet = [] {
    coap_set_log_level(COAP_LOG_EMERG);
    return true;
  }();
  (void)quiet;
  if (size < 1) return 0;
  uint8_t control = data[0];
  ++data;
  --size;

  coap_address_t raw;
  std::memset(&raw, 0, sizeof(raw));
  size_t raw_len = size < sizeof(raw) ? size : sizeof(raw);
  std::memcpy(&raw, data, raw_len);
  const uint8_t *host = data + raw_len;
  size_t host_len = size - raw_len;

  unsigned char text[64];
  char ip[64];
  size_t out = 1 + control % sizeof(text);
  coap_print_addr(&raw, text, out);
  coap_print_ip_addr(&raw, ip, out);
  coap_address_t copy;
  coap_address_copy(&copy, &raw);
  coap_address_equals(&copy, &raw);
  coap_address_get_port(&raw);
  coap_address_isany(&raw);
  coap_is_mcast(&raw);
  coap_is_af_unix(&raw);

  coap_address_t un;
  if (coap_address_set_unix_domain(&un, host, host_len)) {
    if (std::strlen(un.addr.cun.sun_path) >= COAP_UNIX_PATH_MAX) __builtin_trap();
    coap_print_addr(&un, text, sizeof(text));
  }

  coap_str_const_t name{host_len, host};
  int flags = AI_NUMERICHOST | ((control & 0x80) ? AI_PASSIVE : 0);
  coap_addr_info_t *list = coap_resolve_address_info(
      &name, control, 0, 0, 0, flags, control & 0x7f,
      (control & 0x40) ? COAP_RESOLVE_TYPE_REMOTE : COAP_RESOLVE_TYPE_LOCAL);
  for (coap_addr_info_t *i = list; i; i = i->next) coap_print_addr(&i->addr, text, sizeof(text));
  coap_free_address_info(list);
  return 0;
}
