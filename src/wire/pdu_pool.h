// A context's stock of freed PDUs of the default size. The receive and
// response paths take their messages from it, so a request costs no
// malloc/free pair for either. A PDU taken from a pool goes back to it when
// destroyed (coap_pdu_t::destroy()). The pool outlives its context while
// any of its PDUs is still out, and goes with the last one.
#pragma once

#include <cstddef>

#include "coap3/coap.h"

namespace coap {

class PduPool {
 public:
  static PduPool *create();
  // The owner is going away: cached PDUs are freed now, the pool itself
  // when no PDU of it is out any more.
  void retire();

  // A new empty message as coap_pdu_t::create(type, code, mid, max_size)
  // makes it, with the default capacity; nullptr when out of memory.
  coap_pdu_t *take(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid, size_t max_size);
  // Called by coap_pdu_t::destroy() for PDUs of this pool.
  void give_back(coap_pdu_t *pdu);

 private:
  PduPool() = default;
  static constexpr int kKeep = 8;
  void *free_[kKeep] = {};  // memory of destroyed PDUs, ready for reuse
  int count_ = 0;
  size_t out_ = 0;  // PDUs of this pool not yet given back
  bool retired_ = false;
};

}  // namespace coap
