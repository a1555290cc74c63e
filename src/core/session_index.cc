#include "core/session_index.h"

#include "core/session.h"
#include "util/memory.h"

namespace coap {

namespace {

size_t hash_of(const AddressKey &key) {
  return AddressKeyHash()(key);
}

bool has_key(const coap_session_t *s, const AddressKey &key) {
  return AddressKey(s->addr_info.remote) == key;
}

}  // namespace

SessionIndex::~SessionIndex() {
  coap::deallocate(slots_);
}

// Slot holding key, or the empty slot where it would go.
size_t SessionIndex::slot_of(const AddressKey &key) const {
  size_t mask = capacity_ - 1;
  size_t i = hash_of(key) & mask;
  while (slots_[i] && !has_key(slots_[i], key)) i = (i + 1) & mask;
  return i;
}

coap_session_t *SessionIndex::find(const coap_address_t &remote) const {
  if (count_ == 0) return nullptr;
  return slots_[slot_of(AddressKey(remote))];
}

bool SessionIndex::grow() {
  size_t capacity = capacity_ ? capacity_ * 2 : 16;
  auto **slots =
      static_cast<coap_session_t **>(coap::allocate(capacity * sizeof(coap_session_t *)));
  if (!slots) return false;
  for (size_t i = 0; i < capacity; ++i) slots[i] = nullptr;
  coap_session_t **old = slots_;
  size_t old_capacity = capacity_;
  slots_ = slots;
  capacity_ = capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i]) slots_[slot_of(AddressKey(old[i]->addr_info.remote))] = old[i];
  }
  coap::deallocate(old);
  return true;
}

bool SessionIndex::insert(coap_session_t *s) {
  // Load factor at most 1/2 keeps probe sequences short.
  if ((count_ + 1) * 2 > capacity_ && !grow()) return false;
  size_t i = slot_of(AddressKey(s->addr_info.remote));
  if (slots_[i]) return false;
  slots_[i] = s;
  ++count_;
  return true;
}

void SessionIndex::erase(coap_session_t *s) {
  if (count_ == 0) return;
  size_t mask = capacity_ - 1;
  size_t i = slot_of(AddressKey(s->addr_info.remote));
  if (slots_[i] != s) return;
  slots_[i] = nullptr;
  --count_;
  // Backward shift: move later members of the probe run into the hole
  // when their home slot does not lie cyclically in (hole, j].
  size_t hole = i;
  for (size_t j = (i + 1) & mask; slots_[j]; j = (j + 1) & mask) {
    size_t home = hash_of(AddressKey(slots_[j]->addr_info.remote)) & mask;
    bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    slots_[j] = nullptr;
    hole = j;
  }
}

}  // namespace coap
