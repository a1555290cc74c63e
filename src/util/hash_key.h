// The 4-byte key hash libcoap derives ETags and lookup keys from. Its output
// is visible on the wire (e.g. the ETag of coap_add_data_blocked_response),
// so it has to be exactly the same function.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

constexpr size_t kHashKeySize = 4;

// Folds length bytes of data into key (start from an all-zero key).
void hash_key_update(uint8_t key[kHashKeySize], const uint8_t *data, size_t length);

}  // namespace coap
