// Fuzzes message parsing under every framing (RFC 7252 UDP header, RFC
// 8323 TCP/TLS and WebSocket headers) and everything a program does with a
// parsed message: option iteration, filters, option value access, the
// payload, and re-encoding. Byte 0 picks the framing; the rest is the
// message.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "wire/pdu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const coap_proto_t kProtos[] = {COAP_PROTO_UDP,  COAP_PROTO_TCP, COAP_PROTO_WS,
                                         COAP_PROTO_DTLS, COAP_PROTO_TLS, COAP_PROTO_WSS};
  coap_proto_t proto = kProtos[data[0] % 6];
  size_t max_size = (data[0] & 0x80) ? 64 : 0;
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, max_size);
  if (!pdu) return 0;
  if (coap_pdu_parse(proto, data + 1, size - 1, pdu)) {
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    size_t total = 0;
    if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
      while ((opt = coap_option_next(&it)) != nullptr) {
        uint32_t len = coap_opt_length(opt);
        const uint8_t *value = coap_opt_value(opt);
        for (uint32_t i = 0; i < len; ++i) total += value[i];
        total += coap_opt_size(opt);
      }
    }
    coap_opt_filter_t f;
    coap_option_filter_clear(&f);
    coap_option_filter_set(&f, COAP_OPTION_URI_PATH);
    coap_option_filter_set(&f, COAP_OPTION_BLOCK2);
    if (coap_option_iterator_init(pdu, &it, &f)) {
      while (coap_option_next(&it)) ++total;
    }
    coap_check_option(pdu, COAP_OPTION_OBSERVE, &it);
    size_t len;
    const uint8_t *payload;
    if (coap_get_data(pdu, &len, &payload)) {
      for (size_t i = 0; i < len; ++i) total += payload[i];
    }
    coap_bin_const_t token = coap_pdu_get_token(pdu);
    for (size_t i = 0; i < token.length; ++i) total += token.s[i];
    // Re-encoding what was parsed must reproduce the body bytes.
    if (pdu->write_header(proto)) {
      const uint8_t *wire = pdu->wire_begin();
      if (pdu->wire_size() != pdu->header_size() + pdu->used_size()) __builtin_trap();
      (void)wire;
    }
    coap_pdu_t *copy = coap_pdu_duplicate(pdu, nullptr, token.length, token.s, nullptr);
    coap_delete_pdu(copy);
    (void)total;
  }
  coap_delete_pdu(pdu);
  return 0;
}
