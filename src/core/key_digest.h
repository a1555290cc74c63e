// The digest behind cache keys (coap_cache_derive_key). libcoap builds it
// with its (D)TLS library: SHA-256 when there is one, and a fold of its
// 4-byte key hash when there is none. Keys are compared by applications
// across builds of the same flavour, so each backend (src/tls/*) supplies
// the matching implementation of this class.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

class KeyDigest {
 public:
  static constexpr size_t kSize = 32;

  KeyDigest() = default;
  ~KeyDigest();
  KeyDigest(const KeyDigest &) = delete;
  KeyDigest &operator=(const KeyDigest &) = delete;

  // Each call adds one piece; the pieces' boundaries matter for the
  // backend without (D)TLS, so callers feed the same pieces in the same
  // order as libcoap does. False on failure (then the digest is unusable).
  bool update(const uint8_t *data, size_t length);
  // Writes the kSize-byte digest; false on failure.
  bool finish(uint8_t out[kSize]);

 private:
  // Backend state: the folded lanes for the build without (D)TLS, a
  // library context pointer for the others.
  [[maybe_unused]] uint8_t lanes_[kSize] = {};
  [[maybe_unused]] size_t next_lane_ = 0;
  [[maybe_unused]] void *impl_ = nullptr;  // unused by some backends
  [[maybe_unused]] bool failed_ = false;
};

}  // namespace coap
