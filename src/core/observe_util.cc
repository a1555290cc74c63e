#include "core/observe_util.h"

#include "core/observe_registry.h"
#include "wire/pdu.h"

namespace coap {
namespace observe_util {

coap_pdu_t *copy_pdu(const coap_pdu_t *pdu, coap_pdu_type_t type, coap_mid_t mid) {
  coap_pdu_t *copy = coap_pdu_t::create(type, pdu->code, mid, pdu->used_size());
  if (!copy) return nullptr;
  bool ok = copy->add_token(pdu->token(), pdu->token_length());
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  if (ok && coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while (ok && (opt = coap_option_next(&it)) != nullptr) {
      ok = copy->add_option(it.number, coap_opt_value(opt), coap_opt_length(opt)) > 0;
    }
  }
  if (ok && pdu->has_payload()) {
    uint8_t *p = copy->add_payload(pdu->payload_length());
    if (p) {
      std::memcpy(p, pdu->payload(), pdu->payload_length());
    } else {
      ok = false;
    }
  }
  if (!ok) {
    coap_pdu_t::destroy(copy);
    return nullptr;
  }
  copy->set_max_size(pdu->max_size());
  return copy;
}

uint64_t cache_key(const coap_pdu_t *pdu) {
  uint64_t h = 1469598103934665603ull;
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while ((opt = coap_option_next(&it)) != nullptr) {
      uint16_t n = it.number;
      bool no_cache_key = (n & 0x1e) == 0x1c;
      if (no_cache_key || n == COAP_OPTION_ETAG || n == COAP_OPTION_OSCORE ||
          n == COAP_OPTION_OBSERVE) {
        continue;
      }
      h = observe_detail::hash_bytes(h, opt, coap_opt_size(opt));
    }
  }
  if (pdu->code == COAP_REQUEST_CODE_FETCH && pdu->has_payload()) {
    h = observe_detail::hash_bytes(h, pdu->payload(), pdu->payload_length());
  }
  return h;
}

}  // namespace observe_util
}  // namespace coap
