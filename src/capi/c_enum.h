// Reading C enum parameters at the API boundary. A C program may pass any
// int where the API declares an enum; in C++ using an enum object whose
// value lies outside its enumerators' range is undefined, so entry points
// that must reject such values copy the bytes out as an int first.
#pragma once

#include <cstring>

namespace coap {

template <class E>
inline int c_enum(const E &value) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized");
  int v;
  std::memcpy(&v, &value, sizeof(v));
  return v;
}

}  // namespace coap
