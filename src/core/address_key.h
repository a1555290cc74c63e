// A hashable, canonical form of a coap_address_t (family, port and address
// bytes only; padding, flow info and scope ignored), for looking sessions
// up by peer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"

namespace coap {

struct AddressKey {
  uint8_t bytes[28] = {};

  AddressKey() = default;
  explicit AddressKey(const coap_address_t &a);

  bool operator==(const AddressKey &o) const {
    return std::memcmp(bytes, o.bytes, sizeof(bytes)) == 0;
  }
};

struct AddressKeyHash {
  size_t operator()(const AddressKey &k) const;
};

}  // namespace coap
