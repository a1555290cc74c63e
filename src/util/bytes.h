// Bounds-checked cursors over byte buffers. Every read or write says whether
// it fit; nothing ever touches memory outside the buffer it was given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace coap {

struct ByteView {
  const uint8_t *data = nullptr;
  size_t size = 0;
};

class ByteReader {
 public:
  ByteReader(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}

  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool empty() const { return p_ == end_; }
  const uint8_t *position() const { return p_; }

  bool u8(uint8_t *out) {
    if (p_ == end_) return false;
    *out = *p_++;
    return true;
  }
  bool peek(uint8_t *out) const {
    if (p_ == end_) return false;
    *out = *p_;
    return true;
  }
  // Big-endian unsigned integer of n (0..8) bytes.
  bool uint_be(size_t n, uint64_t *out) {
    if (n > 8 || remaining() < n) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | p_[i];
    p_ += n;
    *out = v;
    return true;
  }
  bool bytes(size_t n, const uint8_t **out) {
    if (remaining() < n) return false;
    *out = p_;
    p_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    p_ += n;
    return true;
  }

 private:
  const uint8_t *p_;
  const uint8_t *end_;
};

class ByteWriter {
 public:
  ByteWriter(uint8_t *data, size_t size) : begin_(data), p_(data), end_(data + size) {}

  size_t written() const { return static_cast<size_t>(p_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool ok() const { return ok_; }

  void u8(uint8_t v) {
    if (!ok_ || p_ == end_) {
      ok_ = false;
      return;
    }
    *p_++ = v;
  }
  void uint_be(uint64_t v, size_t n) {
    if (!ok_ || remaining() < n) {
      ok_ = false;
      return;
    }
    for (size_t i = n; i-- > 0;) {
      *p_++ = static_cast<uint8_t>(v >> (8 * i));
    }
  }
  void bytes(const uint8_t *src, size_t n) {
    if (!ok_ || remaining() < n) {
      ok_ = false;
      return;
    }
    if (n) std::memcpy(p_, src, n);
    p_ += n;
  }

 private:
  uint8_t *begin_;
  uint8_t *p_;
  uint8_t *end_;
  bool ok_ = true;
};

// Number of bytes needed for v with leading zero bytes stripped (0 for 0).
inline size_t uint_length(uint64_t v) {
  size_t n = 0;
  while (v) {
    ++n;
    v >>= 8;
  }
  return n;
}

// Fixed-width big-endian store and load for callers that have already
// checked the room (4 bytes at p).
inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline uint32_t load_be32(const uint8_t *p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

}  // namespace coap
