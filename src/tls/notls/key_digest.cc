// Cache-key digest of the build without (D)TLS: every piece is folded with
// the 4-byte key hash into one of seven 4-byte lanes in turn (the eighth
// lane stays zero), which is what libcoap's build without (D)TLS returns.
#include "core/key_digest.h"

#include "util/hash_key.h"

namespace coap {

namespace {
constexpr size_t kLanesUsed = 7;
}

KeyDigest::~KeyDigest() = default;

bool KeyDigest::update(const uint8_t *data, size_t length) {
  hash_key_update(lanes_ + next_lane_ * kHashKeySize, data, length);
  next_lane_ = (next_lane_ + 1) % kLanesUsed;
  return true;
}

bool KeyDigest::finish(uint8_t out[kSize]) {
  for (size_t i = 0; i < kSize; ++i) out[i] = lanes_[i];
  return true;
}

}  // namespace coap
