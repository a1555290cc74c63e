// Resources of a context keyed by URI path, for an
// O(1) match per request. Keys are views of the resources' own path
// strings, valid while the resource is registered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "coap3/coap.h"
#include "util/memory.h"

namespace coap {

struct PathView {
  const uint8_t *s = nullptr;
  size_t length = 0;

  // Paths are compared exactly as given (libcoap does not normalise a
  // leading '/', so "/a" and "a" are different resources).
  static PathView of(const uint8_t *s, size_t length) { return PathView{s, length}; }
  bool operator==(const PathView &o) const {
    return length == o.length && (length == 0 || std::memcmp(s, o.s, length) == 0);
  }
};

struct PathViewHash {
  size_t operator()(const PathView &p) const {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < p.length; ++i) {
      h ^= p.s[i];
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h);
  }
};

using ResourceIndex =
    std::unordered_map<PathView, coap_resource_t *, PathViewHash, std::equal_to<PathView>,
                       Allocator<std::pair<const PathView, coap_resource_t *>>>;

}  // namespace coap
