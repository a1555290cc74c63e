// coap_str.h: counted strings and binaries. Each object and its bytes are
// one allocation, so a single free releases both.
#include <cstring>

#include "coap3/coap.h"
#include "util/memory.h"

namespace {

// Allocates a header T followed by size bytes plus a terminating NUL.
template <class T>
T *new_counted(size_t size) {
  if (size > SIZE_MAX - sizeof(T) - 1) return nullptr;
  auto *obj = static_cast<T *>(coap::allocate(sizeof(T) + size + 1));
  if (!obj) return nullptr;
  auto *bytes = reinterpret_cast<uint8_t *>(obj) + sizeof(T);
  bytes[size] = '\0';
  obj->s = bytes;
  obj->length = size;
  return obj;
}

template <class T>
T *new_counted_copy(const uint8_t *data, size_t size) {
  T *obj = new_counted<T>(size);
  if (obj && size) {
    if (!data) {
      coap::deallocate(obj);
      return nullptr;
    }
    std::memcpy(const_cast<uint8_t *>(obj->s), data, size);
  }
  return obj;
}

}  // namespace

extern "C" {

coap_string_t *coap_new_string(size_t size) {
  return new_counted<coap_string_t>(size);
}

void coap_delete_string(coap_string_t *s) {
  coap::deallocate(s);
}

coap_str_const_t *coap_new_str_const(const uint8_t *data, size_t size) {
  return new_counted_copy<coap_str_const_t>(data, size);
}

void coap_delete_str_const(coap_str_const_t *s) {
  coap::deallocate(s);
}

coap_binary_t *coap_new_binary(size_t size) {
  return new_counted<coap_binary_t>(size);
}

coap_binary_t *coap_resize_binary(coap_binary_t *bin, size_t new_size) {
  if (!bin) return coap_new_binary(new_size);
  // The bytes live right after the header, so the block moves as a whole
  // and s must be re-pointed afterwards.
  if (new_size > SIZE_MAX - sizeof(coap_binary_t) - 1) return nullptr;
  auto *grown =
      static_cast<coap_binary_t *>(coap::reallocate(bin, sizeof(coap_binary_t) + new_size + 1));
  if (!grown) return nullptr;
  grown->s = reinterpret_cast<uint8_t *>(grown) + sizeof(coap_binary_t);
  grown->s[new_size] = '\0';
  grown->length = new_size;
  return grown;
}

void coap_delete_binary(coap_binary_t *b) {
  coap::deallocate(b);
}

coap_bin_const_t *coap_new_bin_const(const uint8_t *data, size_t size) {
  return new_counted_copy<coap_bin_const_t>(data, size);
}

void coap_delete_bin_const(coap_bin_const_t *b) {
  coap::deallocate(b);
}

coap_str_const_t *coap_make_str_const(const char *string) {
  // A small ring so one expression can use several results at once.
  static thread_local coap_str_const_t ring[COAP_MAX_STR_CONST_FUNC];
  static thread_local unsigned next = 0;
  coap_str_const_t *slot = &ring[next++ % COAP_MAX_STR_CONST_FUNC];
  slot->s = reinterpret_cast<const uint8_t *>(string);
  slot->length = string ? std::strlen(string) : 0;
  return slot;
}

}  // extern "C"
