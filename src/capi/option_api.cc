// coap_option.h: raw option access, option filters, iterators and option
// lists. Options are read in place from the PDU's encoded bytes.
#include <cstring>

#include "coap3/coap.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/option_codec.h"
#include "wire/pdu.h"

namespace {

// Filter slots: bits 0..LONG-1 of the mask index long_opts, the next SHORT
// bits index short_opts (numbers below 256).
constexpr uint16_t kLongMask = (1u << COAP_OPT_FILTER_LONG) - 1;
constexpr uint16_t kShortMask = static_cast<uint16_t>(
    ((1u << (COAP_OPT_FILTER_LONG + COAP_OPT_FILTER_SHORT)) - 1) & ~kLongMask);

// Returns the mask bit of the slot holding number, or 0.
uint16_t find_slot(const coap_opt_filter_t *f, coap_option_num_t number) {
  if (number > 255) {
    for (unsigned i = 0; i < COAP_OPT_FILTER_LONG; ++i) {
      uint16_t bit = static_cast<uint16_t>(1u << i);
      if ((f->mask & bit) && f->long_opts[i] == number) return bit;
    }
  } else {
    for (unsigned i = 0; i < COAP_OPT_FILTER_SHORT; ++i) {
      uint16_t bit = static_cast<uint16_t>(1u << (COAP_OPT_FILTER_LONG + i));
      if ((f->mask & bit) && f->short_opts[i] == number) return bit;
    }
  }
  return 0;
}

}  // namespace

