// Fuzzes the coap_show_pdu() formatter over whatever the parser accepts:
// every line must stay within the line buffer and end where expected.
//
// Input: byte 0 selects the framing to parse with (UDP, TCP or WebSocket)
// and the framing to show; the rest is the message.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "wire/pdu.h"
#include "wire/pdu_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool quiet = [] {
    coap_set_log_level(COAP_LOG_EMERG);
    return true;
  }();
  (void)quiet;
  if (size < 1) return 0;
  static const coap_proto_t kProtos[] = {COAP_PROTO_UDP, COAP_PROTO_TCP, COAP_PROTO_WS};
  static const coap::wire::ShowFraming kFramings[] = {coap::wire::ShowFraming::kDatagram,
                                                      coap::wire::ShowFraming::kReliable,
                                                      coap::wire::ShowFraming::kWebSocket};
  uint8_t control = data[0];
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  if (!pdu) return 0;
  if (coap_pdu_parse(kProtos[control % 3], data + 1, size - 1, pdu)) {
    static coap::wire::PduText text;
    coap::wire::format_pdu(*pdu, kFramings[(control / 3) % 3], &text);
    if (text.count < 1 || text.count > coap::wire::PduText::kMaxLines) __builtin_trap();
    for (size_t i = 0; i < text.count; ++i) {
      if (std::strlen(text.lines[i]) >= coap::wire::PduText::kLineSize) __builtin_trap();
    }
  }
  coap_delete_pdu(pdu);
  return 0;
}
