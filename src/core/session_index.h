// Sessions of an endpoint by remote address. An open-addressing table of
// session pointers (linear probing, backward-shift deletion): one pointer
// per slot and no node per session, so an idle session costs the index
// 8-16 bytes; lookups hash the address once and compare keys rebuilt from
// the sessions they probe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/address_key.h"

namespace coap {

class SessionIndex {
 public:
  SessionIndex() = default;
  ~SessionIndex();
  SessionIndex(const SessionIndex &) = delete;
  SessionIndex &operator=(const SessionIndex &) = delete;

  coap_session_t *find(const coap_address_t &remote) const;
  // Adds s under its remote address unless a session already has that
  // address (stream peers may share one); false also when out of memory.
  bool insert(coap_session_t *s);
  // Removes s if it is the session indexed under its address.
  void erase(coap_session_t *s);
  size_t size() const { return count_; }

 private:
  size_t slot_of(const AddressKey &key) const;
  bool grow();

  coap_session_t **slots_ = nullptr;
  size_t capacity_ = 0;  // power of two, or 0 before the first insert
  size_t count_ = 0;
};

}  // namespace coap
