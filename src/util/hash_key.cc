#include "util/hash_key.h"

namespace coap {

void hash_key_update(uint8_t key[kHashKeySize], const uint8_t *data, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    // Per input byte: each key byte gains the matching byte of the whole key
    // shifted left by 7 bits (byte lanes add without carrying into each
    // other), and the input byte is added to the lowest lane.
    uint32_t word = 0;
    for (size_t j = kHashKeySize; j-- > 0;) word = (word << 8) | key[j];
    uint32_t shifted = word << 7;
    for (size_t j = 0; j < kHashKeySize; ++j) {
      key[j] = static_cast<uint8_t>(key[j] + (shifted >> (8 * j)));
    }
    key[0] = static_cast<uint8_t>(key[0] + data[i]);
  }
}

}  // namespace coap