extern "C" {

size_t coap_opt_parse(const coap_opt_t *opt, size_t length, coap_option_t *result) {
  if (!opt || !result) return 0;
  coap::wire::OptionHeader h;
  if (!coap::wire::decode_option_header(opt, length, &h)) return 0;
  if (h.delta > 0xffff || h.length > length - h.header_size) return 0;
  result->delta = static_cast<uint16_t>(h.delta);
  result->length = h.length;
  result->value = opt + h.header_size;
  return h.header_size + h.length;
}

size_t coap_opt_size(const coap_opt_t *opt) {
  coap_option_t option;
  return coap_opt_parse(opt, SIZE_MAX, &option);
}

uint32_t coap_opt_length(const coap_opt_t *opt) {
  coap::wire::OptionHeader h;
  if (!opt || !coap::wire::decode_option_header(opt, SIZE_MAX, &h)) return 0;
  return h.length;
}

const uint8_t *coap_opt_value(const coap_opt_t *opt) {
  coap::wire::OptionHeader h;
  if (!opt || !coap::wire::decode_option_header(opt, SIZE_MAX, &h)) return nullptr;
  return opt + h.header_size;
}

size_t coap_opt_setheader(coap_opt_t *opt, size_t maxlen, uint16_t delta, size_t length) {
  if (!opt) return 0;
  return coap::wire::encode_option_header(opt, maxlen, delta, length);
}

size_t coap_opt_encode_size(uint16_t delta, size_t length) {
  size_t hdr = coap::wire::option_header_size(delta, length);
  return hdr ? hdr + length : 0;
}

size_t coap_opt_encode(coap_opt_t *opt, size_t n, uint16_t delta, const uint8_t *val,
                       size_t length) {
  if (!opt || (length && !val)) return 0;
  size_t hdr = coap::wire::encode_option_header(opt, n, delta, length);
  if (!hdr || n - hdr < length) {
    LOGD("coap_opt_encode: option does not fit in %zu bytes\n", n);
    return 0;
  }
  if (length) std::memcpy(opt + hdr, val, length);
  return hdr + length;
}

void coap_option_filter_clear(coap_opt_filter_t *filter) {
  if (filter) std::memset(filter, 0, sizeof(*filter));
}

int coap_option_filter_get(coap_opt_filter_t *filter, coap_option_num_t number) {
  return filter && find_slot(filter, number) ? 1 : 0;
}

int coap_option_filter_set(coap_opt_filter_t *filter, coap_option_num_t number) {
  if (!filter) return 0;
  if (find_slot(filter, number)) return 1;
  // Take the highest free slot of the right kind.
  uint16_t free_bits =
      static_cast<uint16_t>(~filter->mask & (number > 255 ? kLongMask : kShortMask));
  if (!free_bits) return 0;
  int index = coap_fls(free_bits) - 1;
  if (number > 255) {
    filter->long_opts[index] = number;
  } else {
    filter->short_opts[index - COAP_OPT_FILTER_LONG] = static_cast<uint8_t>(number);
  }
  filter->mask = static_cast<uint16_t>(filter->mask | (1u << index));
  return 1;
}

int coap_option_filter_unset(coap_opt_filter_t *filter, coap_option_num_t number) {
  if (!filter) return 0;
  uint16_t bit = find_slot(filter, number);
  if (!bit) return 0;
  filter->mask = static_cast<uint16_t>(filter->mask & ~bit);
  return 1;
}

coap_opt_iterator_t *coap_option_iterator_init(const coap_pdu_t *pdu, coap_opt_iterator_t *oi,
                                               const coap_opt_filter_t *filter) {
  if (!oi) return nullptr;
  std::memset(oi, 0, sizeof(*oi));
  if (!pdu) {
    oi->bad = 1;
    return nullptr;
  }
  // Iteration covers everything after the token; it stops at the marker.
  size_t after_token = pdu->used_size() - pdu->token_wire_size();
  if (after_token == 0) {
    oi->bad = 1;
    return nullptr;
  }
  oi->next_option = const_cast<uint8_t *>(pdu->options());
  oi->length = after_token;
  if (filter) {
    oi->filter = *filter;
    oi->filtered = 1;
  }
  return oi;
}

coap_opt_t *coap_option_next(coap_opt_iterator_t *oi) {
  if (!oi) return nullptr;
  for (;;) {
    if (oi->bad || oi->length == 0 || !oi->next_option ||
        *oi->next_option == coap::wire::kPayloadMarker) {
      oi->bad = 1;
      return nullptr;
    }
    coap_opt_t *current = oi->next_option;
    coap_option_t option;
    size_t size = coap_opt_parse(current, oi->length, &option);
    if (!size || oi->number + option.delta > 0xffff) {
      oi->bad = 1;
      return nullptr;
    }
    oi->next_option += size;
    oi->length -= size;
    oi->number = static_cast<coap_option_num_t>(oi->number + option.delta);
    if (!oi->filtered || coap_option_filter_get(&oi->filter, oi->number)) return current;
  }
}

coap_opt_t *coap_check_option(const coap_pdu_t *pdu, coap_option_num_t number,
                              coap_opt_iterator_t *oi) {
  coap_opt_filter_t filter;
  coap_option_filter_clear(&filter);
  coap_option_filter_set(&filter, number);
  if (!coap_option_iterator_init(pdu, oi, &filter)) return nullptr;
  return coap_option_next(oi);
}

coap_optlist_t *coap_new_optlist(uint16_t number, size_t length, const uint8_t *data) {
  // Any length is kept; one too long for a PDU is refused when it is added.
  if (length && !data) {
    LOGW("coap_new_optlist: %zu bytes of option value but no data\n", length);
    return nullptr;
  }
  // Node and value in one block, like the counted strings.
  auto *node = static_cast<coap_optlist_t *>(coap::allocate(sizeof(coap_optlist_t) + length));
  if (!node) return nullptr;
  node->next = nullptr;
  node->number = number;
  node->length = length;
  node->data = reinterpret_cast<uint8_t *>(node) + sizeof(coap_optlist_t);
  if (length) std::memcpy(node->data, data, length);
  return node;
}

int coap_insert_optlist(coap_optlist_t **chain, coap_optlist_t *optlist) {
  if (!chain || !optlist) return 0;
  coap_optlist_t **tail = chain;
  while (*tail) tail = &(*tail)->next;
  *tail = optlist;
  return 1;
}

void coap_delete_optlist(coap_optlist_t *chain) {
  while (chain) {
    coap_optlist_t *next = chain->next;
    coap::deallocate(chain);
    chain = next;
  }
}

int coap_add_optlist_pdu(coap_pdu_t *pdu, coap_optlist_t **chain) {
  if (!pdu || !chain) return 0;
  // Stable insertion sort by number: repeated options keep their order.
  coap_optlist_t *sorted = nullptr;
  coap_optlist_t *node = *chain;
  while (node) {
    coap_optlist_t *next = node->next;
    coap_optlist_t **at = &sorted;
    while (*at && (*at)->number <= node->number) at = &(*at)->next;
    node->next = *at;
    *at = node;
    node = next;
  }
  *chain = sorted;
  for (node = sorted; node; node = node->next) {
    if (!coap_add_option(pdu, node->number, node->length, node->data)) return 0;
  }
  return 1;
}

}  // extern "C"
