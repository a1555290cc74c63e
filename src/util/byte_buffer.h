// A growable byte queue for network buffering (partial stream messages,
// output the socket did not take yet). Unlike a std container it reports
// exhaustion to the caller instead of ending the process, because its size
// is driven by what peers send: a connection that cannot be buffered is
// closed, the process carries on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "util/memory.h"

namespace coap {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer() { deallocate(data_); }
  ByteBuffer(const ByteBuffer &) = delete;
  ByteBuffer &operator=(const ByteBuffer &) = delete;

  const uint8_t *data() const { return data_ + head_; }
  size_t size() const { return tail_ - head_; }
  bool empty() const { return head_ == tail_; }

  // Appends n bytes; false (nothing appended) when memory is exhausted.
  bool append(const uint8_t *p, size_t n) {
    if (n == 0) return true;
    if (!make_room(n)) return false;
    std::memcpy(data_ + tail_, p, n);
    tail_ += n;
    return true;
  }

  // Drops n bytes from the front.
  void consume(size_t n) {
    head_ += n < size() ? n : size();
    if (head_ == tail_) clear();
  }

  // Empties the queue; large buffers are given back to the heap so an idle
  // connection does not keep the memory of its largest message.
  void clear() {
    head_ = tail_ = 0;
    if (cap_ > kKeep) {
      deallocate(data_);
      data_ = nullptr;
      cap_ = 0;
    }
  }

 private:
  static constexpr size_t kKeep = 16 * 1024;

  bool make_room(size_t n) {
    if (cap_ - tail_ >= n) return true;
    if (head_ > 0) {
      // Reuse the space of consumed bytes before growing.
      std::memmove(data_, data_ + head_, tail_ - head_);
      tail_ -= head_;
      head_ = 0;
      if (cap_ - tail_ >= n) return true;
    }
    if (n > SIZE_MAX / 2 - tail_) return false;
    size_t want = cap_ ? cap_ : 256;
    while (want < tail_ + n) want *= 2;
    void *p = reallocate(data_, want);
    if (!p) return false;
    data_ = static_cast<uint8_t *>(p);
    cap_ = want;
    return true;
  }

  uint8_t *data_ = nullptr;
  size_t head_ = 0;
  size_t tail_ = 0;
  size_t cap_ = 0;
};

}  // namespace coap
