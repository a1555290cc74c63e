#include "wire/pdu_pool.h"

#include <new>

#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

PduPool *PduPool::create() {
  void *mem = coap::allocate(sizeof(PduPool));
  return mem ? new (mem) PduPool() : nullptr;
}

void PduPool::retire() {
  retired_ = true;
  while (count_ > 0) coap::deallocate(free_[--count_]);
  if (out_ == 0) {
    this->~PduPool();
    coap::deallocate(this);
  }
}

coap_pdu_t *PduPool::take(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid,
                          size_t max_size) {
  constexpr size_t kCapacity = coap_pdu_t::kDefaultCapacity;
  void *mem = count_ > 0 ? free_[--count_] : coap::allocate(coap_pdu_t::allocation_size(kCapacity));
  if (!mem) return nullptr;
  coap_pdu_t *pdu = coap_pdu_t::construct(mem, kCapacity, type, code, mid, max_size);
  pdu->pool_ = this;
  ++out_;
  return pdu;
}

void PduPool::give_back(coap_pdu_t *pdu) {
  pdu->~coap_pdu_t();  // frees a buffer the message grew into
  --out_;
  if (!retired_ && count_ < kKeep) {
    free_[count_++] = pdu;
    return;
  }
  coap::deallocate(pdu);
  if (retired_ && out_ == 0) {
    this->~PduPool();
    coap::deallocate(this);
  }
}

}  // namespace coap
