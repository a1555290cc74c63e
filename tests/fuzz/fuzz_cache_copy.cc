// Fuzzes what the cache and separate responses do with a received
// message: the cache key digest (core/cache.h), the exact copy kept by a
// cache entry and the coap_pdu_duplicate() copy (core/pdu_copy.h).
// Copies must reproduce the original's bytes; nothing may read outside
// the message.
//
// Input: byte 0 picks the options the key ignores and the copy drops
// (bit i: option number i + 1 .. 8 for the filter, bit 7: with a filter at
// all); the rest is a UDP message.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "core/cache.h"
#include "core/pdu_copy.h"
#include "core/session.h"
#include "wire/pdu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static coap_session_t *session = [] {
    coap_set_log_level(COAP_LOG_EMERG);
    return coap_session_t::create(nullptr, COAP_SESSION_TYPE_CLIENT, COAP_PROTO_UDP);
  }();
  if (size < 1 || !session) return 0;
  uint8_t control = data[0];
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  if (!pdu) return 0;
  if (coap_pdu_parse(COAP_PROTO_UDP, data + 1, size - 1, pdu)) {
    uint16_t ignore[7];
    size_t ignore_count = 0;
    coap_opt_filter_t drop;
    coap_option_filter_clear(&drop);
    for (uint16_t i = 0; i < 7; ++i) {
      if (control & (1u << i)) {
        ignore[ignore_count++] = static_cast<uint16_t>(i + 1);
        coap_option_filter_set(&drop, static_cast<uint16_t>(i + 1));
      }
    }
    coap_cache_key_t key;
    coap::derive_cache_key(session, pdu, control & 1, ignore, ignore_count, &key);

    coap_pdu_t *clone = coap::clone_pdu(pdu);
    if (clone) {
      if (clone->used_size() != pdu->used_size() || clone->mid != pdu->mid ||
          std::memcmp(clone->body(), pdu->body(), pdu->used_size()) != 0) {
        __builtin_trap();
      }
      coap_pdu_t::destroy(clone);
    }
    bool filtered = control & 0x80;
    coap_pdu_t *dup = coap::duplicate_pdu(pdu, session, pdu->token(), pdu->token_length(),
                                          filtered ? &drop : nullptr);
    if (dup) {
      if (dup->has_payload()) __builtin_trap();
      if (!filtered && (dup->options_size() != pdu->options_size() ||
                        std::memcmp(dup->options(), pdu->options(), pdu->options_size()) != 0)) {
        __builtin_trap();
      }
      coap_pdu_t::destroy(dup);
    } else if (!filtered &&
               pdu->token_wire_size() + pdu->options_size() <= session->max_pdu_size()) {
      __builtin_trap();  // a verbatim copy within the session's size always fits
    }
  }
  coap_delete_pdu(pdu);
  return 0;
}
