// One allocator for the whole library: every object, buffer and container
// goes through coap::allocate()/coap::deallocate(), so firmware builds can
// swap the heap in one place and memory use can be measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace coap {

// Returns nullptr when memory is exhausted; never throws.
void *allocate(std::size_t size) noexcept;
void *reallocate(void *p, std::size_t size) noexcept;
void deallocate(void *p) noexcept;

// Constructs a T on the library heap; nullptr when out of memory.
template <class T, class... Args>
T *create(Args &&...args) noexcept {
  void *p = allocate(sizeof(T));
  return p ? new (p) T(std::forward<Args>(args)...) : nullptr;
}

template <class T>
void destroy(T *p) noexcept {
  if (p) {
    p->~T();
    deallocate(p);
  }
}

// Allocator for standard containers. Containers cannot report failure
// without exceptions, so exhaustion inside one ends the process with a log
// line (see memory.cc); code on the packet path does not grow containers.
[[noreturn]] void out_of_memory(std::size_t size) noexcept;

template <class T>
struct Allocator {
  using value_type = T;
  Allocator() noexcept = default;
  template <class U>
  Allocator(const Allocator<U> &) noexcept {}
  T *allocate(std::size_t n) noexcept {
    void *p = coap::allocate(n * sizeof(T));
    if (!p) out_of_memory(n * sizeof(T));
    return static_cast<T *>(p);
  }
  void deallocate(T *p, std::size_t) noexcept { coap::deallocate(p); }
  template <class U>
  bool operator==(const Allocator<U> &) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const Allocator<U> &) const noexcept {
    return false;
  }
};

}  // namespace coap
