#include "core/pdu_copy.h"

#include <cstring>

#include "core/session.h"
#include "runtime/log.h"
#include "wire/pdu.h"

namespace coap {

namespace {

// Copies every option of `from` onto `to` byte for byte (to has no options
// yet). insert_option() places each one after the last without any of the
// checks coap_add_option() applies, so odd but parseable sets survive.
bool copy_options_verbatim(const coap_pdu_t *from, coap_pdu_t *to) {
  coap_opt_iterator_t it;
  if (!coap_option_iterator_init(from, &it, COAP_OPT_ALL)) return true;  // none
  while (coap_opt_t *opt = coap_option_next(&it)) {
    size_t n = coap_opt_length(opt);
    if (!to->insert_option(it.number, coap_opt_value(opt), n)) return false;
  }
  return true;
}

bool copy_options_filtered(const coap_pdu_t *from, coap_pdu_t *to, const coap_opt_filter_t *drop) {
  coap_opt_filter_t skip = *drop;
  coap_opt_iterator_t it;
  if (!coap_option_iterator_init(from, &it, COAP_OPT_ALL)) return true;
  while (coap_opt_t *opt = coap_option_next(&it)) {
    if (coap_option_filter_get(&skip, it.number)) continue;
    if (!to->add_option(it.number, coap_opt_value(opt), coap_opt_length(opt))) return false;
  }
  return true;
}

}  // namespace

coap_pdu_t *duplicate_pdu(const coap_pdu_t *old, coap_session_t *s, const uint8_t *token,
                          size_t token_length, const coap_opt_filter_t *drop) {
  size_t limit = s->max_pdu_size();
  if (old->max_size() > limit) limit = old->max_size();
  coap_mid_t mid = s->reliable() ? 0 : s->next_mid();
  coap_pdu_t *pdu = coap_pdu_t::create(old->message_type(), old->code, mid, limit);
  if (!pdu) return nullptr;
  bool ok = pdu->add_token(token, token_length) &&
            (drop ? copy_options_filtered(old, pdu, drop) : copy_options_verbatim(old, pdu));
  if (!ok) {
    LOGD("coap_pdu_duplicate: the options do not fit the copy\n");
    coap_pdu_t::destroy(pdu);
    return nullptr;
  }
  return pdu;
}

coap_pdu_t *clone_pdu(const coap_pdu_t *from) {
  coap_pdu_t *pdu =
      coap_pdu_t::create(from->message_type(), from->code, from->mid, from->max_size());
  if (!pdu) return nullptr;
  bool ok = pdu->add_token(from->token(), from->token_length()) && copy_options_verbatim(from, pdu);
  if (ok && from->has_payload()) {
    uint8_t *dst = pdu->add_payload(from->payload_length());
    if (dst) {
      std::memcpy(dst, from->payload(), from->payload_length());
    } else {
      ok = false;
    }
  }
  if (!ok) {
    coap_pdu_t::destroy(pdu);
    return nullptr;
  }
  return pdu;
}

}  // namespace coap
