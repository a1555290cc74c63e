// Recovers the object that embeds a member (intrusive hooks and timers),
// without offsetof, which C++ only allows for standard-layout types.
#pragma once

#include <cstddef>

namespace coap {

template <class T, class M>
size_t member_offset(M T::*member) {
  // Measured on raw storage: no object is constructed or accessed, only
  // the member's address is compared with the storage's.
  alignas(T) static char storage[sizeof(T)];
  T *probe = reinterpret_cast<T *>(storage);
  return static_cast<size_t>(reinterpret_cast<char *>(&(probe->*member)) - storage);
}

template <class T, class M>
T *container_of(M *m, M T::*member) {
  return reinterpret_cast<T *>(reinterpret_cast<char *>(m) - member_offset(member));
}

}  // namespace coap
