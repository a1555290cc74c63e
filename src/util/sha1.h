// SHA-1 (FIPS 180-4), for the WebSocket opening handshake only (RFC 6455
// section 4.2.2: Sec-WebSocket-Accept), where it is a fixed part of the
// protocol rather than a security measure. Kept here so the core needs no
// TLS library.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

constexpr size_t kSha1Size = 20;

class Sha1 {
 public:
  Sha1();
  // Adds length bytes of the message (any number of calls).
  void update(const uint8_t *data, size_t length);
  // Writes the digest; the object is spent afterwards.
  void finish(uint8_t digest[kSha1Size]);

 private:
  void block(const uint8_t *p);

  uint32_t h_[5];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;  // message length in bytes
};

// Digest of one message in one go.
void sha1(const uint8_t *data, size_t length, uint8_t digest[kSha1Size]);

}  // namespace coap
