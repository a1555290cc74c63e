#include "util/memory.h"

#include <cstdio>
#include <cstdlib>

namespace coap {

void *allocate(std::size_t size) noexcept {
  return std::malloc(size ? size : 1);
}

void *reallocate(void *p, std::size_t size) noexcept {
  return std::realloc(p, size ? size : 1);
}

void deallocate(void *p) noexcept {
  std::free(p);
}

void out_of_memory(std::size_t size) noexcept {
  std::fprintf(stderr, "coap: out of memory allocating %zu bytes\n", size);
  std::abort();
}

}  // namespace coap
