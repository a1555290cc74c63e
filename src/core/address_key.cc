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
  // FNV-1a over the key bytes: cheap and well spread for addresses.
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : k.bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h ^ (h >> 32));
}

}  // namespace coap
