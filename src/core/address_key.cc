#include "core/address_key.h"

#include <sys/un.h>

namespace coap {

AddressKey::AddressKey(const coap_address_t &a) {
  uint16_t family = a.addr.sa.sa_family;
  std::memcpy(bytes, &family, sizeof(family));
  switch (family) {
    case AF_INET:
      std::memcpy(bytes + 2, &a.addr.sin.sin_port, 2);
      std::memcpy(bytes + 4, &a.addr.sin.sin_addr, 4);
      break;
    case AF_INET6:
      std::memcpy(bytes + 2, &a.addr.sin6.sin6_port, 2);
      std::memcpy(bytes + 4, &a.addr.sin6.sin6_addr, 16);
      break;
    case AF_UNIX: {
      size_t n = strnlen(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path));
      if (n > sizeof(bytes) - 2) n = sizeof(bytes) - 2;
      std::memcpy(bytes + 2, a.addr.cun.sun_path, n);
      break;
    }
    default:
      break;
  }
}

size_t AddressKeyHash::operator()(const AddressKey &k) const {
  // Word-wise multiply-xorshift over the key: a handful of instructions per
  // lookup, well spread for ports and addresses.
  uint64_t w[4] = {0, 0, 0, 0};
  std::memcpy(w, k.bytes, sizeof(k.bytes));
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t x : w) {
    h = (h ^ x) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return static_cast<size_t>(h);
}

}  // namespace coap
